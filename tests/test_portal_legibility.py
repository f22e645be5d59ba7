"""Legibility of uploaded photos of the student portal (plain Pillow)."""

import io

import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from loanlib import legibility


def document(width=1600, height=1000, blur=0, fmt="JPEG", lines=True):
    image = Image.new("RGB", (width, height), (236, 233, 222))
    draw = ImageDraw.Draw(image)
    if lines:
        font = ImageFont.load_default(size=max(10, height // 25))
        for y in range(30, height - 40, height // 14):
            draw.text((30, y), "RESIDENT IDENTITY CARD 410000 2000 0101 ZHANG SAN", fill=(25, 25, 25), font=font)
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def test_sharp_photo_accepted():
    result = legibility.check_image(document())
    assert result.ok, result
    assert (result.width, result.height) == (1600, 1000)
    assert result.sharpness > 10 * legibility.MIN_SHARPNESS


def test_png_accepted_and_orientation_free():
    assert legibility.check_image(document(fmt="PNG")).ok
    # portrait photo of the same size: the shorter side is compared with the smaller minimum
    assert legibility.check_image(document(700, 1000)).ok


@pytest.mark.parametrize("blur", [6, 10])
def test_blurred_photo_refused(blur):
    result = legibility.check_image(document(blur=blur))
    assert not result.ok
    assert result.code == "blurred"
    assert result.sharpness < legibility.MIN_SHARPNESS


def test_blur_measure_decreases_with_blur():
    values = [legibility.check_image(document(blur=blur)).sharpness for blur in (0, 1, 2, 4, 8)]
    assert values == sorted(values, reverse=True)


def test_measure_does_not_depend_on_resolution():
    small = legibility.check_image(document(800, 500)).sharpness
    large = legibility.check_image(document(3200, 2000)).sharpness
    assert 0.5 < small / large < 2


@pytest.mark.parametrize("size", [(300, 200), (399, 800), (1000, 399), (500, 590)])
def test_small_photo_refused(size):
    result = legibility.check_image(document(*size))
    assert (result.ok, result.code) == (False, "too_small")


def test_blank_page_refused_as_blurred():
    assert legibility.check_image(document(lines=False)).code == "blurred"


def test_thresholds_are_parameters():
    photo = document(blur=3)
    assert not legibility.check_image(photo, min_sharpness=10_000).ok
    assert legibility.check_image(photo, min_sharpness=1).ok
    assert not legibility.check_image(document(), min_width=2000, min_height=1200).ok


@pytest.mark.parametrize("raw", [b"", b"not an image", b"\x89PNG\r\n\x1a\nbroken"])
def test_unreadable(raw):
    assert legibility.check_image(raw).code == "unreadable"


def test_too_many_pixels(monkeypatch):
    monkeypatch.setattr(legibility, "MAX_PIXELS", 1000 * 700)
    assert legibility.check_image(document(1600, 1000)).code == "too_large"
