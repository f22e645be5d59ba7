"""Validation of people's identifiers: Chinese resident ID numbers and mobile numbers.

Plain Python (no Odoo import) so it is unit-tested on its own. Every function raises
``ValueError`` with a message meant for the person who typed the value.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass

import phonenumbers
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric

from .errors import LibError, _lt

ID_NUMBER_RE = re.compile(r"[0-9]{17}[0-9X]", re.ASCII)


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: datetime.date
    gender: str  # 'male' | 'female'
    region_code: str


def parse_resident_id(value, today=None):
    """Validate an 18-digit resident ID (GB 11643) and derive birth date, gender and region.

    :raises ValueError: with the reason (length, characters, checksum, birth date).
    """
    if not value or not str(value).strip():
        raise LibError(_lt("The ID number is empty."))
    raw = str(value).strip()
    # NFKC: full-width digits and letters typed with a Chinese input method become ASCII.
    number = "".join(unicodedata.normalize("NFKC", raw).split()).replace("-", "").upper()
    if len(number) != 18:
        raise LibError(
            _lt("The ID number %(number)s must have 18 characters, it has %(length)s."), number=raw, length=len(number)
        )
    if not ID_NUMBER_RE.fullmatch(number):
        raise LibError(_lt("The ID number %(number)s may contain only digits and a final X."), number=raw)
    try:
        birth_date = ric.get_birth_date(number)
    except stdnum_exceptions.ValidationError as error:
        raise LibError(_lt("The ID number %(number)s contains an invalid birth date."), number=raw) from error
    today = today or datetime.date.today()
    if birth_date > today or birth_date.year < 1900:
        raise LibError(
            _lt("The ID number %(number)s contains an impossible birth date (%(date)s)."), number=raw, date=birth_date
        )
    if ric.calc_check_digit(number) != number[17]:
        raise LibError(
            _lt("The ID number %(number)s has a wrong check digit: check every digit against the ID card."), number=raw
        )
    gender = "male" if int(number[16]) % 2 else "female"
    return ResidentId(number=number, birth_date=birth_date, gender=gender, region_code=number[:6])


def normalize_cn_mobile(value):
    """Return a Chinese mobile number as 11 digits (``13812345678``).

    Accepts spaces, dashes and a +86 / 0086 prefix.
    :raises ValueError: when it is not a valid mainland mobile number.
    """
    if not value or not str(value).strip():
        raise LibError(_lt("The mobile number is empty."))
    raw = str(value).strip()
    try:
        parsed = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException as error:
        raise LibError(_lt("%(number)s is not a phone number."), number=raw) from error
    if parsed.country_code != 86 or not phonenumbers.is_valid_number(parsed):
        raise LibError(_lt("%(number)s is not a valid Chinese mobile number."), number=raw)
    if phonenumbers.number_type(parsed) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise LibError(_lt("%(number)s is not a mobile number (a landline cannot receive SMS)."), number=raw)
    return str(parsed.national_number)


def mask_id_number(number):
    """``410181200001011234`` -> ``410181********1234`` (for lists shown to roles that need no ID)."""
    if not number:
        return ""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


# The parts of a detailed address (详细地址), as the document check and the return reasons name them:
# the village, the group and the house number (村、组、门牌号); a town address gives its street instead of
# the village and the group.
ADDRESS_PARTS = ("county", "village", "group", "house_number")
COUNTY_MARKS = ("县", "区", "市")
STREET_MARKS = ("路", "街", "巷", "小区", "社区", "大道")
HOUSE_NUMBER_MARKS = ("号",)
MIN_ADDRESS_LENGTH = 8


def address_missing_parts(address):
    """The parts of ``ADDRESS_PARTS`` a postal address lacks, in their order (empty when it is complete).

    The bulletin asks that the co-borrower's address be detailed (详细): a county or district, then the
    village, the group and the house number (村、组、门牌号), or in a town the street and the house number.
    """
    text = "".join(str(address).split()) if address else ""
    missing = []
    if not any(mark in text for mark in COUNTY_MARKS) or len(text) < MIN_ADDRESS_LENGTH:
        missing.append("county")
    if not any(mark in text for mark in STREET_MARKS):
        if "村" not in text:
            missing.append("village")
        if "组" not in text:
            missing.append("group")
    if not any(mark in text for mark in HOUSE_NUMBER_MARKS):
        missing.append("house_number")
    return tuple(missing)


def is_address_complete(address):
    """A postal address is complete when it lacks none of its parts (``address_missing_parts``)."""
    return not address_missing_parts(address)
