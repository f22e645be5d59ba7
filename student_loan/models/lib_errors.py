"""The Odoo side of ``loanlib.errors``: a library's English message in the user's language.

The pure libraries (``loanlib``, ``smslib``, ``intakelib``, ``reportlib``, ``competitionlib``) raise
:class:`~odoo.addons.student_loan.loanlib.errors.LibError` or return
:class:`~odoo.addons.student_loan.loanlib.errors.LibMessage` objects carrying the English message id
and its parameters; :func:`lib_error_message` looks the message id up in the ``.po`` files of the
addon that holds the library (then of the other project addons) and formats it.
"""

import logging

from odoo.tools.translate import code_translations

_logger = logging.getLogger(__name__)

PROJECT_PREFIX = "student_loan"


def _candidate_modules(env, first):
    installed = env.registry._init_modules
    modules = [first] if first in installed else []
    modules += sorted(name for name in installed if name.startswith(PROJECT_PREFIX) and name != first)
    return modules


def _translate_msgid(env, msgid, module, lang):
    if lang == "en_US":
        return msgid
    for candidate in _candidate_modules(env, module):
        translation = code_translations.get_python_translations(candidate, lang).get(msgid)
        if translation:
            return translation
    return msgid


def lib_error_message(env, error):
    """The text of ``error`` (a ``LibError``, a ``LibMessage`` or any exception) in ``env``'s language.

    Anything that carries no message id (a plain ``ValueError``) is returned as ``str(error)``.
    """
    message = getattr(error, "message", error)
    msgid = getattr(message, "msgid", None)
    if not msgid:
        return str(error)
    lang = env.lang or "en_US"
    params = {
        key: lib_error_message(env, value) if getattr(value, "msgid", None) else str(value)
        for key, value in (message.params or {}).items()
    }
    translation = _translate_msgid(env, msgid, getattr(message, "module", ""), lang)
    if not params:
        return translation
    try:
        return translation % params
    except (KeyError, TypeError, ValueError):
        _logger.exception("Bad translation %r of %r", translation, msgid)
        return msgid % params
