"""The archive site beside the reports: `index.html`, `repos/<key>/index.html`, and an Atom feed
for each (`feed.xml`), kept up to date incrementally.

The publisher keeps a small manifest (`<out>/.archive.json`): one entry per report. A new day
adds its own entries from the edition it is given. Reports it did not see being written (days
from before the archive was turned on, period digests, another run's days) are taken once from
their JSON files, and read again only when such a file changes. So a run never reads old days
again, and the site always lists what the folder holds: an entry whose files are gone is dropped.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from itertools import chain
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from repodigest.config import ArchiveConfig
from repodigest.publish.base import Edition, Publication, PublishContext
from repodigest.publish.files import FilesPublisher, write_atomically
from repodigest.render import anchors
from repodigest.render.archive import FEED, INDEX, REPOSITORIES, ArchiveSite
from repodigest.report.archive import ArchiveEntry, ArchiveHighlight, Manifest
from repodigest.report.models import Report, RepositoryReport, Stats
from repodigest.source.window import DayWindow

log = logging.getLogger(__name__)

MANIFEST = ".archive.json"
REPORT_FORMATS = ("md", "json", "html")
_YEAR = "[0-9][0-9][0-9][0-9]"


class ArchivePublisher:
    name = "archive"
    needs_formats: tuple[str, ...] = ()

    def __init__(self, output: Path, formats: tuple[str, ...], site: ArchiveSite) -> None:
        self.output = output
        self.files = FilesPublisher(output, formats)
        self.site = site

    def publish(self, edition: Edition) -> list[Publication]:
        if not isinstance(edition.report, Report):
            # Another kind of report (a period digest): its files are taken in by the scan.
            return self.refresh()
        return self.refresh(self.entries_of(edition))

    def refresh(self, fresh: Sequence[ArchiveEntry] = ()) -> list[Publication]:
        """Add `fresh`, take in any report files not yet known, rewrite every page and feed."""
        manifest = self._load()
        manifest.upsert(list(fresh))
        manifest.upsert(self._scan(manifest))
        manifest.entries = [e for e in (self._present(e) for e in manifest.entries) if e is not None]
        for path, content in self.site.render(manifest).items():
            write_atomically(self.output / path, content)
        write_atomically(self.output / MANIFEST, manifest.model_dump_json(indent=1) + "\n")
        index = self.output / INDEX
        return [Publication(target=f"archive:{self.output}", key="index", location=str(index))]

    # -- entries from the edition just written ---------------------------------------------

    def entries_of(self, edition: Edition) -> list[ArchiveEntry]:
        report = edition.report
        if not isinstance(report, Report):  # a digest's files are taken in by the scan
            return []
        written: dict[str | None, dict[str, str]] = defaultdict(dict)
        for document in edition.documents:
            if document.format in self.files.formats:
                path = self.files.path_for(edition, document)
                written[document.repository][document.format] = path.relative_to(self.output).as_posix()
        updated = report.as_of or DayWindow(day=report.date, timezone=report.timezone).end
        entries = [
            self._entry(report, [r], files, updated, key=r.repository.key, name=r.repository.name)
            for r in report.repositories
            if (files := written.get(r.repository.key))
        ]
        if written.get(None):
            entries.append(self._entry(report, list(report.repositories), written[None], updated, None, None))
        return entries

    def _entry(
        self,
        report: Report,
        repositories: list[RepositoryReport],
        files: dict[str, str],
        updated: datetime,
        key: str | None,
        name: str | None,
    ) -> ArchiveEntry:
        combined = key is None
        json_file = self.output / files["json"] if "json" in files else None
        return ArchiveEntry(
            repository=key,
            name=name,
            label=report.date.isoformat(),
            start=report.date,
            end=report.date,
            files=files,
            stats=_sum([r.stats for r in repositories]),
            highlights=tuple(
                _highlight(h.category, h.items, c.commit.subject, r.repository.key, h.sha, combined, r.repository.name)
                for r in repositories
                for h in r.highlights
                for c in r.commits
                if c.commit.sha == h.sha
            ),
            repositories=tuple(r.repository.name for r in repositories) if combined else (),
            error="; ".join(f"{r.repository.name}: {r.error}" for r in repositories if r.error) or None,
            updated=updated,
            source_mtime_ns=json_file.stat().st_mtime_ns if json_file and json_file.is_file() else None,
        )

    # -- report files the manifest does not know yet ---------------------------------------

    def _scan(self, manifest: Manifest) -> list[ArchiveEntry]:
        known = {e.files["json"]: e.source_mtime_ns for e in manifest.entries if "json" in e.files}
        found = []
        candidates = chain(self.output.glob(f"{_YEAR}/*.json"), self.output.glob(f"{_YEAR}/*/*.json"))
        for path in sorted(candidates):
            relative = path.relative_to(self.output).as_posix()
            mtime = path.stat().st_mtime_ns
            if relative in known and known[relative] == mtime:
                continue
            entry = self._read(path, relative, mtime)
            if entry is not None:
                found.append(entry)
        return found

    def _read(self, path: Path, relative: str, mtime: int) -> ArchiveEntry | None:
        try:
            document = json.loads(path.read_text("utf-8"))
            return entry_from_json(document, _siblings(path, self.output), mtime)
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError, ValidationError) as error:
            # Not a report of ours (or a damaged one): the archive leaves it out and says so.
            log.warning("archive: leaving out %s: it is not a report repodigest can read (%s)", relative, error)
            return None

    def _present(self, entry: ArchiveEntry) -> ArchiveEntry | None:
        files = {f: p for f, p in entry.files.items() if (self.output / p).is_file()}
        if not files:
            return None
        return entry if files == entry.files else entry.model_copy(update={"files": files})

    def _load(self) -> Manifest:
        path = self.output / MANIFEST
        try:
            return Manifest.model_validate_json(path.read_text("utf-8"))
        except FileNotFoundError:
            return Manifest()
        except (OSError, ValueError) as error:
            # The manifest is only a cache of the reports' JSON files: rebuilt from them.
            log.warning("archive: rebuilding %s from the reports (%s)", path, error)
            return Manifest()


def entry_from_json(document: dict, files: dict[str, str], mtime: int | None = None) -> ArchiveEntry:
    """An entry from a report's JSON: a repository's day, a combined day, or a period digest
    (`"kind": "digest"` with `"period": {kind, start, end, label}`); no `kind` is a day."""
    kind: Literal["day", "digest"] = "digest" if document.get("kind") == "digest" else "day"
    if kind == "digest":
        period = document["period"]
        start, end = date.fromisoformat(period["start"]), date.fromisoformat(period["end"])
        label, period_kind = str(period["label"]), period.get("kind")
    else:
        start = end = date.fromisoformat(document["date"])
        label, period_kind = start.isoformat(), None
    repository = document.get("repository")
    members = document.get("repositories") or []
    if isinstance(repository, dict):
        parts = [document]
        key, name = repository["key"], repository["name"]
    else:
        parts, key, name = members, None, None
    as_of = document.get("as_of")
    return ArchiveEntry(
        kind=kind,
        repository=key,
        name=name,
        label=label,
        period=period_kind,
        start=start,
        end=end,
        files=files,
        stats=_sum([Stats.model_validate(p["stats"]) for p in parts if isinstance(p.get("stats"), dict)]),
        highlights=tuple(h for p in parts for h in _json_highlights(p, combined=key is None)),
        repositories=tuple(p["repository"]["name"] for p in members if isinstance(p.get("repository"), dict)),
        error="; ".join(str(p["error"]) for p in parts if p.get("error")) or None,
        updated=datetime.fromisoformat(as_of) if as_of else _end_of(end, document.get("timezone")),
        source_mtime_ns=mtime,
    )


def _json_highlights(part: dict, combined: bool) -> list[ArchiveHighlight]:
    repository = part.get("repository") or {}
    subjects = {c.get("sha"): c.get("subject", "") for c in part.get("commits") or [] if isinstance(c, dict)}
    return [
        _highlight(
            h["category"],
            tuple(str(i) for i in h.get("items", ())),
            h.get("subject") or subjects.get(h.get("sha"), ""),
            repository.get("key", ""),
            h.get("sha"),
            combined,
            repository.get("name"),
        )
        for h in part.get("highlights") or []
    ]


def _highlight(
    category: str, items: tuple[str, ...], subject: str, key: str, sha: str | None, combined: bool, name: str | None
) -> ArchiveHighlight:
    return ArchiveHighlight(
        category=category,
        items=tuple(items),
        subject=subject,
        anchor=anchors.commit(key, sha) if sha else None,
        repository=name if combined else None,
    )


def _sum(stats: list[Stats]) -> Stats | None:
    if not stats:
        return None
    return Stats(**{field: sum(getattr(s, field) for s in stats) for field in Stats.model_fields})


def _end_of(day: date, zone: str | None) -> datetime:
    try:
        tz = ZoneInfo(zone) if zone else UTC
    except (ValueError, KeyError):
        tz = UTC
    return datetime.combine(day + timedelta(days=1), time(), tz)


def _siblings(path: Path, output: Path) -> dict[str, str]:
    """The report's files in every format, beside its JSON (same name, another extension)."""
    found = {}
    for fmt in REPORT_FORMATS:
        candidate = path.with_suffix(f".{fmt}")
        if candidate.is_file():
            found[fmt] = candidate.relative_to(output).as_posix()
    return found


def archive_paths(output: Path) -> list[Path]:
    """Every file the archive writes, for publishers that commit the folder (git)."""
    paths = [output / INDEX, output / FEED, output / MANIFEST]
    paths.extend(sorted((output / REPOSITORIES).glob(f"*/{INDEX}")))
    paths.extend(sorted((output / REPOSITORIES).glob(f"*/{FEED}")))
    return [p for p in paths if p.is_file()]


def build(settings: ArchiveConfig, context: PublishContext) -> ArchivePublisher:
    site = ArchiveSite(language=context.language, site_url=settings.site_url, feed_entries=settings.feed_entries)
    return ArchivePublisher(context.output, context.formats, site)
