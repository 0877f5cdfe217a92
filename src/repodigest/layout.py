"""Where each report lives under the output folder: one home for the layout, used by the files
publisher that writes there and by the reports that link to each other.

    <YYYY>/<repo>/<YYYY-MM-DD>.<ext>       a repository's day
    <YYYY>/<YYYY-MM-DD>.<ext>              the combined day (several repositories)
    <YYYY>/<repo>/<period>.<ext>           a repository's digest (week-2026-W48, month-2026-11, range-…)
    <YYYY>/<period>.<ext>                  the combined digest; <YYYY> is the period's first day's year
"""

from __future__ import annotations

import posixpath
from datetime import date


def report_path(year: int, stem: str, repository: str | None, extension: str) -> str:
    folder = f"{year:04d}" if repository is None else f"{year:04d}/{repository}"
    return f"{folder}/{stem}.{extension}"


def day_path(day: date, repository: str | None, extension: str) -> str:
    return report_path(day.year, day.isoformat(), repository, extension)


def relative(from_path: str, to_path: str) -> str:
    """A link from one report file to another, relative, so the folder works anywhere."""
    return posixpath.relpath(to_path, posixpath.dirname(from_path))
