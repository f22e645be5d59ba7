"""Amounts in Chinese capital numerals (人民币大写), as written on forms and contracts."""

from decimal import ROUND_HALF_UP, Decimal

from .errors import LibError, _lt

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("", "拾", "佰", "仟")
BIG_UNITS = ("", "万", "亿", "万亿")


def _four_digits(number):
    """0 < number < 10000 -> capital numerals with 零 between non-adjacent digits."""
    text = ""
    zero = False
    for position in range(3, -1, -1):
        digit = number // 10**position % 10
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += DIGITS[digit] + SMALL_UNITS[position]
    return text


def amount_in_words(amount):
    """``8000`` -> ``捌仟元整``; ``12345.6`` -> ``壹万贰仟叁佰肆拾伍元陆角``; ``0`` -> ``零元整``."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value < 0:
        raise LibError(_lt("A negative amount has no capital form."))
    yuan = int(value)
    cents = int((value - yuan) * 100)
    if yuan == 0 and cents == 0:
        return "零元整"
    text = ""
    if yuan:
        groups = []
        while yuan:
            groups.append(yuan % 10000)
            yuan //= 10000
        if len(groups) > len(BIG_UNITS):
            raise LibError(_lt("The amount is too large."))
        need_zero = False
        for index in range(len(groups) - 1, -1, -1):
            group = groups[index]
            if group == 0:
                need_zero = bool(text)
                continue
            if text and (need_zero or group < 1000):
                text += "零"
            need_zero = False
            text += _four_digits(group) + BIG_UNITS[index]
        text += "元"
    jiao, fen = divmod(cents, 10)
    if not cents:
        return text + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif text:
        text += "零"
    if fen:
        text += DIGITS[fen] + "分"
    return text
