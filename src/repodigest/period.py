"""The days a digest covers: an ISO week, a calendar month, or a range of days, in one zone."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict

from repodigest.errors import BadInput
from repodigest.source.window import load_zone, resolve_day

MAX_DAYS = 367


class Period(BaseModel):
    """[start, end] inclusive, with the label its files and messages are named by."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["week", "month", "range"]
    start: date
    end: date
    label: str
    """`2026-W48`, `2026-11`, `2026-11-01_2026-11-07`."""

    @property
    def name(self) -> str:
        """The file stem and the publication key: `week-2026-W48`, `month-2026-11`, `range-…`."""
        return f"{self.kind}-{self.label}"

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


WEEK = re.compile(r"^(\d{4})-?W(\d{2})$", re.I)
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def week(spec: str, timezone: str, now: datetime | None = None) -> Period:
    """`2026-W48`, or `last`/`this` (relative to the zone's today)."""
    keyword = spec.strip().lower()
    if keyword in ("last", "this"):
        today = resolve_day("today", timezone, now)
        monday = today - timedelta(days=today.weekday()) - timedelta(days=7 if keyword == "last" else 0)
        year, number, _ = monday.isocalendar()
    else:
        match = WEEK.match(spec.strip())
        if not match:
            raise BadInput(f"bad week {spec!r}", "give --week as YYYY-Www (ISO week, e.g. 2026-W48), 'last' or 'this'")
        year, number = int(match[1]), int(match[2])
        try:
            monday = date.fromisocalendar(year, number, 1)
        except ValueError:
            raise BadInput(f"{spec!r} is not a week of {year}", "ISO weeks run from W01 to W52 or W53") from None
    return Period(kind="week", start=monday, end=monday + timedelta(days=6), label=f"{year:04d}-W{number:02d}")


def month(spec: str, timezone: str, now: datetime | None = None) -> Period:
    """`2026-11`, or `last`/`this`."""
    keyword = spec.strip().lower()
    if keyword in ("last", "this"):
        first = resolve_day("today", timezone, now).replace(day=1)
        if keyword == "last":
            first = (first - timedelta(days=1)).replace(day=1)
    else:
        match = MONTH.match(spec.strip())
        if not match or not 1 <= int(match[2]) <= 12:
            raise BadInput(f"bad month {spec!r}", "give --month as YYYY-MM (e.g. 2026-11), 'last' or 'this'")
        first = date(int(match[1]), int(match[2]), 1)
    following = (first + timedelta(days=31)).replace(day=1)
    return Period(kind="month", start=first, end=following - timedelta(days=1), label=f"{first:%Y-%m}")


def day_range(first: str, last: str, timezone: str, now: datetime | None = None) -> Period:
    start, end = resolve_day(first, timezone, now), resolve_day(last, timezone, now)
    if end < start:
        raise BadInput(f"--to {end} is before --from {start}", "give the earlier day to --from")
    if (end - start).days + 1 > MAX_DAYS:
        raise BadInput(f"a digest covers at most {MAX_DAYS} days", "choose a shorter range")
    return Period(kind="range", start=start, end=end, label=f"{start.isoformat()}_{end.isoformat()}")


def choose(
    week_: str | None, month_: str | None, first: str | None, last: str | None, timezone: str, now=None
) -> Period:
    """Exactly one of --week, --month, or --from with --to."""
    load_zone(timezone)
    given = [name for name, value in (("--week", week_), ("--month", month_), ("--from/--to", first or last)) if value]
    if len(given) != 1:
        raise BadInput(
            "a digest needs one period" if not given else f"{' and '.join(given)} given together",
            "pass exactly one of --week YYYY-Www, --month YYYY-MM, or --from DAY --to DAY",
        )
    if week_:
        return week(week_, timezone, now)
    if month_:
        return month(month_, timezone, now)
    if not (first and last):
        raise BadInput("--from and --to go together", "pass both --from DAY and --to DAY")
    return day_range(first, last, timezone, now)
