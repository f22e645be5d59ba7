"""The R1 table (plain Python): statistics units, their counties, subtotals, totals and the CSV.

R1 counts, as of a date, the contracts signed (and their amount, first loans and renewals) for
the province, by statistics unit (the 17 cities, 济源 and the 10 directly-managed counties) and
by county. The Odoo model reads the figures; this module lays them out.
"""

import csv
import dataclasses
import datetime
import io

CSV_COLUMNS = ("division_code", "division_name", "division_kind", "contracts", "amount", "first_loans", "renewals")
UNIT_KIND_ORDER = {"city": 0, "province_admin": 1, "direct_county": 2}


@dataclasses.dataclass
class Figures:
    """The R1 figures of one division (or of one breakdown key)."""

    code: str
    name: str
    kind: str = ""
    unit_code: str | None = None
    contracts: int = 0
    amount: float = 0.0
    first_loans: int = 0
    renewals: int = 0
    poverty: int = 0

    def add(self, other):
        self.contracts += other.contracts
        self.amount += other.amount
        self.first_loans += other.first_loans
        self.renewals += other.renewals
        self.poverty += other.poverty
        return self


@dataclasses.dataclass
class Unit:
    """A statistics unit and the aid centres below it where contracts are signed."""

    code: str
    name: str
    kind: str
    centres: list = dataclasses.field(default_factory=list)  # [(code, name, kind)]


@dataclasses.dataclass
class R1Data:
    as_of: datetime.date
    academic_year: int
    province_name: str
    units: list  # Unit, in any order (``ordered_units`` sorts them)
    centres: list  # Figures per aid centre with contracts (unit_code set)
    breakdowns: dict = dataclasses.field(default_factory=dict)  # name -> [Figures]


def ordered_units(data):
    """Bulletin order: the cities, then 济源, then the directly-managed counties, each by code."""
    return sorted(data.units, key=lambda unit: (UNIT_KIND_ORDER.get(unit.kind, 9), unit.code))


def unit_figures(data):
    """One ``Figures`` per statistics unit (zero when nothing was signed), in bulletin order."""
    by_unit = {unit.code: Figures(unit.code, unit.name, unit.kind) for unit in data.units}
    for row in data.centres:
        target = by_unit.get(row.unit_code)
        if target is None:  # a centre outside the units (should not happen): its own line
            target = by_unit.setdefault(row.unit_code or row.code, Figures(row.code, row.name, row.kind))
        target.add(row)
    order = {unit.code: index for index, unit in enumerate(ordered_units(data))}
    return sorted(by_unit.values(), key=lambda figures: (order.get(figures.code, len(order)), figures.code))


def total_figures(data):
    total = Figures("TOTAL", data.province_name, "province")
    for row in data.centres:
        total.add(row)
    return total


def format_amount(amount):
    return f"{round(amount, 2):.2f}"


def to_csv(data):
    """``division_code,division_name,division_kind,contracts,amount,first_loans,renewals``: one line
    per statistics unit, then ``TOTAL``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for figures in [*unit_figures(data), total_figures(data)]:
        writer.writerow(
            (
                figures.code,
                figures.name,
                figures.kind,
                figures.contracts,
                format_amount(figures.amount),
                figures.first_loans,
                figures.renewals,
            )
        )
    return buffer.getvalue()


@dataclasses.dataclass
class Block:
    """A block of the detailed sheet: a city and its counties, 济源, or the directly-managed counties."""

    title: str
    rows: list  # Figures per aid centre
    subtotal: Figures


def blocks(data, direct_title="省直管县（市）"):
    """The detailed table: per city its counties and a subtotal; 济源; the directly-managed counties
    together with their subtotal. Centres without contracts are listed with zeros."""
    by_code = {row.code: row for row in data.centres}
    result = []
    direct_rows = []
    for unit in ordered_units(data):
        centres = unit.centres or [(unit.code, unit.name, unit.kind)]
        rows = [by_code.get(code) or Figures(code, name, kind, unit.code) for code, name, kind in centres]
        # contracts signed at a city's own office, if any
        listed = {code for code, _name, _kind in centres}
        rows += [row for row in data.centres if row.unit_code == unit.code and row.code not in listed]
        if unit.kind == "direct_county":
            direct_rows.extend(rows)
            continue
        subtotal = Figures(unit.code, unit.name, unit.kind)
        for row in rows:
            subtotal.add(row)
        result.append(Block(unit.name, rows, subtotal))
    if direct_rows:
        subtotal = Figures("", direct_title, "direct_county")
        for row in direct_rows:
            subtotal.add(row)
        result.append(Block(direct_title, direct_rows, subtotal))
    return result
