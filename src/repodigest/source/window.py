"""The day a report covers: a half-open interval of wall-clock time in one zone."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict

from repodigest.errors import BadInput


class DayWindow(BaseModel):
    """[start, end) of one calendar day in `timezone`."""

    model_config = ConfigDict(frozen=True)

    day: date
    timezone: str

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.day, time.min, tzinfo=self.zone)

    @property
    def end(self) -> datetime:
        # The next midnight, not start + 24h: days with a DST switch are 23 or 25 hours long.
        return datetime.combine(self.day + timedelta(days=1), time.min, tzinfo=self.zone)

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


def load_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadInput(
            f"unknown time zone {name!r}",
            "use an IANA zone name such as Asia/Shanghai, UTC or America/New_York",
        ) from None


FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(2100, 12, 31)


def resolve_day(spec: str, timezone: str, now: datetime | None = None) -> date:
    """Turn `YYYY-MM-DD`, `today` or `yesterday` into a date; relative names use the zone's clock."""
    zone = load_zone(timezone)
    today = (now or datetime.now(tz=zone)).astimezone(zone).date()
    keyword = spec.strip().lower()
    if keyword == "today":
        return today
    if keyword == "yesterday":
        return today - timedelta(days=1)
    try:
        day = date.fromisoformat(spec.strip())
    except ValueError:
        raise BadInput(
            f"bad date {spec!r}",
            "give --date as YYYY-MM-DD, 'today' or 'yesterday'",
        ) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        # git's dates and the zone database stop being meaningful (and datetime overflows at 9999).
        raise BadInput(f"date {day} is not between {FIRST_DAY} and {LAST_DAY}", "give a day in that range")
    return day


def day_window(spec: str, timezone: str, now: datetime | None = None) -> DayWindow:
    return DayWindow(day=resolve_day(spec, timezone, now), timezone=timezone)
