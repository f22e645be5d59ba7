"""Inspection of uploaded files beyond their type: active content in PDFs, image dimensions.

Plain Python (no Odoo import) so it is unit- and property-tested on its own. Every check raises
``ValueError`` with a message meant for the person who uploaded the file.
"""

import io
import re
import warnings
import zlib

from PIL import Image

from .errors import LibError, _lt

# At most 50 megapixels (Odoo's own limit for images it processes): a few kilobytes of PNG can
# declare a huge image that takes gigabytes of memory once decoded (a decompression bomb).
MAX_IMAGE_PIXELS = 50_000_000

# PDF names that run code, open other programs, carry other files or send data.
ACTIVE_PDF_NAMES = frozenset(
    {
        b"JavaScript",
        b"JS",
        b"Launch",
        b"EmbeddedFile",
        b"EmbeddedFiles",
        b"RichMedia",
        b"XFA",
        b"SubmitForm",
        b"ImportData",
    }
)
PDF_FILTERS = frozenset(
    {
        b"FlateDecode",
        b"Fl",
        b"ASCIIHexDecode",
        b"AHx",
        b"ASCII85Decode",
        b"A85",
        b"LZWDecode",
        b"LZW",
        b"RunLengthDecode",
        b"RL",
        b"CCITTFaxDecode",
        b"CCF",
        b"JBIG2Decode",
        b"DCTDecode",
        b"DCT",
        b"JPXDecode",
        b"Crypt",
    }
)
# An object stream (PDF 1.5) holds dictionaries compressed: they are inflated to be inspected,
# within this bound (a real one is a few hundred kilobytes; more is a decompression bomb).
MAX_OBJECT_STREAM = 16 * 1024 * 1024

_NAME = re.compile(rb"/([^\x00\t\n\x0c\r /<>\[\]()%{}]*)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"(?<![A-Za-z])stream\r?\n")
_OBJ = re.compile(rb"\d+\s+\d+\s+obj\b")


def pdf_names(data):
    """The names (``/Name``) in ``data``, with their ``#xx`` escapes decoded (``/J#61vaScript``)."""
    return {_ESCAPE.sub(lambda match: bytes([int(match[1], 16)]), match[1]) for match in _NAME.finditer(data)}


def _object_streams(raw):
    """Yield ``(filters, data)`` of each object stream (``/Type /ObjStm``) of a PDF file."""
    for match in _STREAM.finditer(raw):
        start = max(0, match.start() - 8192)
        header = raw[start : match.start()]
        objects = list(_OBJ.finditer(header))
        if objects:
            header = header[objects[-1].end() :]
        names = pdf_names(header)
        if b"ObjStm" not in names:
            continue
        end = raw.find(b"endstream", match.end())
        yield names & PDF_FILTERS, raw[match.end() : end if end >= 0 else len(raw)]


def _inflate(data):
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_OBJECT_STREAM)
    except zlib.error as error:
        raise LibError(_lt("The PDF file is damaged (a compressed part cannot be read).")) from error
    if inflater.unconsumed_tail:
        raise LibError(_lt("The PDF file is too complex to be checked (a compressed part is too large)."))
    return out


def check_pdf(raw):
    """Refuse a PDF that is encrypted or holds active content (JavaScript, launch actions, files).

    :raises ValueError: naming what was found.
    """
    names = pdf_names(raw)
    if b"Encrypt" in names:
        raise LibError(_lt("Encrypted or password-protected PDF files are not accepted: scan or print it again."))
    found = names & ACTIVE_PDF_NAMES
    for filters, data in _object_streams(raw):
        if filters - {b"FlateDecode", b"Fl"}:
            raise LibError(_lt("The PDF file uses an unusual compression and cannot be checked: scan it again."))
        found |= pdf_names(_inflate(data) if filters else data) & ACTIVE_PDF_NAMES
    if found:
        raise LibError(
            _lt("PDF files with scripts, actions or embedded files are not accepted (found: %(names)s)."),
            names=", ".join(sorted(name.decode("latin-1") for name in found)),
        )


def check_image(raw, max_pixels=MAX_IMAGE_PIXELS):
    """Refuse an image that cannot be read or whose size would take too much memory to decode.

    Only the header is read: the pixels are never decoded here.
    :raises ValueError: with the reason.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # refused below, not logged
            with Image.open(io.BytesIO(raw)) as image:
                width, height = image.size
    except Image.DecompressionBombError as error:
        raise LibError(_lt("The image is too large (too many pixels).")) from error
    except (OSError, ValueError, SyntaxError) as error:
        raise LibError(_lt("The image file is damaged and cannot be read.")) from error
    if width * height > max_pixels:
        raise LibError(
            _lt("The image is %(width)s × %(height)s pixels; at most %(max)s megapixels are accepted."),
            width=width,
            height=height,
            max=max_pixels // 1_000_000,
        )
