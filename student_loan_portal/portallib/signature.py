"""Checks of a signature drawn on the portal's signature pad (a PNG from the browser's canvas)."""

import io

from PIL import Image, UnidentifiedImageError

MAX_BYTES = 2 * 1024 * 1024
MIN_INK_PIXELS = 150
MIN_INK_WIDTH = 40


def check_signature(raw):
    """Return ``''`` when the drawing looks like a signature, else a code.

    Codes: ``'empty'`` (nothing drawn), ``'unreadable'`` (not an image), ``'too_large'``,
    ``'too_short'`` (a dot or a tick rather than a written name).
    """
    if not raw:
        return "empty"
    if len(raw) > MAX_BYTES:
        return "too_large"
    try:
        image = Image.open(io.BytesIO(raw))
        if image.width * image.height > 4_000_000:
            return "too_large"
        image = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return "unreadable"
    # ink: visible (alpha) and not white; the pad draws on a transparent background
    alpha = image.getchannel("A")
    grey = image.convert("L")
    ink = Image.eval(alpha, lambda value: 255 if value > 32 else 0)
    dark = Image.eval(grey, lambda value: 255 if value < 200 else 0)
    mask = Image.composite(ink, Image.new("L", image.size, 0), dark)
    count = sum(mask.histogram()[1:])
    if not count:
        return "empty"
    box = mask.getbbox()
    if count < MIN_INK_PIXELS or (box[2] - box[0]) < MIN_INK_WIDTH:
        return "too_short"
    return ""
