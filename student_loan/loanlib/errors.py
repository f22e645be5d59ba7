"""Messages of the pure libraries that the Odoo layer translates (plain Python, no Odoo import).

A library never formats a user-facing sentence itself: it raises :class:`LibError` (a
``ValueError``) or returns a :class:`LibMessage` built from an English message id and its
parameters::

    raise LibError(_lt("The ID number %(number)s has a wrong check digit."), number=raw)

``str()`` is the English text (plain tests and logs read it); ``.msgid`` and ``.params`` let the
Odoo layer look the message up in the addon's ``i18n/zh_CN.po`` and format it in the user's
language (``odoo.addons.student_loan.models.lib_errors.lib_error_message``).

``_lt`` is a no-op marker: Odoo's translation extractor (``--i18n-export``) collects the first
string argument of every ``_lt(...)`` call in an addon's ``.py`` files, so every message id of
a library lands in the addon's ``.pot`` and ``zh_CN.po``. Parameters that are themselves
:class:`LibMessage` objects (a field label such as "The tuition") are translated too.
"""

import sys


def _lt(msgid):
    """Mark ``msgid`` for the translation extractor; returns it unchanged."""
    return msgid


def _format(msgid, params):
    if not params:
        return msgid
    return msgid % {key: str(value) for key, value in params.items()}


def _origin():
    """The package that built the message (``student_loan_sms`` for ``odoo.addons.student_loan_sms.smslib.text``):
    the addon whose ``.po`` files translate it."""
    frame = sys._getframe(1)
    while frame and frame.f_globals.get("__name__") == __name__:
        frame = frame.f_back
    name = frame.f_globals.get("__name__", "") if frame else ""
    return name.removeprefix("odoo.addons.").split(".")[0]


class LibMessage(str):
    """An English sentence (the ``str`` value) that remembers its message id, parameters and addon."""

    def __new__(cls, msgid, /, **params):
        text = super().__new__(cls, _format(msgid, params))
        text.msgid = msgid
        text.params = params
        text.module = _origin()
        return text

    def __reduce__(self):
        return (_rebuild_message, (self.msgid, self.params))


def _rebuild_message(msgid, params):
    return LibMessage(msgid, **params)


class LibError(ValueError):
    """A refusal meant for the person who typed or uploaded the value.

    :param msgid: the English source text with ``%(name)s`` placeholders (wrapped in ``_lt``)
    :param params: the values of the placeholders (numbers are best passed already formatted)
    """

    def __init__(self, msgid, /, **params):
        self.message = LibMessage(msgid, **params)
        super().__init__(str(self.message))

    @property
    def msgid(self):
        return self.message.msgid

    @property
    def params(self):
        return self.message.params
