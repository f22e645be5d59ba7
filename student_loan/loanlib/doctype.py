"""What an uploaded document is (ID card, admission notice, ...), guessed from its file name and its shape.

Plain Python (no Odoo import), unit-tested on its own. The attachment types (``student.loan.attachment.type``)
give the words of their file names (``keywords``) and their shape (``card``: an ID card or a student card,
``page``: a notice, a form or a contract page); the Odoo layer picks among the types with these hints.
"""

import io
import unicodedata
import warnings

from PIL import Image, UnidentifiedImageError

# An ID card is 85.6 × 54 mm (ratio 1.59), a student card about the same; an A4 page is 1.41 and a
# photographed page is often cropped a little: between these bounds a photo is a card.
CARD_RATIO = (1.5, 1.75)
MAX_PIXELS = 60_000_000


def normalize_name(file_name):
    """The file name without its extension, NFKC-normalised and lower-cased (全角 letters, 'ID_Card')."""
    name = (file_name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if "." in name:
        name = name.rsplit(".", 1)[0]
    return unicodedata.normalize("NFKC", name).lower()


def parse_keywords(text):
    """The keywords of a type, typed comma- or 、-separated (``"学生证, student card"``)."""
    words = (text or "").replace("，", ",").replace("、", ",").replace("\n", ",").split(",")
    return [normalize_name(word.strip() + ".x") for word in words if word.strip()]


def guess_by_name(file_name, keywords_by_code):
    """The code whose keyword appears in the file name, the longest keyword winning (then the first code).

    :param keywords_by_code: ``{code: [keyword, ...]}`` in the order of preference
    :return: a code, or ``None`` when no keyword appears
    """
    name = normalize_name(file_name)
    best, best_length = None, 0
    for code, keywords in keywords_by_code.items():
        for keyword in keywords:
            if keyword and keyword in name and len(keyword) > best_length:
                best, best_length = code, len(keyword)
    return best


def document_shape(raw, mimetype):
    """``"card"`` for a photo shaped like a card, ``"page"`` for a PDF or a page-shaped photo, else ``None``."""
    if mimetype == "application/pdf":
        return "page"
    if not (mimetype or "").startswith("image/"):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            width, height = Image.open(io.BytesIO(raw)).size
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError, Warning):
        return None
    if not width or not height or width * height > MAX_PIXELS:
        return None
    ratio = max(width, height) / min(width, height)
    return "card" if CARD_RATIO[0] <= ratio <= CARD_RATIO[1] else "page"


def guess_type_code(file_name, raw, mimetype, types, taken=()):
    """The code of the attachment type an upload most likely is.

    :param types: ``[(code, keywords, shape), ...]`` in the order of preference (the types' sequence)
    :param taken: codes already attached (an ID card photographed without a telling name is the student's
        first, then the co-borrower's)
    :return: a code: by the file name's words, else the first type of the file's shape not yet taken, else
        the first of that shape; ``None`` when nothing tells
    """
    code = guess_by_name(file_name, {code: keywords for code, keywords, _shape in types})
    if code:
        return code
    shape = document_shape(raw, mimetype)
    if not shape:
        return None
    of_shape = [code for code, _keywords, type_shape in types if type_shape == shape]
    free = [code for code in of_shape if code not in set(taken)]
    return (free or of_shape or [None])[0]
