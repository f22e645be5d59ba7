"""The synthetic province's arithmetic: exact splits, amounts fitted to the yuan, the plan's totals."""

import collections
import random

import pytest
from reportlib.province_plan import (
    BULLETIN_TOTALS,
    REGIONS,
    UNIT_PROFILES,
    Division,
    ProvincePlan,
    Totals,
    default_divisions,
    region_centres,
)
from reportlib.split import fit_amounts, split_exact

from loanlib import identity


def test_split_exact_adds_up_and_follows_the_weights():
    assert split_exact(10, [1, 1, 1]) == [4, 3, 3]
    assert split_exact(100, [1, 3]) == [25, 75]
    assert split_exact(0, [1, 2]) == [0, 0]
    assert split_exact(3, [0, 0]) == [2, 1]  # no weight at all: even
    assert split_exact(5, [1, 0]) == [5, 0]  # zero weight gets nothing while others have room


def test_split_exact_respects_caps():
    assert split_exact(7, [5, 0, 2], caps=[3, 5, 5]) == [3, 0, 4]
    assert split_exact(6, [1, 1], caps=[1, 10]) == [1, 5]
    with pytest.raises(ValueError):
        split_exact(10, [1, 1], caps=[4, 5])
    with pytest.raises(ValueError):
        split_exact(-1, [1])


def test_split_exact_random_cases():
    rng = random.Random(5)
    for _case in range(500):
        count = rng.randint(1, 25)
        weights = [rng.choice([0, rng.random() * 10, rng.randint(0, 5)]) for _ in range(count)]
        caps = [rng.randint(0, 30) for _ in range(count)]
        total = rng.randint(0, sum(caps))
        parts = split_exact(total, weights, caps)
        assert sum(parts) == total
        assert all(0 <= part <= cap for part, cap in zip(parts, caps, strict=True))


def test_fit_amounts_exact_within_bounds_in_hundreds():
    rng = random.Random(1)
    amounts = [rng.randrange(1000, 8001, 100) for _ in range(1000)]
    fitted = fit_amounts(amounts, [1000] * 1000, [8000] * 1000, 6_543_700, quantum=100)
    assert sum(fitted) == 6_543_700
    assert all(1000 <= amount <= 8000 and amount % 100 == 0 for amount in fitted)
    # a total that is not a multiple of the step: one amount takes the remainder
    fitted = fit_amounts(amounts, [1000] * 1000, [8000] * 1000, 4_000_037, quantum=100)
    assert sum(fitted) == 4_000_037
    assert sum(amount % 100 != 0 for amount in fitted) == 1
    with pytest.raises(ValueError):
        fit_amounts([1000, 1000], [1000, 1000], [8000, 8000], 20_000)


def test_totals_validate_and_scale():
    with pytest.raises(ValueError):
        Totals(10, 10_000, 3, 6)
    small = BULLETIN_TOTALS.scaled(0.001)
    assert small.contracts == 355
    assert small.first_loans + small.renewals == 355
    assert small.amount % 100 == 0
    assert abs(small.amount / small.contracts - BULLETIN_TOTALS.amount / BULLETIN_TOTALS.contracts) < 1
    assert BULLETIN_TOTALS.scaled(1) is BULLETIN_TOTALS


def _units():
    centres = [{"code": "410000", "name": "河南省", "division_kind": "province", "parent_code": None}]
    for code in UNIT_PROFILES:
        kind = "city" if code.endswith("00") else "province_admin" if code == "419001" else "direct_county"
        centres.append({"code": code, "name": f"单位{code}市", "division_kind": kind, "parent_code": "410000"})
        if kind == "city":
            for index in range(1, 7):
                suffix = "区" if index < 3 else "县"
                centres.append(
                    {
                        "code": f"{code[:4]}{20 + index:02d}",
                        "name": f"测试{index}{suffix}",
                        "division_kind": "county",
                        "parent_code": code,
                    }
                )
    return default_divisions(centres)


def test_default_divisions_groups_counties_under_their_city():
    units = _units()
    assert len(units) == 28
    assert [unit.kind for unit in units].count("city") == 17
    city = next(unit for unit in units if unit.code == "411600")
    assert len(city.children) == 6
    assert city.children[0].weight < city.children[-1].weight  # districts lend less than counties
    standalone = next(unit for unit in units if unit.code == "410181")
    assert standalone.leaves == [standalone]


def _home_centres():
    centres = [{"code": "410000", "name": "河南省", "division_kind": "province", "parent_code": None}]
    for code in UNIT_PROFILES:
        kind = "city" if code.endswith("00") else "province_admin" if code == "419001" else "direct_county"
        centres.append({"code": code, "name": f"单位{code}市", "division_kind": kind, "parent_code": "410000"})
        if kind == "city":
            centres.append({"code": code[:4] + "02", "name": "中原区", "division_kind": "county", "parent_code": code})
            centres.append({"code": code[:4] + "22", "name": "测试县", "division_kind": "county", "parent_code": code})
    return centres


def test_region_centres_copy_the_home_province_with_their_own_codes_and_names():
    home = _home_centres()
    regions = [region_centres(home, prefix, name, short) for prefix, name, short in REGIONS]
    for (prefix, name, short), centres in zip(REGIONS, regions, strict=True):
        assert len(centres) == len(home)
        assert all(centre["code"].startswith(prefix) and len(centre["code"]) == 6 for centre in centres)
        assert centres[0] == {"code": prefix + "0000", "name": name, "division_kind": "province", "parent_code": None}
        codes = {centre["code"] for centre in centres}
        seen = set()
        for centre in centres:  # parents first, and inside the region
            assert centre["parent_code"] is None or centre["parent_code"] in seen
            seen.add(centre["code"])
        assert all(centre["parent_code"] in codes for centre in centres[1:])
        units = [centre for centre in centres if centre["division_kind"] not in ("province", "county")]
        assert all(centre["name"].startswith(short) for centre in units)
    all_codes = [centre["code"] for centres in [home, *regions] for centre in centres]
    assert len(all_codes) == len(set(all_codes)) == 10 * len(home)
    assert len({name for _prefix, name, _short in REGIONS} | {"河南省"}) == 10
    with pytest.raises(ValueError):
        region_centres(home, "41", "河南省", "豫")


def test_regions_weigh_like_the_home_province_and_have_their_own_addresses():
    home = _home_centres()
    prefix, name, short = REGIONS[0]
    units = default_divisions(home + region_centres(home, prefix, name, short))
    assert len(units) == 2 * len(UNIT_PROFILES)
    by_code = {unit.code: unit for unit in units}
    for code, (weight, poverty) in UNIT_PROFILES.items():
        copy = by_code[prefix + code[2:]]
        assert (
            (copy.weight, copy.poverty_share)
            == (weight, poverty)
            == (by_code[code].weight, by_code[code].poverty_share)
        )
        assert copy.province == name and by_code[code].province == "河南省"
    totals = Totals(contracts=400, amount=2_600_000, first_loans=140, renewals=260)
    students = list(ProvincePlan(units, totals, year=2017, seed=3).iter_students())
    regions = collections.Counter(student.division.code[:2] for student in students)
    assert set(regions) == {"41", prefix}
    assert all(student.household_address.startswith(student.division.province) for student in students)
    assert all(
        identity.parse_resident_id(student.id_number).region_code == student.division.code for student in students
    )


def _collect(plan):
    return list(plan.iter_students())


def test_plan_reproduces_explicit_totals_exactly():
    totals = Totals(contracts=1234, amount=8_076_500, first_loans=430, renewals=804)
    plan = ProvincePlan(_units(), totals, year=2017, seed=11)
    students = _collect(plan)
    season = [student.contracts[-1] for student in students]
    assert len(season) == 1234
    assert sum(contract.amount for contract in season) == 8_076_500
    assert sum(contract.loan_kind == "first" for contract in season) == 430
    assert sum(contract.loan_kind == "renewal" for contract in season) == 804
    assert sum(plan.unit_counts) == 1234 and sum(plan.unit_first) == 430


def test_plan_contracts_are_plausible_and_valid():
    plan = ProvincePlan(_units(), BULLETIN_TOTALS.scaled(0.002), year=2017, seed=3)
    students = _collect(plan)
    ids = set()
    levels = collections.Counter()
    for student in students:
        identity.parse_resident_id(student.id_number)
        identity.parse_resident_id(student.coborrower_id_number)
        identity.normalize_cn_mobile(student.mobile)
        assert identity.is_address_complete(student.household_address)
        assert student.id_number not in ids
        ids.add(student.id_number)
        assert student.id_number[:6] == student.division.code
        levels[student.education_level] += 1
        years = [contract.academic_year for contract in student.contracts]
        assert years == list(range(years[0], 2018))  # a contract every year up to the season
        assert [contract.loan_kind for contract in student.contracts] == ["first"] + ["renewal"] * (len(years) - 1)
        assert student.enrolment_year <= years[0] and student.enrolment_year + student.study_years > 2017
        for contract in student.contracts:
            cap = 12000 if student.education_level in ("master", "doctor") else 8000
            assert 1000 <= contract.amount <= cap and contract.amount == int(contract.amount)
            need = contract.tuition + contract.accommodation
            assert contract.amount == min(need, cap)  # the actual need, limited by the cap
            assert contract.signing_date.year == contract.academic_year
            assert contract.state in ("signed", "approved", "active")
            assert (contract.receipt_code is not None) == (contract.state != "signed")
    assert set(levels) <= {"vocational", "undergraduate", "master", "doctor"}
    assert levels["undergraduate"] > levels["master"] > 0
    poverty = sum(student.is_poverty_registered for student in students) / len(students)
    assert 0.05 < poverty < 0.4


def test_same_seed_same_data_other_seed_other_data():
    first = [
        (s.id_number, s.name, [c.amount for c in s.contracts])
        for s in _collect(ProvincePlan(_units(), BULLETIN_TOTALS.scaled(0.001), seed=42))
    ]
    again = [
        (s.id_number, s.name, [c.amount for c in s.contracts])
        for s in _collect(ProvincePlan(_units(), BULLETIN_TOTALS.scaled(0.001), seed=42))
    ]
    other = [
        (s.id_number, s.name, [c.amount for c in s.contracts])
        for s in _collect(ProvincePlan(_units(), BULLETIN_TOTALS.scaled(0.001), seed=43))
    ]
    assert first == again
    assert first != other


def test_taken_id_numbers_are_skipped():
    plan = ProvincePlan(_units(), Totals(20, 130_000, 7, 13), seed=1)
    taken = {student.id_number for student in _collect(plan)}
    again = ProvincePlan(_units(), Totals(20, 130_000, 7, 13), seed=1, taken_ids=taken)
    assert not taken & {student.id_number for student in _collect(again)}


def test_single_division_plan():
    unit = Division("419001", "济源市", "province_admin", 1.0, 0.1)
    plan = ProvincePlan([unit], Totals(5, 30_000, 2, 3), seed=9)
    students = _collect(plan)
    assert [student.division.code for student in students] == ["419001"] * 5
    assert sum(student.contracts[-1].amount for student in students) == 30_000


def test_no_contract_before_the_first_policy_year():
    caps = {year: (8000, 12000, 1000) for year in (2015, 2016, 2017)}
    plan = ProvincePlan(_units(), Totals(300, 1_950_000, 100, 200), year=2017, caps=caps, seed=8)
    years = {contract.academic_year for student in _collect(plan) for contract in student.contracts}
    assert min(years) == 2015 and max(years) == 2017
    with pytest.raises(ValueError):
        ProvincePlan(_units(), Totals(3, 19_500, 1, 2), year=2017, caps={2017: (8000, 12000, 1000)})
    with pytest.raises(ValueError):
        ProvincePlan(_units(), Totals(3, 19_500, 1, 2), year=2018, caps=caps)
