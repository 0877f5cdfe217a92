"""Periods: ISO weeks (also across a new year), months, ranges, and `last`/`this`."""

from datetime import UTC, date, datetime

import pytest

from repodigest.errors import BadInput
from repodigest.period import choose, day_range, month, week


def test_an_iso_week_runs_monday_to_sunday():
    period = week("2026-W48", "UTC")
    assert (period.start, period.end, period.name) == (date(2026, 11, 23), date(2026, 11, 29), "week-2026-W48")
    assert len(period.days) == 7


def test_week_one_can_begin_in_the_year_before():
    period = week("2026-W01", "UTC")
    assert period.start == date(2025, 12, 29) and period.label == "2026-W01"


def test_months_and_ranges():
    assert month("2026-02", "UTC").end == date(2026, 2, 28)
    assert month("2028-02", "UTC").end == date(2028, 2, 29)
    assert month("2026-12", "UTC").name == "month-2026-12"
    assert day_range("2026-11-01", "2026-11-07", "UTC").name == "range-2026-11-01_2026-11-07"


def test_last_and_this_follow_the_zone():
    # Monday 2026-11-30 01:00 in Shanghai is still Sunday in UTC.
    now = datetime(2026, 11, 29, 17, 0, tzinfo=UTC)
    assert week("last", "Asia/Shanghai", now).label == "2026-W48"
    assert week("this", "Asia/Shanghai", now).label == "2026-W49"
    assert week("this", "UTC", now).label == "2026-W48"
    assert month("last", "UTC", now).label == "2026-10"


@pytest.mark.parametrize(
    "given",
    [("2026-W54", None, None, None), (None, "2026-00", None, None), (None, None, "2026-11-07", "2026-11-01")],
)
def test_bad_periods_are_bad_input(given):
    with pytest.raises(BadInput):
        choose(*given, timezone="UTC")
