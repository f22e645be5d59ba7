"""Peak-season intake arithmetic: stations, times, tomorrow's arrivals, staffing and the bottleneck.

Plain Python (no Odoo import). Times are minutes (floats); days are :class:`datetime.date`.
"""

import datetime
import math
from collections.abc import Mapping
from dataclasses import dataclass

from .errors import LibError, _lt

#: The five stations a family passes, in order (咨询受理, 注册指导, 申请验收, 合同打印, 合同签订).
STATIONS = ("consult", "register", "check", "print", "sign")

#: Minutes one desk needs per family at each station when there is no history yet.
DEFAULT_SERVICE_MINUTES = {"consult": 3.0, "register": 8.0, "check": 10.0, "print": 4.0, "sign": 6.0}


def next_station(station):
    """The station after ``station``, or ``None`` after signing (the family is done)."""
    index = STATIONS.index(station)
    return STATIONS[index + 1] if index + 1 < len(STATIONS) else None


def minutes_between(start, end):
    """Minutes from ``start`` to ``end`` (datetimes), ``0.0`` if either is missing or end is earlier."""
    if not start or not end or end < start:
        return 0.0
    return (end - start).total_seconds() / 60.0


@dataclass(frozen=True)
class ArrivalForecast:
    day: datetime.date
    walk_ins: int  # families expected without an appointment
    appointments: int  # appointments booked for the day
    expected_appointments: int  # of which expected to come (show rate)
    level: float  # smoothed walk-ins per open day
    weekday_factor: float  # busier (>1) or quieter (<1) weekday than average
    days_used: int  # open days of history used

    @property
    def total(self):
        return self.walk_ins + self.expected_appointments


def forecast_arrivals(history, day, appointments=0, *, window=14, alpha=0.4, show_rate=0.9):
    """Forecast the families arriving on ``day``.

    :param history: mapping ``date -> walk-in arrivals`` of past days (appointments excluded); days
        with no arrival are closed days and are ignored; days on or after ``day`` are ignored.
    :param appointments: appointments booked for ``day``; ``show_rate`` of them are expected.
    :param window: number of most recent open days used for the level.
    :param alpha: weight of the most recent day in the exponential smoothing (0 < alpha <= 1).

    The weekday factor of a weekday is its average over the average of every open day (from at least
    two such weekdays, between 0.5 and 2) — Mondays are busier. The level is the exponentially smoothed
    walk-ins of the last ``window`` open days, each divided by its weekday factor (recent days count
    more: the peak ramps up and down); the forecast is the level times the target day's factor.
    """
    if not 0 < alpha <= 1:
        raise LibError(_lt("alpha must be in (0, 1]."))
    if not 0 <= show_rate <= 1:
        raise LibError(_lt("The show rate must be between 0 and 1."))
    if appointments < 0:
        raise LibError(_lt("The number of appointments cannot be negative."))
    open_days = sorted((date, count) for date, count in history.items() if count > 0 and date < day)
    factors = _weekday_factors(open_days)
    recent = open_days[-window:] if window > 0 else []
    level = 0.0
    for index, (date, count) in enumerate(recent):
        value = count / factors.get(date.weekday(), 1.0)
        level = value if index == 0 else alpha * value + (1 - alpha) * level
    factor = factors.get(day.weekday(), 1.0)
    expected_appointments = math.ceil(appointments * show_rate - 1e-9)
    return ArrivalForecast(
        day=day,
        walk_ins=round(level * factor),
        appointments=appointments,
        expected_appointments=expected_appointments,
        level=level,
        weekday_factor=factor,
        days_used=len(recent),
    )


def _weekday_factors(open_days):
    """``weekday -> factor`` for the weekdays seen at least twice."""
    if not open_days:
        return {}
    overall = sum(count for _date, count in open_days) / len(open_days)
    by_weekday = {}
    for date, count in open_days:
        by_weekday.setdefault(date.weekday(), []).append(count)
    return {
        weekday: min(2.0, max(0.5, (sum(counts) / len(counts)) / overall))
        for weekday, counts in by_weekday.items()
        if len(counts) >= 2
    }


@dataclass(frozen=True)
class StaffingSuggestion:
    station: str
    families: float  # families expected at the station
    service_minutes: float  # minutes per family
    workload_minutes: float
    staff: int  # desks to keep open all day


def suggest_staffing(arrivals, open_minutes, service_minutes=None, reach=None, *, target_utilisation=0.85, min_staff=1):
    """Desks to staff at each station so that the day's work fits in the opening hours.

    :param arrivals: families expected for the day.
    :param open_minutes: minutes the centre is open (sum of its shifts).
    :param service_minutes: ``station -> minutes per family`` (history), defaults per station.
    :param reach: ``station -> share of families that reach the station`` (not every family needs
        every desk: some only ask a question), default 1.
    :param target_utilisation: share of a desk's time spent serving (a desk busy 100% makes a queue
        that never empties).
    :returns: ``station -> StaffingSuggestion`` for every station in order.
    """
    if open_minutes <= 0:
        raise LibError(_lt("The centre must be open for some time (no shift is defined)."))
    if not 0 < target_utilisation <= 1:
        raise LibError(_lt("The target utilisation must be in (0, 1]."))
    if arrivals < 0:
        raise LibError(_lt("Arrivals cannot be negative."))
    service_minutes = service_minutes or {}
    reach = reach or {}
    result = {}
    for station in STATIONS:
        minutes = service_minutes.get(station) or DEFAULT_SERVICE_MINUTES[station]
        share = min(1.0, max(0.0, reach.get(station, 1.0)))
        families = arrivals * share
        workload = families * minutes
        staff = math.ceil(workload / (open_minutes * target_utilisation) - 1e-9) if workload else 0
        if arrivals > 0 and families > 0:
            staff = max(staff, min_staff)
        result[station] = StaffingSuggestion(
            station=station,
            families=families,
            service_minutes=minutes,
            workload_minutes=workload,
            staff=staff,
        )
    return result


@dataclass(frozen=True)
class StationLoad:
    """What a station did over some days."""

    station: str
    served: int = 0  # families served
    service_minutes: float = 0.0  # total minutes of service
    wait_minutes: float = 0.0  # total minutes families waited for the station
    staffed_minutes: float = 0.0  # desk-minutes the roster planned for the station

    @property
    def utilisation(self):
        """Share of the staffed time spent serving (``None`` when the roster is unknown)."""
        return self.service_minutes / self.staffed_minutes if self.staffed_minutes else None

    @property
    def average_wait(self):
        return self.wait_minutes / self.served if self.served else 0.0

    @property
    def average_service(self):
        return self.service_minutes / self.served if self.served else 0.0

    @property
    def per_desk_hour(self):
        """Families served per staffed desk-hour (``None`` when the roster is unknown)."""
        return self.served / (self.staffed_minutes / 60.0) if self.staffed_minutes else None


def find_bottleneck(loads):
    """The station that limits the flow: the highest utilisation where the roster is known, the
    longest average wait otherwise (and to break ties). ``None`` when nobody was served."""
    served = [load for load in loads if load.served]
    if not served:
        return None

    def key(load):
        utilisation = load.utilisation
        return (utilisation is not None, utilisation or 0.0, load.average_wait)

    if any(load.utilisation is not None for load in served):
        return max(served, key=key).station
    return max(served, key=lambda load: load.average_wait).station


def estimate_reach(served_by_station: Mapping, arrivals):
    """Share of arriving families that reached each station (for :func:`suggest_staffing`)."""
    if not arrivals:
        return {}
    return {station: min(1.0, served_by_station.get(station, 0) / arrivals) for station in STATIONS}


def shift_minutes(hour_from, hour_to):
    """Length of a shift given as decimal hours (8.5 = 08:30)."""
    if hour_to <= hour_from:
        raise LibError(_lt("A shift must end after it starts."))
    return (hour_to - hour_from) * 60.0
