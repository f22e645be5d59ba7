"""The bank's repayment and overdue files (还款文件, 逾期文件): mapping and row checks.

Plain Python (no Odoo import). The file itself is read by ``student_loan_intake``'s
``intakelib.poverty.read_table`` (CSV in UTF-8 or GB18030, XLSX; size and row limits);
this module maps its columns and checks each row. Messages carry a ``code`` and
``params`` (English text in ``MESSAGES``) so the caller can translate them.

Repayment file: one row per deduction (contract number, date, amount, the bank's
transaction reference). Overdue file: one row per overdue contract as the bank sees it
(contract number, days past due, overdue principal, overdue interest).
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

KINDS = ("repayment", "overdue")
TARGETS = {
    "repayment": ("contract", "date", "amount", "reference", "id_number", "name"),
    "overdue": ("contract", "days", "principal", "interest", "id_number", "name"),
}
REQUIRED = {
    "repayment": ("contract", "date", "amount", "reference"),
    "overdue": ("contract", "days", "principal"),
}
HEADER_ALIASES = {
    "contract": ("合同编号", "合同号", "借款合同号", "贷款合同号", "contract", "contractno"),
    "date": ("扣款日期", "还款日期", "交易日期", "入账日期", "date"),
    "amount": ("扣款金额", "还款金额", "实还金额", "交易金额", "amount"),
    "reference": ("银行流水号", "流水号", "交易流水号", "交易编号", "reference", "ref"),
    "id_number": ("身份证号", "身份证号码", "证件号码", "idnumber"),
    "name": ("姓名", "借款人", "借款人姓名", "学生姓名", "name"),
    "days": ("逾期天数", "dayspastdue", "days"),
    "principal": ("逾期本金", "overdueprincipal", "principal"),
    "interest": ("逾期利息", "欠息", "overdueinterest", "interest"),
}
MESSAGES = {
    "missing_columns": "Required columns are not mapped: {columns}.",
    "unknown_column": "The column {column} is not in the file.",
    "contract_missing": "The contract number is empty.",
    "date_invalid": "The date {value} is not a date (write it as 2025-12-20).",
    "amount_invalid": "The amount {value} is not an amount in yuan.",
    "amount_not_positive": "The amount {value} must be more than 0.",
    "amount_fen": "The amount {value} has fractions of a fen.",
    "reference_missing": "The bank reference is empty.",
    "reference_repeated": "The bank reference {value} repeats row {row}.",
    "days_invalid": "The days past due {value} is not a whole number >= 0.",
    "contract_repeated": "The contract {value} repeats row {row}.",
}
FEN = Decimal("0.01")


@dataclass(frozen=True)
class Problem:
    code: str
    params: dict = field(default_factory=dict)

    @property
    def message(self):
        return MESSAGES[self.code].format(**self.params)


@dataclass
class BankRow:
    row: int
    contract: str = ""
    date: datetime.date | None = None
    amount: Decimal | None = None
    reference: str = ""
    id_number: str = ""
    name: str = ""
    days: int | None = None
    principal: Decimal | None = None
    interest: Decimal | None = None
    problems: list = field(default_factory=list)


def header_word(text):
    text = unicodedata.normalize("NFKC", str(text or "")).lower()
    return re.sub(r"[\s_\-()（）*:：/]+", "", text)


def suggest_mapping(kind, headers):
    """``{target: header}`` guessed from the header words (each target at most once)."""
    _check_kind(kind)
    mapping = {}
    for header in headers:
        word = header_word(header)
        for target in TARGETS[kind]:
            if target not in mapping and word in HEADER_ALIASES[target]:
                mapping[target] = header
                break
    return mapping


def check_mapping(kind, mapping, headers):
    """File-level problems of ``{target: header}``."""
    _check_kind(kind)
    problems = []
    missing = [target for target in REQUIRED[kind] if not mapping.get(target)]
    if missing:
        problems.append(Problem("missing_columns", {"columns": ", ".join(missing)}))
    for header in mapping.values():
        if header and header not in headers:
            problems.append(Problem("unknown_column", {"column": header}))
    return problems


def text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return " ".join(unicodedata.normalize("NFKC", str(value)).split())


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


def parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raw = text(value).replace(" ", "")
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
        if 1990 <= parsed.year <= 2100:
            return parsed
    return None


def parse_amount(value):
    """A yuan amount from a cell (``1,234.50``, ``¥1234.5``, numbers); ``None`` when not an amount."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        raw = str(value)
    else:
        raw = text(value).replace(",", "").replace("¥", "").replace("￥", "").replace("元", "").strip()
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def parse_rows(kind, headers, rows, mapping):
    """Check every row; ``[BankRow]`` with their problems (a row with problems is not imported)."""
    _check_kind(kind)
    index = {target: headers.index(header) for target, header in mapping.items() if header in headers}
    seen_refs, seen_contracts = {}, {}
    result = []
    for number, values in rows:

        def cell(target, values=values):
            position = index.get(target)
            return values[position] if position is not None and position < len(values) else None

        row = BankRow(row=number, contract=text(cell("contract")).upper())
        row.id_number = text(cell("id_number")).upper()
        row.name = text(cell("name"))
        if not row.contract:
            row.problems.append(Problem("contract_missing"))
        if kind == "repayment":
            _repayment_row(row, cell, seen_refs)
        else:
            _overdue_row(row, cell, seen_contracts)
        result.append(row)
    return result


def _repayment_row(row, cell, seen_refs):
    raw_date = cell("date")
    row.date = parse_date(raw_date)
    if row.date is None:
        row.problems.append(Problem("date_invalid", {"value": text(raw_date) or "-"}))
    row.amount = _amount(row, cell("amount"), positive=True)
    row.reference = text(cell("reference"))
    if not row.reference:
        row.problems.append(Problem("reference_missing"))
    elif row.reference in seen_refs:
        row.problems.append(Problem("reference_repeated", {"value": row.reference, "row": seen_refs[row.reference]}))
    else:
        seen_refs[row.reference] = row.row


def _overdue_row(row, cell, seen_contracts):
    raw_days = text(cell("days"))
    if raw_days.isdigit():
        row.days = int(raw_days)
    else:
        row.problems.append(Problem("days_invalid", {"value": raw_days or "-"}))
    row.principal = _amount(row, cell("principal"), positive=False)
    row.interest = _amount(row, cell("interest"), positive=False) if cell("interest") not in (None, "") else Decimal(0)
    if row.contract:
        if row.contract in seen_contracts:
            row.problems.append(
                Problem("contract_repeated", {"value": row.contract, "row": seen_contracts[row.contract]})
            )
        else:
            seen_contracts[row.contract] = row.row


def _amount(row, value, positive):
    amount = parse_amount(value)
    if amount is None:
        row.problems.append(Problem("amount_invalid", {"value": text(value) or "-"}))
        return None
    if amount != amount.quantize(FEN):
        row.problems.append(Problem("amount_fen", {"value": text(value)}))
        return None
    if (positive and amount <= 0) or amount < 0:
        row.problems.append(Problem("amount_not_positive", {"value": text(value)}))
        return None
    return amount.quantize(FEN)


def _check_kind(kind):
    if kind not in KINDS:
        raise ValueError(f"The file kind must be one of {KINDS}, got {kind!r}.")
