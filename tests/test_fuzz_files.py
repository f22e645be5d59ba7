"""Fuzzing the upload checks (``loanlib.filecheck``) with hypothesis: any bytes, no crash.

``check_pdf`` and ``check_image`` either accept a file or raise ``ValueError`` with a message for the
person who uploaded it; they never crash and never decompress without a bound.
"""

import io
import struct
import zlib

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from PIL import Image

from loanlib import filecheck

FUZZ = settings(max_examples=200, deadline=None)
ACTIVE = sorted(name.decode() for name in filecheck.ACTIVE_PDF_NAMES)


def pdf(*objects, trailer=b"<< /Root 1 0 R >>"):
    body = b"%PDF-1.7\n"
    for number, obj in enumerate(objects, start=1):
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    return body + b"trailer\n" + trailer + b"\n%%EOF\n"


def object_stream(content):
    data = zlib.compress(content)
    return b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(data) + (
        data + b"\nendstream"
    )


def escape_name(name, positions):
    """``/JavaScript`` with some characters written as ``#xx`` (a legal spelling of the same name)."""
    return "".join(f"#{ord(char):02X}" if index in positions else char for index, char in enumerate(name))


@FUZZ
@given(st.binary(max_size=4096))
@example(b"%PDF-1.4 stream\nx\x9c\nendstream")
@example(b"%PDF-1.4 1 0 obj << /Type /ObjStm /Filter /FlateDecode >> stream\n\x78\x9c\xff\nendstream")
def test_check_pdf_any_bytes(raw):
    try:
        filecheck.check_pdf(b"%PDF-1.7\n" + raw)
    except ValueError as error:
        assert str(error)


@FUZZ
@given(st.binary(max_size=2048))
def test_check_image_any_bytes(raw):
    for header in (b"", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0"):
        try:
            filecheck.check_image(header + raw)
        except ValueError as error:
            assert str(error)


@FUZZ
@given(st.sampled_from(ACTIVE), st.sets(st.integers(0, 11)), st.booleans(), st.sampled_from([" ", "\n", "(", "<", "/"]))
def test_active_names_found_however_written(name, positions, compressed, after):
    """Every spelling of an active name is found, in the file or inside a compressed object stream."""
    spelled = escape_name(name, positions).encode()
    dictionary = b"<< /S /" + spelled + after.encode() + b"x) >>"
    raw = pdf(b"<< /Type /Catalog >>", object_stream(b"2 0 " + dictionary) if compressed else dictionary)
    with pytest.raises(ValueError, match="scripts, actions or embedded files"):
        filecheck.check_pdf(raw)


@FUZZ
@given(st.sampled_from(["JavaScripts", "JSON", "Launcher", "XFAB", "Javascript", "EmbeddedFileX"]))
def test_similar_names_are_not_active(name):
    filecheck.check_pdf(pdf(b"<< /Type /Catalog /" + name.encode() + b" 1 >>"))


def test_object_stream_bomb_is_bounded():
    bomb = pdf(b"<< /Type /Catalog >>", object_stream(b" " * (filecheck.MAX_OBJECT_STREAM + 1)))
    assert len(bomb) < 100_000
    with pytest.raises(ValueError, match="too complex"):
        filecheck.check_pdf(bomb)


def png_header(width, height):
    """A PNG declaring ``width`` × ``height`` pixels, with no pixels (a decoder reads the size first)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


@FUZZ
@given(st.integers(1, 200_000), st.integers(1, 200_000))
@example(50_000_000 // 10_000, 10_000)
@example(50_000_000 // 10_000 + 1, 10_000)
def test_image_size_limit(width, height):
    if width * height > filecheck.MAX_IMAGE_PIXELS:
        with pytest.raises(ValueError, match="too large|megapixels"):
            filecheck.check_image(png_header(width, height))
    else:
        filecheck.check_image(png_header(width, height))


def test_real_png_bomb():
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, "PNG")
    assert len(buffer.getvalue()) < 100_000
    with pytest.raises(ValueError, match="too large"):
        filecheck.check_image(buffer.getvalue())
