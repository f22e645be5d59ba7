"""Message text: Chinese placeholders, length and segments, phone numbers, opt-out replies."""

import math
import re

from .errors import LibError, _lt

PLACEHOLDER_RE = re.compile(r"\{(\w+)\}")

# Chinese operators bill a message of at most 70 characters as one SMS; a longer one is split
# into parts of 67 characters (the rest of each part carries the concatenation header).
SINGLE_LIMIT = 70
PART_LIMIT = 67

# Mainland mobile numbers: 11 digits starting with 1[3-9].
_CN_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")

DEFAULT_OPTOUT_KEYWORDS = ("TD", "T", "N", "退订", "取消", "STOP", "UNSUBSCRIBE")


class MissingPlaceholderError(ValueError):
    """A placeholder of the template has no value for a recipient."""

    def __init__(self, names):
        self.names = list(names)
        super().__init__(", ".join("{%s}" % name for name in self.names))


def placeholders(text):
    """The placeholder names used in ``text``, in order of first appearance."""
    seen = []
    for name in PLACEHOLDER_RE.findall(text or ""):
        if name not in seen:
            seen.append(name)
    return seen


def render(text, values):
    """Replace every ``{name}`` of ``text`` with ``values[name]``.

    A placeholder with no value (absent, None, False or an empty string) raises
    :class:`MissingPlaceholderError` naming all of them, so nothing half-filled is ever sent.
    """
    missing = [name for name in placeholders(text) if values.get(name) in (None, False, "")]
    if missing:
        raise MissingPlaceholderError(missing)
    return PLACEHOLDER_RE.sub(lambda match: str(values[match.group(1)]), text or "")


def message_length(body, sign_name=""):
    """Characters billed: the operator adds the signature 【sign】 to the body."""
    sign = f"【{sign_name}】" if sign_name else ""
    return len(sign) + len(body or "")


def segment_count(body, sign_name=""):
    """Number of billed SMS parts: one up to 70 characters, else parts of 67."""
    length = message_length(body, sign_name)
    if not length:
        return 0
    if length <= SINGLE_LIMIT:
        return 1
    return math.ceil(length / PART_LIMIT)


def normalize_cn_mobile(raw):
    """A mainland mobile number in E.164 form (``+8613812345678``), or ValueError.

    Accepts spaces, dashes, brackets and the prefixes ``+86``, ``0086`` or ``86``.
    """
    if not raw:
        raise LibError(_lt("There is no phone number."))
    digits = re.sub(r"[\s\-().]", "", str(raw))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not _CN_MOBILE_RE.match(digits):
        raise LibError(_lt("%(number)s is not a valid mainland mobile number."), number=raw)
    return f"+86{digits}"


def national_number(e164):
    """``+8613812345678`` → ``13812345678`` (what Alibaba Cloud expects for mainland numbers)."""
    return e164[3:] if e164 and e164.startswith("+86") else e164


def is_optout_reply(text, keywords=DEFAULT_OPTOUT_KEYWORDS):
    """Whether an inbound reply asks to unsubscribe: the whole reply is one of the keywords
    (case-insensitive, surrounding blanks and punctuation ignored)."""
    cleaned = re.sub(r"[\s.。!！,，]+", "", text or "").upper()
    return bool(cleaned) and cleaned in {keyword.strip().upper() for keyword in keywords if keyword.strip()}


def parse_keywords(value):
    """``"TD, 退订"`` → ``("TD", "退订")``."""
    return tuple(part.strip() for part in re.split(r"[,，\s]+", value or "") if part.strip())


def in_quiet_hours(hour, start, end):
    """Whether the local time ``hour`` (a float, 22.5 = 22:30) falls in the quiet period.

    The period may wrap midnight (22:00-08:00). ``start == end`` means no quiet hours.
    """
    if start == end:
        return False
    if start < end:
        return start <= hour < end
    return hour >= start or hour < end


def hours_until(hour, target):
    """Hours from ``hour`` to the next ``target`` (both floats in [0, 24))."""
    return (target - hour) % 24


def backoff_seconds(attempt, base=60, cap=3600):
    """Delay before retry number ``attempt`` (1 = first retry): base, 2·base, 4·base… at most cap."""
    return min(cap, base * 2 ** max(0, attempt - 1))
