"""Legibility of uploaded photos (ID cards, admission notices, ...): plain Python with Pillow.

A photo is refused when it is too small to read, or too blurred: the blur measure is the variance
of an edge filter (Pillow's ``FIND_EDGES``, a Laplacian-like kernel) over the grey-scale image
scaled to a fixed width, so the measure does not depend on the camera's resolution. A sharp photo
of a printed document has strong edges (high variance); a shaken or out-of-focus one has weak,
smeared edges (low variance).
"""

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageFilter, ImageOps, ImageStat, UnidentifiedImageError

# Defaults; the portal reads overrides from system parameters.
MIN_WIDTH = 600
MIN_HEIGHT = 400
MIN_SHARPNESS = 60.0
ANALYSIS_WIDTH = 800
MAX_PIXELS = 60_000_000


@dataclass(frozen=True)
class Legibility:
    ok: bool
    code: str  # 'ok' | 'unreadable' | 'too_large' | 'too_small' | 'blurred'
    width: int = 0
    height: int = 0
    sharpness: float = 0.0


def sharpness(image):
    """Variance of the edge-filtered grey image scaled to ``ANALYSIS_WIDTH`` pixels wide."""
    grey = ImageOps.grayscale(image)
    if grey.width != ANALYSIS_WIDTH:
        height = max(1, round(grey.height * ANALYSIS_WIDTH / grey.width))
        grey = grey.resize((ANALYSIS_WIDTH, height), Image.Resampling.BILINEAR)
    edges = grey.filter(ImageFilter.FIND_EDGES)
    # the filter's one-pixel frame is not image content
    edges = edges.crop((1, 1, edges.width - 1, edges.height - 1))
    return ImageStat.Stat(edges).var[0]


def check_image(raw, min_width=MIN_WIDTH, min_height=MIN_HEIGHT, min_sharpness=MIN_SHARPNESS):
    """Check the bytes of a JPEG/PNG photo; ``Legibility.code`` tells why it is refused.

    The orientation does not matter: the shorter side is compared with the smaller minimum.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(raw))
            width, height = image.size
            if width * height > MAX_PIXELS:
                return Legibility(False, "too_large", width, height)
            image = ImageOps.exif_transpose(image)
            image.load()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return Legibility(False, "unreadable")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return Legibility(False, "too_large")
    width, height = image.size
    if min(width, height) < min(min_width, min_height) or max(width, height) < max(min_width, min_height):
        return Legibility(False, "too_small", width, height)
    value = sharpness(image)
    if value < min_sharpness:
        return Legibility(False, "blurred", width, height, value)
    return Legibility(True, "ok", width, height, value)
