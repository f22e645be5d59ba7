"""Checks of the files a student uploads with a competition work (plain Python, no Odoo import)."""

import os


class FileProblem(ValueError):
    """A file breaks a limit. ``code`` is one of ``no_name``, ``empty``, ``type``, ``size``;
    ``params`` hold what a translated message needs (``filename``, ``allowed``, ``max_size_mb``)."""

    def __init__(self, code, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params


def parse_extensions(text):
    """``"jpg, .PNG;pdf"`` -> ``("jpg", "png", "pdf")`` (lower case, no dots, no duplicates)."""
    result = []
    for part in (text or "").replace(";", ",").replace(" ", ",").split(","):
        part = part.strip().lower().lstrip(".")
        if part and part not in result:
            result.append(part)
    return tuple(result)


def extension(filename):
    return os.path.splitext(filename or "")[1].lower().lstrip(".")


def check_file(filename, size, allowed_extensions, max_size_mb):
    """Raise :class:`FileProblem` when the file breaks the category's limits.

    :param allowed_extensions: text such as ``"jpg,png,pdf"``; empty means any type
    :param max_size_mb: maximum size in megabytes; 0 means no limit
    """
    if not filename:
        raise FileProblem("no_name")
    if not size:
        raise FileProblem("empty", filename=filename)
    allowed = parse_extensions(allowed_extensions)
    if allowed and extension(filename) not in allowed:
        raise FileProblem("type", filename=filename, allowed=", ".join(allowed))
    if max_size_mb and size > max_size_mb * 1024 * 1024:
        raise FileProblem("size", filename=filename, max_size_mb=max_size_mb)
