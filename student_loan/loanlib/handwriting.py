"""Hand-drawn signatures: the strokes a signature pad records, checked and drawn again on the server.

A signature is accepted only as the strokes of a pen or a finger (``SignaturePad.toData()``: a list
of strokes, each with its points ``{x, y, time}`` in canvas pixels and milliseconds). The server
draws the image from them itself, so a typed name rendered in a font ("自动") or an imported picture
can never become a signature; the strokes are kept as evidence.
"""

import io
import json
import math

from PIL import Image, ImageDraw

MAX_STROKES = 300
MAX_POINTS = 20000
MAX_CANVAS = 4000
MIN_POINTS = 15
MIN_DURATION_MS = 250
MIN_WIDTH_RATIO = 0.12


class SignatureRefused(ValueError):
    """A signature that is not a hand drawing. ``code``: 'invalid', 'empty', 'not_drawn', 'too_short'."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def _number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise SignatureRefused("invalid")
    return float(value)


def _parse_points(points, width, height):
    parsed, last_time = [], None
    for point in points:
        if not isinstance(point, dict):
            raise SignatureRefused("invalid")
        x, y, t = _number(point.get("x")), _number(point.get("y")), _number(point.get("time"))
        if not (-width * 0.1 <= x <= width * 1.1 and -height * 0.1 <= y <= height * 1.1):
            raise SignatureRefused("invalid")
        if last_time is not None and t < last_time:
            raise SignatureRefused("not_drawn")
        last_time = t
        parsed.append((x, y, t))
    return parsed


def parse_strokes(data, width, height):
    """The strokes as ``[[(x, y, t), ...], ...]`` after checking they are a hand drawing.

    ``data``: the pad's strokes (a list, or its JSON text); ``width``/``height``: the canvas size.
    :raise SignatureRefused: with the reason's code.
    """
    if isinstance(data, (str, bytes)):
        try:
            data = json.loads(data)
        except ValueError as error:
            raise SignatureRefused("invalid") from error
    width, height = _number(width), _number(height)
    if not (10 <= width <= MAX_CANVAS and 10 <= height <= MAX_CANVAS):
        raise SignatureRefused("invalid")
    if not isinstance(data, list) or len(data) > MAX_STROKES:
        raise SignatureRefused("invalid")
    strokes, count = [], 0
    for stroke in data:
        points = stroke.get("points") if isinstance(stroke, dict) else None
        if not isinstance(points, list):
            raise SignatureRefused("invalid")
        count += len(points)
        if count > MAX_POINTS:
            raise SignatureRefused("invalid")
        parsed = _parse_points(points, width, height)
        if parsed:
            strokes.append(parsed)
    if not strokes:
        raise SignatureRefused("empty")
    points = [point for stroke in strokes for point in stroke]
    times = [t for _x, _y, t in points]
    if len(points) < MIN_POINTS:
        raise SignatureRefused("too_short")
    if max(times) - min(times) < MIN_DURATION_MS:
        # a whole name written in less than a quarter of a second was not written by a hand
        raise SignatureRefused("not_drawn")
    xs = [x for x, _y, _t in points]
    if max(xs) - min(xs) < width * MIN_WIDTH_RATIO:
        raise SignatureRefused("too_short")
    return strokes


def render_png(strokes, width, height, line_width=None):
    """PNG bytes of the strokes on a transparent canvas of ``width`` × ``height``."""
    width, height = int(round(width)), int(round(height))
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    pen = line_width or max(2, round(width / 220))
    for stroke in strokes:
        xy = [(x, y) for x, y, _t in stroke]
        if len(xy) == 1:
            x, y = xy[0]
            draw.ellipse((x - pen / 2, y - pen / 2, x + pen / 2, y + pen / 2), fill=(0, 0, 0, 255))
        else:
            draw.line(xy, fill=(0, 0, 0, 255), width=pen, joint="curve")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def evidence(strokes, width, height, **extra):
    """The JSON kept with the signature: canvas size, strokes, and what the caller adds (time, IP...)."""
    return json.dumps(
        dict(
            extra,
            width=width,
            height=height,
            strokes=[[[round(x, 1), round(y, 1), round(t)] for x, y, t in stroke] for stroke in strokes],
        ),
        ensure_ascii=False,
        separators=(",", ":"),
    )


def sample_strokes(width=600, height=300, start=0):
    """Strokes of a plausible hand-written name (tests and demo data)."""
    strokes, t = [], start
    for offset in (0, 170, 340):
        points = []
        for i in range(12):
            points.append(
                {
                    "x": 60 + offset + i * 11,
                    "y": height / 2 + 60 * math.sin(i / 2 + offset),
                    "time": t,
                }
            )
            t += 25
        strokes.append({"points": points})
        t += 120
    return strokes
