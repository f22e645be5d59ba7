"""Reading the poverty office's register (扶贫办数据库 export) and comparing it with the last import.

Plain Python (no Odoo import). The flow:

1. :func:`read_table` checks the file (type, size, encoding) and returns its header and rows;
2. :func:`suggest_mapping` maps columns to targets from the header's words;
3. :func:`parse_rows` checks every row against the mapping and returns :class:`RegisterRow` records
   with per-row :class:`Issue` objects (errors block the import, warnings do not);
4. :func:`diff_register` compares the records with the persons listed by the previous import.

Issues carry a ``code`` and ``params`` so the caller can translate them; ``message`` is English.
A person's ``key`` is ``id:<ID number>`` when the ID is valid, ``nb:<name>|<birth date>`` otherwise;
its ``row_hash`` covers every mapped value, so a re-import of the same rows changes nothing.
"""

import csv
import datetime
import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field

from stdnum.cn import ric

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 500_000
MAX_NAME_LENGTH = 50

#: What a column can be mapped to, in display order.
TARGETS = (
    "id_number",
    "name",
    "birth_date",
    "gender",
    "household_no",
    "household_head",
    "relation",
    "address",
    "phone",
    "school",
)
REQUIRED_TARGETS = ("id_number", "name")

#: Header words of the poverty office's exports (and English ones), normalised by :func:`_header_word`.
HEADER_ALIASES = {
    "id_number": ("身份证号", "身份证号码", "证件号码", "公民身份号码", "身份证", "证件号", "idnumber", "id"),
    "name": ("姓名", "学生姓名", "成员姓名", "人员姓名", "name"),
    "birth_date": ("出生日期", "出生年月日", "生日", "birthdate", "dateofbirth"),
    "gender": ("性别", "gender", "sex"),
    "household_no": ("户编号", "家庭编号", "户号", "户码", "householdno", "householdnumber"),
    "household_head": ("户主姓名", "户主", "householdhead"),
    "relation": ("与户主关系", "关系", "relation"),
    "address": ("地址", "家庭住址", "住址", "家庭地址", "所在村", "村", "address"),
    "phone": ("联系电话", "电话", "手机", "手机号", "手机号码", "phone", "mobile"),
    "school": ("就读学校", "学校", "毕业学校", "高中学校", "就读高中", "school", "highschool"),
}

MESSAGES = {
    # file-level
    "empty_file": "The file is empty.",
    "too_large": "The file is {size_mb} MB; the limit is {limit_mb} MB. Split the list (for example by "
    "township) and import each part.",
    "xls_format": "This is an old Excel 97-2003 (.xls) file: save it as .xlsx or CSV and import it again.",
    "wrong_type": "{filename} is not an XLSX or CSV file.",
    "bad_xlsx": "The XLSX file cannot be read: {detail}",
    "bad_encoding": "The CSV file is neither UTF-8 nor GB18030 (GBK) text.",
    "binary_csv": "The file contains binary data: it is not a CSV file.",
    "bad_csv": "The CSV file cannot be read: {detail}",
    "sheet_missing": "The workbook has no sheet named {sheet}.",
    "no_header": "Row {row} (the header row) is empty or beyond the end of the file.",
    "no_rows": "The file has a header but no data rows.",
    "too_many_rows": "The file has more than {limit} rows.",
    "missing_columns": "Required columns are not mapped: {columns}.",
    "mapped_twice": "{target} is mapped to more than one column.",
    # per row
    "name_missing": "The name is empty.",
    "name_too_long": "The name is longer than {limit} characters.",
    "id_missing": "The ID number is empty; the person will be matched by name and birth date.",
    "id_length": "The ID number {value} has {length} characters instead of 18; the person will be matched "
    "by name and birth date.",
    "id_chars": "The ID number {value} contains characters other than digits and a final X; the person will "
    "be matched by name and birth date.",
    "id_birth": "The ID number {value} contains an impossible birth date; the person will be matched by name "
    "and birth date.",
    "id_checksum": "The ID number {value} has a wrong check digit; the person will be matched by name and birth date.",
    "id_float": "The ID number {value} was stored as a number in Excel and lost digits: format the column "
    "as text and export again.",
    "id_15": "The old 15-digit ID number {value} was converted to {number}.",
    "no_identity": "Neither a valid ID number nor a birth date: the person cannot be identified.",
    "birth_invalid": "The birth date {value} is not a date (write it as 2006-09-01).",
    "birth_mismatch": "The birth date {value} differs from the one in the ID number ({id_birth}).",
    "gender_unknown": "The gender {value} is not understood (男 or 女).",
    "duplicate_same": "Repeats row {row}: ignored.",
    "duplicate_conflict": "Same person as row {row} (same ID number, or same name and birth date) with "
    "different details.",
}


class FileError(ValueError):
    """The whole file is refused (nothing is imported)."""

    def __init__(self, code, **params):
        self.code = code
        self.params = params
        super().__init__(MESSAGES[code].format(**params))


@dataclass(frozen=True)
class Issue:
    row: int | None  # the row number as the spreadsheet shows it (header = 1 by default)
    level: str  # 'error' (blocks the import) | 'warning'
    code: str
    params: dict = field(default_factory=dict)
    column: str | None = None

    @property
    def message(self):
        return MESSAGES[self.code].format(**self.params)


@dataclass
class Table:
    kind: str  # 'xlsx' | 'csv'
    headers: list
    rows: list  # (row number, tuple of cell values)
    sheet: str | None = None
    sheets: tuple = ()


@dataclass(frozen=True)
class RegisterRow:
    row: int
    key: str
    row_hash: str
    name: str
    id_number: str  # valid, normalised; '' otherwise
    id_raw: str  # as written in the file
    birth_date: datetime.date | None
    gender: str  # 'male' | 'female' | ''
    household_no: str = ""
    household_head: str = ""
    relation: str = ""
    address: str = ""
    phone: str = ""
    school: str = ""

    @property
    def id_valid(self):
        return bool(self.id_number)

    def values(self):
        """The stored values (what the row hash covers)."""
        return {
            "name": self.name,
            "id_number": self.id_number,
            "id_raw": self.id_raw,
            "birth_date": self.birth_date,
            "gender": self.gender,
            "household_no": self.household_no,
            "household_head": self.household_head,
            "relation": self.relation,
            "address": self.address,
            "phone": self.phone,
            "school": self.school,
        }


@dataclass
class ParseResult:
    records: list
    issues: list
    rows_total: int = 0

    @property
    def errors(self):
        return [issue for issue in self.issues if issue.level == "error"]

    @property
    def warnings(self):
        return [issue for issue in self.issues if issue.level == "warning"]

    @property
    def error_rows(self):
        return len({issue.row for issue in self.errors})


@dataclass
class Diff:
    new: list
    changed: list
    unchanged: list
    removed: list  # keys of persons listed before and missing from the file


# ----------------------------------------------------------------------
# the file
# ----------------------------------------------------------------------


def checksum(content):
    """SHA-256 of the file's bytes (a re-import of the same file is refused)."""
    return hashlib.sha256(content).hexdigest()


def sniff(content, filename=""):
    """``'xlsx'`` or ``'csv'`` from the content (the file name only breaks ties).

    :raises FileError: empty, old .xls, or anything else.
    """
    if not content:
        raise FileError("empty_file")
    name = (filename or "").lower()
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileError("xls_format")
    if content[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, EOFError) as error:
            raise FileError("bad_xlsx", detail=str(error)) from error
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise FileError("wrong_type", filename=filename or "?")
    if name.endswith((".xlsx", ".xlsm", ".xls", ".pdf", ".doc", ".docx", ".zip", ".png", ".jpg", ".jpeg")):
        raise FileError("wrong_type", filename=filename)
    if b"\x00" in content[:65536]:
        raise FileError("binary_csv")
    return "csv"


def read_table(content, filename="", *, header_row=1, sheet=None, max_bytes=MAX_FILE_BYTES, max_rows=MAX_ROWS):
    """Check the file and return its header and non-empty data rows.

    :raises FileError: on any problem with the file as a whole.
    """
    if content and len(content) > max_bytes:
        raise FileError(
            "too_large",
            size_mb=f"{len(content) / 1048576:.1f}",
            limit_mb=f"{max_bytes / 1048576:.0f}",
        )
    kind = sniff(content, filename)
    header_row = max(header_row, 1)
    if kind == "xlsx":
        rows, sheet, sheets = _xlsx_rows(content, sheet, header_row + max_rows + 1)
    else:
        rows, sheets = _csv_rows(content, header_row + max_rows + 1), ()
    header = None
    data = []
    for number, values in rows:
        if number < header_row:
            continue
        if number == header_row:
            header = values
            continue
        if all(_is_blank(value) for value in values):
            continue
        if len(data) >= max_rows:
            raise FileError("too_many_rows", limit=f"{max_rows:,}")
        data.append((number, tuple(values)))
    if header is None or all(_is_blank(value) for value in header):
        raise FileError("no_header", row=header_row)
    if not data:
        raise FileError("no_rows")
    headers = [_text(value) or f"#{index + 1}" for index, value in enumerate(header)]
    width = max(len(headers), max(len(values) for _number, values in data))
    headers += [f"#{index + 1}" for index in range(len(headers), width)]
    return Table(kind=kind, headers=headers, rows=data, sheet=sheet, sheets=tuple(sheets))


def _xlsx_rows(content, sheet, limit):
    import openpyxl  # noqa: PLC0415 (only needed for XLSX files)

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise FileError("bad_xlsx", detail=str(error) or type(error).__name__) from error
    try:
        sheets = workbook.sheetnames
        if sheet and sheet not in sheets:
            raise FileError("sheet_missing", sheet=sheet)
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
        rows = []
        try:
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
                if number > limit:
                    raise FileError("too_many_rows", limit=f"{limit:,}")
                rows.append((number, list(values)))
        except FileError:
            raise
        except Exception as error:
            raise FileError("bad_xlsx", detail=str(error) or type(error).__name__) from error
        return rows, worksheet.title, sheets
    finally:
        workbook.close()


def _csv_rows(content, limit):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileError("bad_encoding")
    controls = sum(1 for char in text[:65536] if unicodedata.category(char) == "Cc" and char not in "\r\n\t")
    if controls > 2:
        raise FileError("binary_csv")
    sample = text[:16384]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = []
    try:
        for number, values in enumerate(csv.reader(io.StringIO(text, newline=""), dialect), start=1):
            if number > limit:
                raise FileError("too_many_rows", limit=f"{limit:,}")
            rows.append((number, values))
    except csv.Error as error:
        raise FileError("bad_csv", detail=str(error)) from error
    return rows


# ----------------------------------------------------------------------
# mapping
# ----------------------------------------------------------------------


def _header_word(text):
    text = unicodedata.normalize("NFKC", str(text or "")).lower()
    return re.sub(r"[\s_\-()（）*:：/]+", "", text)


def suggest_mapping(headers):
    """``column index -> target`` guessed from the header words (each target used once)."""
    aliases = {alias: target for target, words in HEADER_ALIASES.items() for alias in words}
    mapping = {}
    used = set()
    for index, header in enumerate(headers):
        target = aliases.get(_header_word(header))
        if target and target not in used:
            mapping[index] = target
            used.add(target)
    return mapping


def check_mapping(mapping):
    """File-level problems of a ``column index -> target`` mapping (``FileError`` objects, not raised)."""
    problems = []
    targets = [target for target in mapping.values() if target]
    for target in sorted({target for target in targets if targets.count(target) > 1}, key=TARGETS.index):
        problems.append(FileError("mapped_twice", target=target))
    missing = [target for target in REQUIRED_TARGETS if target not in targets]
    if missing:
        problems.append(FileError("missing_columns", columns=", ".join(missing)))
    return problems


# ----------------------------------------------------------------------
# rows
# ----------------------------------------------------------------------


def _is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = unicodedata.normalize("NFKC", str(value))
    return " ".join(text.split())


def normalise_name(name):
    """Names compared for a match: NFKC, no spaces (``张 三`` = ``张三``)."""
    return "".join(unicodedata.normalize("NFKC", str(name or "")).split())


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日", "%d/%m/%Y")


def parse_date(value):
    """A date from a cell (date, datetime, or text in the usual formats); ``None`` when not a date."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        return None
    text = text.replace(" ", "")
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if 1900 <= parsed.year <= 2100:
            return parsed
    return None


@dataclass(frozen=True)
class ParsedId:
    number: str  # valid 18-digit number, '' otherwise
    birth_date: datetime.date | None  # also from a malformed number when its date part is readable
    gender: str
    problem: str | None  # issue code
    params: dict


def parse_id_number(value, today=None):
    """Check a resident ID number from a cell (see the ``id_*`` issue codes)."""
    today = today or datetime.date.today()
    raw = _text(value)
    if not raw:
        return ParsedId("", None, "", "id_missing", {})
    if isinstance(value, float) and not (value.is_integer() and abs(value) < 1e15):
        # Excel keeps 15 significant digits: an 18-digit ID typed as a number has lost its last digits
        return ParsedId("", None, "", "id_float", {"value": raw})
    number = re.sub(r"[\s\-]", "", raw).upper()
    params = {"value": raw}
    if len(number) == 15 and number.isdigit():
        body = number[:6] + "19" + number[6:]
        converted = body + ric.calc_check_digit(body + "0")
        parsed = parse_id_number(converted, today)
        if parsed.number:
            return ParsedId(
                parsed.number, parsed.birth_date, parsed.gender, "id_15", {"value": raw, "number": parsed.number}
            )
        return parsed
    if len(number) != 18:
        return ParsedId("", None, "", "id_length", dict(params, length=len(number)))
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return ParsedId("", None, "", "id_chars", params)
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        birth = None
    if birth is None or birth > today or birth.year < 1900:
        return ParsedId("", None, "", "id_birth", params)
    gender = "male" if int(number[16]) % 2 else "female"
    if ric.calc_check_digit(number) != number[17]:
        return ParsedId("", birth, gender, "id_checksum", params)
    return ParsedId(number, birth, gender, None, {})


_GENDERS = {"男": "male", "女": "female", "male": "male", "female": "female", "m": "male", "f": "female"}


def row_hash(values):
    """Hash of a row's mapped values (row order and column order do not matter)."""
    parts = []
    for key in (
        "name",
        "id_number",
        "id_raw",
        "birth_date",
        "gender",
        "household_no",
        "household_head",
        "relation",
        "address",
        "phone",
        "school",
    ):
        value = values.get(key)
        parts.append(value.isoformat() if isinstance(value, datetime.date) else str(value or ""))
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()  # noqa: S324 (not security)


def _row_values(cell, issue, today):
    """The mapped values of one row, reporting its problems with ``issue``; ``None`` when it has an error."""
    errors = []

    def report(level, code, target, **params):
        issue(level, code, target, **params)
        if level == "error":
            errors.append(code)

    name = _text(cell("name"))
    if not name:
        report("error", "name_missing", "name")
    elif len(name) > MAX_NAME_LENGTH:
        report("error", "name_too_long", "name", limit=MAX_NAME_LENGTH)
    id_cell = cell("id_number")
    parsed_id = parse_id_number(id_cell, today)
    if parsed_id.problem:
        report("warning", parsed_id.problem, "id_number", **parsed_id.params)
    birth_cell = cell("birth_date")
    birth = parse_date(birth_cell)
    if not _is_blank(birth_cell) and birth is None:
        report("warning" if parsed_id.number else "error", "birth_invalid", "birth_date", value=_text(birth_cell))
    if birth and parsed_id.birth_date and birth != parsed_id.birth_date:
        report(
            "warning",
            "birth_mismatch",
            "birth_date",
            value=birth.isoformat(),
            id_birth=parsed_id.birth_date.isoformat(),
        )
    birth = parsed_id.birth_date if parsed_id.number else (birth or parsed_id.birth_date)
    gender_text = _text(cell("gender"))
    gender = _GENDERS.get(gender_text.lower(), "") if gender_text else ""
    if gender_text and not gender:
        report("warning", "gender_unknown", "gender", value=gender_text)
    if not parsed_id.number and birth is None and "birth_invalid" not in errors:
        report("error", "no_identity", "id_number")
    if errors:
        return None
    return {
        "name": name,
        "id_number": parsed_id.number,
        "id_raw": "" if parsed_id.number and parsed_id.problem != "id_15" else _text(id_cell),
        "birth_date": birth,
        "gender": parsed_id.gender or gender,
        **{
            target: _text(cell(target))
            for target in ("household_no", "household_head", "relation", "address", "phone", "school")
        },
    }


def parse_rows(table, mapping, today=None):
    """Check every data row of ``table`` with ``mapping`` (``column index -> target``).

    :raises FileError: when the mapping misses a required column or maps a target twice.
    """
    problems = check_mapping(mapping)
    if problems:
        raise problems[0]
    today = today or datetime.date.today()
    columns = {target: index for index, target in mapping.items() if target}
    records = []
    issues = []
    seen = {}  # key -> record

    for number, values in table.rows:

        def cell(target, _values=values):
            index = columns.get(target)
            return _values[index] if index is not None and index < len(_values) else None

        def issue(level, code, target=None, _row=number, **params):
            column = table.headers[columns[target]] if target in columns else None
            issues.append(Issue(row=_row, level=level, code=code, params=params, column=column))

        values_dict = _row_values(cell, issue, today)
        if values_dict is None:
            continue
        if values_dict["id_number"]:
            key = f"id:{values_dict['id_number']}"
        else:
            key = f"nb:{normalise_name(values_dict['name'])}|{values_dict['birth_date'].isoformat()}"
        record = RegisterRow(row=number, key=key, row_hash=row_hash(values_dict), **values_dict)
        previous = seen.get(key)
        if previous:
            same = previous.row_hash == record.row_hash
            issue(
                "warning" if same else "error",
                "duplicate_same" if same else "duplicate_conflict",
                "id_number",
                row=previous.row,
            )
            continue
        seen[key] = record
        records.append(record)
    return ParseResult(records=records, issues=issues, rows_total=len(table.rows))


def diff_register(previous: Mapping, records):
    """Compare ``records`` with ``previous`` (``key -> row hash`` of the persons listed now)."""
    new, changed, unchanged = [], [], []
    keys = set()
    for record in records:
        keys.add(record.key)
        known = previous.get(record.key)
        if known is None:
            new.append(record)
        elif known != record.row_hash:
            changed.append(record)
        else:
            unchanged.append(record)
    removed = sorted(key for key in previous if key not in keys)
    return Diff(new=new, changed=changed, unchanged=unchanged, removed=removed)
