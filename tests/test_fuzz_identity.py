"""Fuzzing the identity validators (``loanlib.identity``) with hypothesis: any input, no crash.

Every function either returns a well-formed value or raises ``ValueError`` with a message for the
person who typed the value; nothing else escapes (no ``IndexError``, no ``TypeError``...).
"""

import datetime
import re
import unicodedata

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from loanlib import identity

FUZZ = settings(max_examples=300, deadline=None)
ID_RE = re.compile(r"[0-9]{17}[0-9X]", re.ASCII)
TODAY = datetime.date(2026, 1, 1)

# Text that looks like what people type: digits (ASCII, full-width, other scripts), X/x, spaces,
# dashes, plus signs and anything else.
id_like = st.one_of(
    st.text(alphabet="0123456789Xx -", max_size=24),
    st.text(alphabet="０１２３４５６７８９Ｘｘ０123456789 ", min_size=17, max_size=20),
    st.text(max_size=30),
    st.text(alphabet=st.characters(categories=["Nd", "No"]), min_size=18, max_size=18),
)


@st.composite
def valid_ids(draw):
    region = draw(st.sampled_from(["410000", "411623", "410181", "419001", "110101"]))
    birth = draw(st.dates(datetime.date(1900, 1, 1), TODAY))
    serial = draw(st.integers(0, 999))
    body = f"{region}{birth:%Y%m%d}{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


@FUZZ
@given(id_like)
@example("４１１６２３２００００１０１００１８")  # full-width digits (Chinese input methods)
@example("41162320000101001²")
@example("٤١١٦٢٣٢٠٠٠٠١٠١٠٠١٨")  # Arabic-Indic digits
def test_parse_resident_id_any_text(value):
    try:
        parsed = identity.parse_resident_id(value, today=TODAY)
    except ValueError as error:
        assert str(error)
        return
    assert ID_RE.fullmatch(parsed.number), parsed.number
    assert parsed.region_code == parsed.number[:6]
    assert parsed.gender in ("male", "female")
    assert datetime.date(1900, 1, 1) <= parsed.birth_date <= TODAY
    assert identity.parse_resident_id(parsed.number, today=TODAY) == parsed


@FUZZ
@given(valid_ids(), st.sampled_from(["", " ", "-"]), st.booleans(), st.booleans())
def test_valid_ids_in_any_spelling(number, separator, lower, full_width):
    spelled = separator.join([number[:6], number[6:14], number[14:]])
    if lower:
        spelled = spelled.lower()
    if full_width:
        spelled = "".join(chr(ord(char) + 0xFEE0) if char.isalnum() else char for char in spelled)
    parsed = identity.parse_resident_id(f" {spelled} ", today=TODAY)
    assert parsed.number == number


@FUZZ
@given(valid_ids(), st.integers(0, 17), st.integers(1, 9))
def test_any_single_digit_error_is_caught(number, position, delta):
    """The check digit (ISO 7064 MOD 11-2) catches every single mistyped character."""
    alphabet = "0123456789X" if position == 17 else "0123456789"
    wrong = alphabet[(alphabet.index(number[position]) + delta) % len(alphabet)]
    typo = number[:position] + wrong + number[position + 1 :]
    try:
        identity.parse_resident_id(typo, today=TODAY)
    except ValueError:
        return
    raise AssertionError(f"{typo} (typo of {number}) was accepted")


mobile_like = st.one_of(
    st.text(alphabet="0123456789+- ()", max_size=20),
    st.from_regex(r"\A(\+86|0086|86)? ?1[3-9][0-9]{9}\Z"),
    st.text(max_size=25),
)


@FUZZ
@given(mobile_like)
@example("１３８１２３４５６７８")
@example("+1 202 555 0143")
@example("010-12345678")
def test_normalize_mobile_any_text(value):
    try:
        mobile = identity.normalize_cn_mobile(value)
    except ValueError as error:
        assert str(error)
        return
    assert re.fullmatch(r"1[3-9][0-9]{9}", mobile, re.ASCII), mobile
    assert identity.normalize_cn_mobile(mobile) == mobile


@FUZZ
@given(st.from_regex(r"\A1[3-9][0-9]{9}\Z"), st.sampled_from(["{}", "+86 {}", "0086{}", "+86-{}", " {} "]))
def test_mobile_spellings_agree(mobile, spelling):
    try:
        expected = identity.normalize_cn_mobile(mobile)
    except ValueError:
        assume(False)
    assert identity.normalize_cn_mobile(spelling.format(mobile)) == expected


@FUZZ
@given(st.one_of(st.none(), st.text(max_size=40)))
def test_mask_never_shows_the_middle(number):
    masked = identity.mask_id_number(number)
    if not number:
        assert masked == ""
        return
    assert len(masked) == len(number)
    if len(number) <= 10:
        assert set(masked) == {"*"}
    else:
        assert masked[:6] == number[:6] and masked[-4:] == number[-4:]
        assert set(masked[6:-4]) == {"*"}


@FUZZ
@given(st.one_of(st.none(), st.text(max_size=60), st.integers()))
def test_address_check_any_value(address):
    assert identity.is_address_complete(address) in (True, False)


def test_normalised_ids_are_ascii():
    """An ID typed with full-width digits is stored as the same ASCII number (one person, one number)."""
    number = "411623200001010018"
    assert ric.is_valid(number)
    full_width = unicodedata.normalize("NFKC", number).translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    assert identity.parse_resident_id(full_width, today=TODAY).number == number


def test_full_width_mobile_is_ascii():
    assert identity.normalize_cn_mobile("１３８１２３４５６７８") == "13812345678"
