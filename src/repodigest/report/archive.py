"""The archive's model: one entry per report written to the output folder (a repository's day,
a combined day, a period digest), with what the index pages and feeds show of it.

Entries are small on purpose: the archive is rebuilt from them on every run, so a new day adds
itself without anything reading the old days again (not from git, not from their files).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from repodigest.report.models import Stats

FORMAT_PREFERENCE = ("html", "md", "json")
"""The file a link opens: the page made for reading first."""


class ArchiveHighlight(BaseModel):
    model_config = ConfigDict(frozen=True)

    category: str
    items: tuple[str, ...]
    subject: str
    anchor: str | None = None
    """The commit's anchor in the report (`c-demo-1234567890`), for a link straight to it."""
    repository: str | None = None
    """Display name, for highlights of a combined report."""


class ArchiveEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: Literal["day", "digest"] = "day"
    repository: str | None = None
    """The repository's key (its folder under `<out>/<YYYY>/`); None for a combined report."""
    name: str | None = None
    """The repository's display name; None for a combined report."""
    label: str
    """The day (`2026-02-27`) or the period (`2026-W48`, `2026-11`, `2026-11-01_2026-11-15`)."""
    period: str | None = None
    """week, month or range for a digest."""
    start: date
    end: date
    """Inclusive; the same day for a daily report."""
    files: dict[str, str]
    """format → path relative to the output folder, with `/` separators."""
    stats: Stats | None = None
    highlights: tuple[ArchiveHighlight, ...] = ()
    repositories: tuple[str, ...] = ()
    """Display names of the repositories a combined report covers."""
    error: str | None = None
    updated: datetime
    """When the report's content last changed: the end of its day, or the moment a partial day covers up to."""
    source_mtime_ns: int | None = None
    """Of its JSON file when the entry was taken from it: that file is read again only once it changes."""

    @property
    def identity(self) -> tuple[str, str, str]:
        return (self.kind, self.repository or "", self.label)

    @property
    def main_file(self) -> str:
        return next(self.files[f] for f in FORMAT_PREFERENCE if f in self.files)

    @property
    def sort_key(self) -> tuple[date, bool, bool, str]:
        """Newest first; on the same day a period after the day it ends on, combined reports first."""
        return (self.end, self.kind == "day", self.repository is None, self.label)


class Manifest(BaseModel):
    """What the archive publisher keeps beside the reports (`<out>/.archive.json`)."""

    version: Literal[1] = 1
    entries: list[ArchiveEntry] = []

    def upsert(self, entries: list[ArchiveEntry]) -> None:
        fresh = {e.identity: e for e in entries}
        kept = [e for e in self.entries if e.identity not in fresh]
        self.entries = sorted([*kept, *fresh.values()], key=lambda e: e.sort_key, reverse=True)

    def of_repository(self, key: str) -> list[ArchiveEntry]:
        return [e for e in self.entries if e.repository == key]
