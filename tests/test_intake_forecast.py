"""Intake queue arithmetic (student_loan_intake/intakelib/forecast.py): no Odoo needed."""

import datetime

import pytest
from intakelib import forecast
from intakelib.forecast import StationLoad

MONDAY = datetime.date(2024, 8, 12)


def test_stations_in_order():
    assert forecast.STATIONS == ("consult", "register", "check", "print", "sign")
    assert forecast.next_station("consult") == "register"
    assert forecast.next_station("print") == "sign"
    assert forecast.next_station("sign") is None
    with pytest.raises(ValueError):
        forecast.next_station("coffee")


def test_minutes_between():
    start = datetime.datetime(2024, 8, 12, 8, 0)
    assert forecast.minutes_between(start, start + datetime.timedelta(minutes=7, seconds=30)) == 7.5
    assert forecast.minutes_between(start, None) == 0.0
    assert forecast.minutes_between(None, start) == 0.0
    assert forecast.minutes_between(start, start - datetime.timedelta(minutes=1)) == 0.0


def test_forecast_without_history_counts_appointments():
    result = forecast.forecast_arrivals({}, MONDAY, appointments=40, show_rate=0.9)
    assert result.walk_ins == 0
    assert result.expected_appointments == 36
    assert result.total == 36
    assert result.days_used == 0


def test_forecast_flat_history():
    history = {MONDAY - datetime.timedelta(days=d): 100 for d in range(1, 15)}
    result = forecast.forecast_arrivals(history, MONDAY, appointments=10, show_rate=1.0)
    assert result.walk_ins == 100
    assert result.weekday_factor == 1.0
    assert result.total == 110


def test_forecast_ignores_closed_days_and_the_future():
    history = {
        MONDAY - datetime.timedelta(days=1): 0,  # Sunday, closed
        MONDAY - datetime.timedelta(days=3): 80,
        MONDAY: 999,  # the day itself is not history
        MONDAY + datetime.timedelta(days=1): 999,
    }
    result = forecast.forecast_arrivals(history, MONDAY)
    assert result.days_used == 1
    assert result.walk_ins == 80


def test_forecast_follows_a_rising_peak():
    # the peak ramps up: recent days weigh more than the plain average
    history = {MONDAY - datetime.timedelta(days=10 - i): 50 + 20 * i for i in range(10) if (10 - i) % 7}
    plain_average = sum(history.values()) / len(history)
    result = forecast.forecast_arrivals(history, MONDAY)
    assert result.level > plain_average


def test_forecast_busy_monday():
    history = {}
    day = MONDAY - datetime.timedelta(days=28)
    while day < MONDAY:
        if day.weekday() < 5:
            history[day] = 300 if day.weekday() == 0 else 150
        day += datetime.timedelta(days=1)
    monday = forecast.forecast_arrivals(history, MONDAY)
    tuesday = forecast.forecast_arrivals(history, MONDAY + datetime.timedelta(days=1))
    assert monday.weekday_factor > 1.5
    assert tuesday.weekday_factor < 1
    assert monday.walk_ins > tuesday.walk_ins
    # a steady weekly pattern is forecast exactly (the smoothing works on weekday-adjusted counts)
    assert (monday.walk_ins, tuesday.walk_ins) == (300, 150)


def test_forecast_rejects_nonsense():
    with pytest.raises(ValueError):
        forecast.forecast_arrivals({}, MONDAY, alpha=0)
    with pytest.raises(ValueError):
        forecast.forecast_arrivals({}, MONDAY, show_rate=1.5)
    with pytest.raises(ValueError):
        forecast.forecast_arrivals({}, MONDAY, appointments=-1)


def test_staffing_xichuan_peak():
    # 淅川: 300+ families a day; open 8:00-12:00 and 14:30-18:00 (7.5 h)
    open_minutes = forecast.shift_minutes(8, 12) + forecast.shift_minutes(14.5, 18)
    assert open_minutes == 450
    result = forecast.suggest_staffing(320, open_minutes, target_utilisation=0.85)
    assert list(result) == list(forecast.STATIONS)
    # 320 families x 10 min of application check = 3200 min; one desk gives 450 x 0.85 = 382.5 min
    assert result["check"].workload_minutes == 3200
    assert result["check"].staff == 9
    assert result["consult"].staff == 3  # 960 / 382.5 = 2.5 -> 3
    assert all(suggestion.staff >= 1 for suggestion in result.values())


def test_staffing_reach_and_history():
    result = forecast.suggest_staffing(
        100,
        480,
        service_minutes={"sign": 12.0},
        reach={"sign": 0.5, "register": 0.0},
        target_utilisation=1.0,
    )
    assert result["sign"].families == 50
    assert result["sign"].staff == 2  # 600 min / 480
    assert result["register"].staff == 0  # nobody needs registration guidance
    assert forecast.suggest_staffing(0, 480)["sign"].staff == 0


def test_staffing_rejects_nonsense():
    with pytest.raises(ValueError):
        forecast.suggest_staffing(10, 0)
    with pytest.raises(ValueError):
        forecast.suggest_staffing(10, 100, target_utilisation=0)
    with pytest.raises(ValueError):
        forecast.suggest_staffing(-1, 100)
    with pytest.raises(ValueError):
        forecast.shift_minutes(12, 8)


def test_bottleneck_by_utilisation():
    loads = [
        StationLoad("consult", served=300, service_minutes=900, wait_minutes=600, staffed_minutes=1800),
        StationLoad("check", served=280, service_minutes=2800, wait_minutes=9000, staffed_minutes=2880),
        StationLoad("sign", served=280, service_minutes=1680, wait_minutes=3000, staffed_minutes=2700),
    ]
    assert forecast.find_bottleneck(loads) == "check"
    assert loads[0].per_desk_hour == 10
    assert loads[1].average_wait == pytest.approx(32.142857, rel=1e-4)


def test_bottleneck_by_wait_without_roster():
    loads = [
        StationLoad("consult", served=10, wait_minutes=50),
        StationLoad("sign", served=10, wait_minutes=300),
        StationLoad("print", served=0),
    ]
    assert forecast.find_bottleneck(loads) == "sign"
    assert forecast.find_bottleneck([StationLoad("sign")]) is None
    assert loads[0].utilisation is None and loads[0].per_desk_hour is None


def test_estimate_reach():
    reach = forecast.estimate_reach({"consult": 100, "sign": 80}, 100)
    assert reach["consult"] == 1.0 and reach["sign"] == 0.8 and reach["print"] == 0.0
    assert forecast.estimate_reach({"consult": 5}, 0) == {}
