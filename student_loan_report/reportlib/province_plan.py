"""The synthetic province: who borrows where, how much, and their earlier years (plain Python).

``ProvincePlan`` turns the bulletin's totals (R1) into one contract per student for the season,
spread over the statistics units (17 cities, 济源, 10 directly-managed counties) and their
counties, with plausible levels, amounts, 建档立卡 shares and co-borrowers, plus the earlier
years' contracts of the students who renew. Everything comes from one seeded random generator:
the same seed and the same divisions give the same data. The loader (``populate/``) turns the
records into database rows; nothing here imports Odoo.
"""

import datetime
import random
from dataclasses import dataclass, field

from stdnum.cn import ric

from .split import fit_amounts, split_exact


@dataclass(frozen=True)
class Totals:
    """The R1 figures of one season."""

    contracts: int
    amount: int  # whole yuan
    first_loans: int
    renewals: int

    def __post_init__(self):
        if self.first_loans + self.renewals != self.contracts:
            raise ValueError(
                f"First loans ({self.first_loans}) and renewals ({self.renewals}) must add up to "
                f"the contracts ({self.contracts})."
            )
        if min(self.contracts, self.amount, self.first_loans, self.renewals) < 0:
            raise ValueError("The totals cannot be negative.")

    def scaled(self, scale):
        """The same season at ``scale`` (0.01 = a hundredth), same average amount, same mix."""
        if scale == 1:
            return self
        contracts = max(1, round(self.contracts * scale))
        first = round(contracts * self.first_loans / self.contracts)
        amount = round(self.amount * contracts / self.contracts, -2)  # hundreds of yuan, like the bulletin
        return Totals(contracts, int(amount), first, contracts - first)


# The bulletin's 2017 season: 354,997 contracts, 23.23 亿 CNY, 123,650 first loans, 231,347 renewals.
BULLETIN_YEAR = 2017
BULLETIN_TOTALS = Totals(contracts=354_997, amount=2_323_000_000, first_loans=123_650, renewals=231_347)

# Relative loan volume and 建档立卡 share of the statistics units (plausible, after the rural
# population and the poverty counties of each city). Unknown codes weigh 1 with a 15 % share.
UNIT_PROFILES = {
    "410100": (5.0, 0.06),  # 郑州市
    "410200": (5.5, 0.18),  # 开封市
    "410300": (7.5, 0.16),  # 洛阳市
    "410400": (6.0, 0.17),  # 平顶山市
    "410500": (5.5, 0.14),  # 安阳市
    "410600": (1.6, 0.10),  # 鹤壁市
    "410700": (5.2, 0.12),  # 新乡市
    "410800": (2.6, 0.08),  # 焦作市
    "410900": (4.6, 0.17),  # 濮阳市
    "411000": (4.2, 0.11),  # 许昌市
    "411100": (2.5, 0.12),  # 漯河市
    "411200": (2.4, 0.15),  # 三门峡市
    "411300": (11.5, 0.21),  # 南阳市
    "411400": (10.0, 0.22),  # 商丘市
    "411500": (9.5, 0.24),  # 信阳市
    "411600": (13.0, 0.26),  # 周口市
    "411700": (10.5, 0.25),  # 驻马店市
    "419001": (0.7, 0.05),  # 济源
    "410181": (0.8, 0.04),  # 巩义市
    "410225": (1.3, 0.30),  # 兰考县
    "410482": (1.6, 0.16),  # 汝州市
    "410526": (2.1, 0.28),  # 滑县
    "410783": (1.1, 0.12),  # 长垣
    "411381": (2.3, 0.19),  # 邓州市
    "411481": (2.0, 0.15),  # 永城市
    "411525": (2.6, 0.29),  # 固始县
    "411628": (1.8, 0.27),  # 鹿邑县
    "411729": (1.7, 0.30),  # 新蔡县
}

# The other regions of a national run (SCALE above 1): province-like regions shaped like Henan (its cities,
# 济源 and directly-managed counties, their counties), each with its own division codes (the first two
# digits: a real province's) and names. Region 1 is Henan itself.
HOME_PREFIX = "41"
REGIONS = (
    ("42", "湖北省", "鄂"),
    ("43", "湖南省", "湘"),
    ("13", "河北省", "冀"),
    ("37", "山东省", "鲁"),
    ("34", "安徽省", "皖"),
    ("36", "江西省", "赣"),
    ("51", "四川省", "川"),
    ("52", "贵州省", "黔"),
    ("53", "云南省", "滇"),
)

LEVELS = ("vocational", "undergraduate", "master", "doctor")
STUDY_YEARS = {"vocational": 3, "undergraduate": 4, "master": 3, "doctor": 4}
GRADUATE_LEVELS = ("master", "doctor")
# level mix of first loans (mostly freshmen) and of renewals
LEVEL_WEIGHTS_FIRST = (0.46, 0.49, 0.045, 0.005)
LEVEL_WEIGHTS_RENEWAL = (0.40, 0.55, 0.045, 0.005)
TUITION = {
    "vocational": (3500, 4000, 4500, 5000, 5500, 6000, 6500),
    "undergraduate": (3800, 4400, 4800, 5000, 5500, 6000, 6500, 7000, 8000, 10000),
    "master": (8000, 10000, 12000),
    "doctor": (10000, 12000),
}
ACCOMMODATION = (600, 800, 1000, 1200, 1500)
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
    "阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建文亮志红梅飞鑫宇浩凯佳欣雪晨阳"
    "晓东博琳颖婷倩雨轩子涵思远嘉怡梓豪瑞昊天一诺心怡家乐俊杰雅静文博若曦浩然可馨"
)
TOWN_STEMS = (
    "城关",
    "王店",
    "李庄",
    "张集",
    "刘寨",
    "黄营",
    "新安",
    "双庙",
    "白寺",
    "大王",
    "孙店",
    "高庄",
    "马村",
    "杨楼",
    "河口",
    "三里",
    "东城",
    "西关",
    "南街",
    "北湖",
    "固墙",
    "练集",
    "邓城",
    "魏集",
)
VILLAGE_STEMS = (
    "前营",
    "后营",
    "东庄",
    "西庄",
    "南寨",
    "北寨",
    "小王",
    "大李",
    "朱楼",
    "郭庄",
    "陈湾",
    "赵岗",
    "孟庄",
    "吴桥",
    "杨湾",
    "胡庄",
    "宋集",
    "何营",
    "贾庄",
    "罗庄",
)
WORK_UNITS = ("务农", "务农", "务农", "个体", "外出务工", "外出务工", "无固定职业", "乡镇企业")
MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "156",
    "157",
    "158",
    "159",
    "176",
    "177",
    "186",
    "187",
    "188",
    "189",
)
RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass
class Division:
    """An aid centre of the plan: a statistics unit (with its county-level ``children``) or a county."""

    code: str
    name: str
    kind: str = "county"
    weight: float = 1.0
    poverty_share: float = 0.15
    children: list = field(default_factory=list)
    place: str = ""  # the name in postal addresses (city and county)
    province: str = "河南省"  # the province part of postal addresses

    def __post_init__(self):
        self.place = self.place or self.name

    @property
    def leaves(self):
        """Where the contracts are signed: the counties of a city, or the unit itself."""
        return self.children or [self]


@dataclass
class ContractRecord:
    academic_year: int
    loan_kind: str
    amount: int
    tuition: int
    accommodation: int
    cap: int
    signing_date: datetime.date
    submitted_at: datetime.datetime
    checked_at: datetime.datetime
    approved_at: datetime.datetime | None
    bank_at: datetime.datetime | None
    disbursement_date: datetime.date | None
    state: str  # contract state: signed | approved | active
    application_state: str  # checked | approved | bank | confirmed
    receipt_code: str | None


@dataclass
class StudentRecord:
    division: Division
    name: str
    id_number: str
    gender: str
    birth_date: datetime.date
    mobile: str
    email: str | None
    household_address: str
    third_party_name: str
    third_party_phone: str
    is_poverty_registered: bool
    education_level: str
    study_years: int
    enrolment_year: int
    school_key: int  # index into the plan's school list of the level's kind
    registered_at: datetime.datetime
    coborrower_name: str
    coborrower_relation: str
    coborrower_id_number: str
    coborrower_mobile: str
    coborrower_work_unit: str
    contracts: list  # ContractRecord, oldest first; the last one is the season's


def region_centres(centres, prefix, province_name, short):
    """The divisions of another region shaped like the home province: ``centres`` (dicts with code, name,
    division_kind, parent_code; the home province's) copied with the region's code ``prefix`` (two digits)
    in place of the home one, the province named ``province_name`` and its cities, 济源 and directly-managed
    counties named after the home ones with the region's ``short`` name in front (鄂郑州市); counties keep
    their names (as 鼓楼区 exists in several provinces). Parents come before their children."""
    if len(prefix) != 2 or not prefix.isdigit() or prefix == HOME_PREFIX:
        raise ValueError(f"A region code prefix is two digits other than {HOME_PREFIX}: {prefix!r}")

    def code_of(code):
        return prefix + code[2:] if code else code

    result = []
    order = {"province": 0, "city": 1, "province_admin": 1, "direct_county": 1, "county": 2}
    for centre in sorted(centres, key=lambda centre: (order.get(centre["division_kind"], 3), centre["code"])):
        if not centre["code"].startswith(HOME_PREFIX):
            continue
        kind = centre["division_kind"]
        if kind == "province":
            name = province_name
        elif kind == "county":
            name = centre["name"]
        else:
            name = short + centre["name"]
        result.append(
            {
                "code": code_of(centre["code"]),
                "name": name,
                "division_kind": kind,
                "parent_code": code_of(centre.get("parent_code")),
            }
        )
    return result


def default_divisions(centres):
    """Build the statistics units from ``centres``: dicts with code, name, division_kind, parent_code.

    Cities get their county-level children; 济源 and the directly-managed counties stand alone. A
    region shaped like the home province (``region_centres``) weighs like the home one.
    """
    by_parent = {}
    provinces = {}
    for centre in centres:
        by_parent.setdefault(centre.get("parent_code"), []).append(centre)
        if centre["division_kind"] == "province":
            provinces[centre["code"][:2]] = centre["name"]
    units = []
    for centre in sorted(centres, key=lambda centre: centre["code"]):
        if centre["division_kind"] not in ("city", "province_admin", "direct_county"):
            continue
        province = provinces.get(centre["code"][:2], "河南省")
        weight, poverty = UNIT_PROFILES.get(HOME_PREFIX + centre["code"][2:], (1.0, 0.15))
        children = []
        if centre["division_kind"] == "city":
            for child in sorted(by_parent.get(centre["code"], []), key=lambda child: child["code"]):
                if child["division_kind"] != "county":
                    continue
                # urban districts lend less than rural counties and county-level cities
                child_weight = 0.35 if child["name"].endswith("区") else 1.0
                children.append(
                    Division(
                        child["code"],
                        child["name"],
                        "county",
                        child_weight,
                        poverty,
                        place=centre["name"] + child["name"],
                        province=province,
                    )
                )
        units.append(
            Division(
                centre["code"], centre["name"], centre["division_kind"], weight, poverty, children, province=province
            )
        )
    return units


class ProvincePlan:
    """The season's contracts of a whole province, exact to the totals.

    :param units: statistics units (``Division`` with their county children)
    :param totals: the season's ``Totals``
    :param year: the season (academic year, 2017 = 2017-2018)
    :param caps: ``{academic_year: (cap_undergraduate, cap_graduate, min_amount)}``, for the season
        and the earlier years of the renewals (no contract is made for a year without caps)
    :param seed: same seed, same data
    :param taken_ids: ID numbers already in the database (never generated again)
    """

    def __init__(self, units, totals=BULLETIN_TOTALS, year=BULLETIN_YEAR, caps=None, seed=2017, taken_ids=()):
        self.units = units
        self.totals = totals
        self.year = year
        self.caps = caps or {y: (8000, 12000, 1000) for y in range(year - 4, year + 1)}
        self.seed = seed
        self.rng = random.Random(seed)
        self.taken_ids = set(taken_ids)
        self._id_serials = {}
        self.leaves = [leaf for unit in units for leaf in unit.leaves]
        if year not in self.caps:
            raise ValueError(f"No policy (caps) for the season {year}.")
        self.first_policy_year = min(self.caps)
        if totals.renewals and self.first_policy_year >= year:
            raise ValueError("Renewals need the policy of at least one earlier year.")
        self._built = False

    # ------------------------------------------------------------------
    # Phase 1: how many contracts, of which kind, where, and for how much (exact)
    # ------------------------------------------------------------------

    def build(self):
        """Decide counts per division and every season contract's kind, level and amount."""
        if self._built:
            return self
        rng = self.rng
        totals = self.totals
        unit_weights = [unit.weight * rng.uniform(0.92, 1.08) for unit in self.units]
        self.unit_counts = split_exact(totals.contracts, unit_weights)
        first_ratios = [rng.uniform(0.85, 1.15) for _unit in self.units]
        self.unit_first = split_exact(
            totals.first_loans,
            [count * ratio for count, ratio in zip(self.unit_counts, first_ratios, strict=True)],
            caps=self.unit_counts,
        )
        self.leaf_counts = []
        self.leaf_first = []
        for unit, count, first in zip(self.units, self.unit_counts, self.unit_first, strict=True):
            leaves = unit.leaves
            counts = split_exact(count, [leaf.weight * rng.uniform(0.75, 1.25) for leaf in leaves])
            ratios = [rng.uniform(0.9, 1.1) for _leaf in leaves]
            firsts = split_exact(first, [c * r for c, r in zip(counts, ratios, strict=True)], caps=counts)
            self.leaf_counts.extend(counts)
            self.leaf_first.extend(firsts)
        self._build_season_contracts()
        self._built = True
        return self

    def _build_season_contracts(self):
        """Kind, level, tuition and amount of each season contract; amounts fitted to the total."""
        rng = self.rng
        cap_ug, cap_grad, minimum = self.caps[self.year]
        self.kinds, self.levels, self.needs, self.leaf_of = [], [], [], []
        raw, lows, highs = [], [], []
        for leaf_index, (count, first) in enumerate(zip(self.leaf_counts, self.leaf_first, strict=True)):
            for position in range(count):
                kind = "first" if position < first else "renewal"
                weights = LEVEL_WEIGHTS_FIRST if kind == "first" else LEVEL_WEIGHTS_RENEWAL
                level = rng.choices(LEVELS, weights)[0]
                cap = cap_grad if level in GRADUATE_LEVELS else cap_ug
                need = rng.choice(TUITION[level]) + rng.choice(ACCOMMODATION)
                self.kinds.append(kind)
                self.levels.append(level)
                self.needs.append(need)
                self.leaf_of.append(leaf_index)
                raw.append(max(minimum, min(cap, need)))
                lows.append(minimum)
                highs.append(cap)
        self.amounts = fit_amounts(raw, lows, highs, self.totals.amount, quantum=100) if raw else []

    # ------------------------------------------------------------------
    # Phase 2: the people and their contract history (streamed)
    # ------------------------------------------------------------------

    def iter_students(self):
        """Yield one ``StudentRecord`` per season contract, division by division."""
        self.build()
        for index in range(len(self.amounts)):
            yield self._make_student(index)

    def _make_student(self, index):
        rng = self.rng
        leaf = self.leaves[self.leaf_of[index]]
        kind, level, amount = self.kinds[index], self.levels[index], self.amounts[index]
        study_years = STUDY_YEARS[level]
        if level == "undergraduate" and rng.random() < 0.06:
            study_years = 5  # medicine, architecture
        if kind == "first":
            enrolment = self.year if rng.random() < 0.88 else rng.randint(self.year - study_years + 1, self.year)
            first_year = self.year
        else:
            enrolment = rng.randint(self.year - study_years + 1, self.year - 1)
            first_year = enrolment if rng.random() < 0.8 else rng.randint(enrolment, self.year - 1)
            # no contract before the first year with a policy (the student borrowed from then on)
            first_year = max(first_year, self.first_policy_year)
        age = {"vocational": 18, "undergraduate": 18, "master": 22, "doctor": 25}[level] + rng.choice((-1, 0, 0, 1, 2))
        gender = "male" if rng.random() < 0.52 else "female"
        birth_date = self._random_day(enrolment - age)
        id_number = self._new_id_number(leaf.code, birth_date, gender)
        surname = rng.choice(SURNAMES)
        name = surname + self._given_name()
        relation = rng.choices(("father", "mother", "guardian"), (0.62, 0.34, 0.04))[0]
        parent_gender = "female" if relation == "mother" else "male"
        parent_birth = self._random_day(birth_date.year - rng.randint(22, 32))
        parent_name = (surname if relation == "father" else rng.choice(SURNAMES)) + self._given_name()
        poverty = rng.random() < leaf.poverty_share * (1.4 if kind == "first" else 1.0) * 0.85
        address = self._address(leaf)
        contracts = []
        for year in range(first_year, self.year):
            contracts.append(
                self._history_contract(year, "first" if year == first_year else "renewal", level, self.needs[index])
            )
        contracts.append(self._season_contract(kind, level, amount, self.needs[index]))
        registered = contracts[0].submitted_at - datetime.timedelta(days=rng.randint(0, 6), hours=rng.randint(0, 5))
        return StudentRecord(
            division=leaf,
            name=name,
            id_number=id_number,
            gender=gender,
            birth_date=birth_date,
            mobile=self._mobile(),
            email=f"s{self.seed}x{index}@example.com" if rng.random() < 0.55 else None,
            household_address=address,
            third_party_name=rng.choice(SURNAMES) + self._given_name(),
            third_party_phone=self._mobile(),
            is_poverty_registered=poverty,
            education_level=level,
            study_years=study_years,
            enrolment_year=enrolment,
            school_key=rng.randrange(1 << 30),
            registered_at=registered,
            coborrower_name=parent_name,
            coborrower_relation=relation,
            coborrower_id_number=self._new_id_number(leaf.code, parent_birth, parent_gender),
            coborrower_mobile=self._mobile(),
            coborrower_work_unit=rng.choice(WORK_UNITS),
            contracts=contracts,
        )

    def _season_contract(self, kind, level, amount, need):
        rng = self.rng
        cap_ug, cap_grad, _minimum = self.caps[self.year]
        cap = cap_grad if level in GRADUATE_LEVELS else cap_ug
        accommodation = min(rng.choice(ACCOMMODATION), amount - 500)
        if amount < cap or need < cap:
            tuition = amount - accommodation  # the actual need (据实)
        else:
            tuition = need - accommodation  # need above the cap: the cap is lent
        roll = rng.random()
        state = "signed" if roll < 0.01 else "approved" if roll < 0.04 else "active"
        return self._contract(self.year, kind, amount, tuition, accommodation, cap, state)

    def _history_contract(self, year, kind, level, need):
        rng = self.rng
        cap_ug, cap_grad, minimum = self.caps[year]
        cap = cap_grad if level in GRADUATE_LEVELS else cap_ug
        need = max(minimum, need + rng.choice((-500, 0, 0, 0, 500)))
        amount = min(cap, need)
        accommodation = min(rng.choice(ACCOMMODATION), amount - 500)
        return self._contract(year, kind, amount, need - accommodation, accommodation, cap, "active")

    def _contract(self, year, kind, amount, tuition, accommodation, cap, state):
        rng = self.rng
        # peak season: July to September, renewals earlier than first loans (admission letters)
        mode = 30 if kind == "renewal" else 50
        signing = datetime.date(year, 7, 1) + datetime.timedelta(days=int(rng.triangular(0, 91, mode)))
        submitted = datetime.datetime.combine(signing, datetime.time(8)) - datetime.timedelta(
            days=rng.choice((0, 0, 1, 2)), minutes=-rng.randint(0, 540)
        )
        checked = datetime.datetime.combine(signing, datetime.time(9, rng.randint(0, 59)))
        approved = bank = disbursed = receipt = None
        application_state = "checked"
        if state in ("approved", "active"):
            approved = checked + datetime.timedelta(hours=rng.randint(1, 30))
            receipt = "".join(rng.choices(RECEIPT_ALPHABET, k=8))
            application_state = "approved" if state == "approved" and rng.random() < 0.5 else "bank"
        if state == "active":
            bank = approved + datetime.timedelta(days=rng.randint(1, 6))
            disbursed = max(bank.date(), datetime.date(year, 9, 15)) + datetime.timedelta(days=rng.randint(5, 45))
            application_state = "confirmed"
        return ContractRecord(
            academic_year=year,
            loan_kind=kind,
            amount=amount,
            tuition=tuition,
            accommodation=accommodation,
            cap=cap,
            signing_date=signing,
            submitted_at=submitted,
            checked_at=checked,
            approved_at=approved,
            bank_at=bank,
            disbursement_date=disbursed,
            state=state,
            application_state=application_state,
            receipt_code=receipt,
        )

    # ------------------------------------------------------------------
    # Small generators
    # ------------------------------------------------------------------

    def _random_day(self, year):
        return datetime.date(year, 1, 1) + datetime.timedelta(days=self.rng.randrange(365))

    def _given_name(self):
        rng = self.rng
        return rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")

    def _mobile(self):
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def _address(self, leaf):
        rng = self.rng
        town = rng.choice(TOWN_STEMS) + rng.choice(("镇", "乡"))
        village = rng.choice(VILLAGE_STEMS)
        return f"{leaf.province}{leaf.place}{town}{village}村{rng.randint(1, 12)}组{rng.randint(1, 80)}号"

    def _new_id_number(self, region, birth_date, gender):
        """A valid, unused resident ID number (GB 11643 check digit) of ``region`` and birth date."""
        body = f"{region}{birth_date:%Y%m%d}"
        male = gender == "male"
        key = (body, male)
        serial = self._id_serials.get(key, 0)
        while True:
            if serial >= 500:
                raise ValueError(f"No ID numbers left for {body}.")
            number17 = f"{body}{serial * 2 + male:03d}"  # the 17th digit is odd for men, even for women
            serial += 1
            number = number17 + ric.calc_check_digit(number17 + "0")
            if number not in self.taken_ids:
                break
        self._id_serials[key] = serial
        return number


# Schools the students attend: (name, ministry code or None); vocational colleges for vocational
# students, universities for the others (the first ones also take graduate students).
UNIVERSITIES = (
    ("郑州大学", "10459"),
    ("河南大学", "10475"),
    ("河南师范大学", "10476"),
    ("河南科技大学", "10464"),
    ("河南农业大学", "10466"),
    ("河南理工大学", "10460"),
    ("华北水利水电大学", "10078"),
    ("河南财经政法大学", "10484"),
    ("武汉大学", "10486"),
    ("华中科技大学", "10487"),
    ("郑州轻工业大学", "10462"),
    ("河南工业大学", "10463"),
    ("中原工学院", "10465"),
    ("河南科技学院", "10467"),
    ("河南中医药大学", "10471"),
    ("新乡医学院", "10472"),
    ("信阳师范学院", "10477"),
    ("周口师范学院", "10478"),
    ("安阳师范学院", "10479"),
    ("南阳师范学院", "10481"),
    ("洛阳师范学院", "10482"),
    ("商丘师范学院", "10483"),
    ("黄淮学院", "11067"),
    ("平顶山学院", "11765"),
    ("北京师范大学", "10027"),
    ("西安交通大学", "10698"),
    ("四川大学", "10610"),
    ("山东大学", "10422"),
    ("南京大学", "10284"),
    ("中南大学", "10533"),
)
GRADUATE_SCHOOLS = 10  # the first universities above
VOCATIONAL_COLLEGES = (
    "河南职业技术学院",
    "郑州铁路职业技术学院",
    "河南工业职业技术学院",
    "黄河水利职业技术学院",
    "河南经贸职业学院",
    "河南交通职业技术学院",
    "商丘职业技术学院",
    "周口职业技术学院",
    "信阳职业技术学院",
    "南阳职业学院",
    "漯河职业技术学院",
    "许昌职业技术学院",
    "濮阳职业技术学院",
    "鹤壁职业技术学院",
    "三门峡职业技术学院",
    "平顶山工业职业技术学院",
    "开封大学",
    "焦作大学",
    "驻马店职业技术学院",
    "河南农业职业学院",
)
THIRD_PARTY_RELATIONS = ("老师", "亲戚", "邻居", "村干部")
