from datetime import UTC, date, datetime, timedelta

import pytest

from repodigest.errors import BadInput
from repodigest.source.window import DayWindow, day_window, resolve_day


def test_window_is_half_open_midnight_to_midnight_in_the_zone():
    window = DayWindow(day=date(2026, 2, 27), timezone="Asia/Shanghai")
    assert window.start.isoformat() == "2026-02-27T00:00:00+08:00"
    assert window.end.isoformat() == "2026-02-28T00:00:00+08:00"
    assert window.contains(datetime.fromisoformat("2026-02-27T15:59:59+00:00"))
    assert not window.contains(datetime.fromisoformat("2026-02-27T16:00:00+00:00"))
    assert not window.contains(datetime.fromisoformat("2026-02-26T23:59:59+08:00"))


def test_a_daylight_saving_day_is_23_hours_long():
    window = DayWindow(day=date(2026, 3, 8), timezone="America/New_York")
    assert window.end.astimezone(UTC) - window.start.astimezone(UTC) == timedelta(hours=23)
    assert window.end.isoformat() == "2026-03-09T00:00:00-04:00"


def test_yesterday_is_relative_to_the_zone_not_the_machine():
    # 20:00 UTC on the 1st is already the 2nd in Shanghai.
    now = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)
    assert resolve_day("yesterday", "Asia/Shanghai", now) == date(2026, 3, 1)
    assert resolve_day("yesterday", "UTC", now) == date(2026, 2, 28)
    assert resolve_day("today", "Asia/Shanghai", now) == date(2026, 3, 2)


def test_explicit_date():
    assert day_window("2026-07-30", "UTC").day == date(2026, 7, 30)


@pytest.mark.parametrize("spec", ["2026-13-01", "27/02/2026", "tomorrowish", ""])
def test_bad_date_is_bad_input(spec):
    with pytest.raises(BadInput, match="bad date"):
        resolve_day(spec, "UTC")


def test_unknown_zone_is_bad_input():
    with pytest.raises(BadInput, match="unknown time zone 'Mars/Olympus'"):
        resolve_day("today", "Mars/Olympus")
