"""The publisher interface and what flows into it."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict

from repodigest import layout
from repodigest.report.digest import Digest
from repodigest.report.models import Report


class RenderedDocument(BaseModel):
    """One rendered file: for one repository (`repository` is its key) or the whole day (None)."""

    model_config = ConfigDict(frozen=True)

    repository: str | None
    format: str
    content: str


class Edition(BaseModel):
    """Everything one day, or one period's digest, produced: the model and its rendered documents."""

    model_config = ConfigDict(frozen=True)

    report: Report | Digest
    documents: tuple[RenderedDocument, ...]

    @property
    def is_digest(self) -> bool:
        return isinstance(self.report, Digest)

    @property
    def key(self) -> str:
        """What it is published as: the day (`2026-11-24`) or the period (`week-2026-W48`)."""
        return self.report.period.name if isinstance(self.report, Digest) else self.report.date.isoformat()

    @property
    def year(self) -> int:
        """The year folder: the day's, or the period's first day's."""
        return self.report.period.start.year if isinstance(self.report, Digest) else self.report.date.year

    def document(self, format: str, repository: str | None = None) -> RenderedDocument | None:
        for document in self.documents:
            if document.format == format and document.repository == repository:
                return document
        return None

    @property
    def main_path(self) -> str:
        """Where the files publisher puts `main_markdown`, relative to the output folder: the
        combined file for several repositories, else the repository's own file."""
        document = self.main_markdown
        return layout.report_path(self.year, self.key, document.repository if document else None, "md")

    def link(self, template: str | None) -> str | None:
        """A `report_url` with `{date}` (the day, or the period's name), `{year}` and `{path}`
        (see `main_path`) filled."""
        if not template:
            return None
        return template.format(date=self.key, year=f"{self.year:04d}", path=self.main_path)

    @property
    def main_markdown(self) -> RenderedDocument | None:
        """The combined Markdown when there is one, else the single repository's."""
        combined = self.document("md", None)
        if combined is not None:
            return combined
        return next((d for d in self.documents if d.format == "md"), None)


class Publication(BaseModel):
    """A record of one thing published, so a re-run can update it instead of adding another."""

    model_config = ConfigDict(frozen=True)

    target: str
    """Publisher name plus its destination, e.g. `files:reports` or `github:owner/repo`."""
    key: str
    """What was published there, e.g. the date, or the date plus a repository key."""
    remote_id: str | None = None
    location: str | None = None
    """Where a reader finds it: a path or a URL."""


class LedgerEntry(BaseModel):
    """What the ledger remembers of one publication."""

    model_config = ConfigDict(frozen=True)

    target: str
    key: str
    status: str
    """One of STATUSES: pending (started; a kill leaves it so, and then nobody knows whether it
    went out), done (the remote confirmed it), failed (refused: sent again on the next run) or
    unknown (sent, no answer: reported on every run until an operator retries or dismisses it)."""
    remote_id: str | None = None
    location: str | None = None
    content_hash: str | None = None
    """Of what was last delivered (done)."""
    detail: str | None = None
    """Why the last attempt failed or is unknown."""
    attempt_hash: str | None = None
    """Of what the last attempt carried (pending, failed, unknown)."""
    snapshot: dict[str, Any] | None = None
    """What the last delivered message said (commits and their importance), for update messages."""
    attempts: int = 0

    @property
    def delivered(self) -> bool:
        return self.status == "done"

    @property
    def uncertain(self) -> bool:
        """Sent, or perhaps sent, with no confirmation: pending after a kill, or unknown."""
        return self.status in ("pending", "unknown")


STATUSES = ("pending", "done", "failed", "unknown")


class Ledger(Protocol):
    """Where publishers remember what they published, so a re-run updates instead of adding."""

    def entry(self, target: str, key: str) -> LedgerEntry | None: ...

    def entries(self, target: str) -> list[LedgerEntry]: ...

    def begin(self, target: str, key: str, attempt_hash: str | None = None) -> None:
        """Before sending: the entry becomes pending (what it last delivered is kept)."""

    def complete(
        self,
        target: str,
        key: str,
        remote_id: str | None,
        location: str | None,
        content_hash: str,
        snapshot: dict[str, Any] | None = None,
    ) -> None:
        """After the remote confirmed: done."""

    def fail(self, target: str, key: str, detail: str) -> None:
        """A definite refusal: failed, sent again on the next run."""

    def unknown(self, target: str, key: str, detail: str) -> None:
        """No answer after sending: unknown, reported until an operator acts."""


class MemoryLedger:
    """A ledger for one process (tests, and runs without a state database)."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], LedgerEntry] = {}

    def entry(self, target: str, key: str) -> LedgerEntry | None:
        return self._entries.get((target, key))

    def entries(self, target: str) -> list[LedgerEntry]:
        return [e for (t, _), e in self._entries.items() if t == target]

    def _update(self, target: str, key: str, **changes: Any) -> None:
        old = self._entries.get((target, key)) or LedgerEntry(target=target, key=key, status="pending")
        self._entries[(target, key)] = old.model_copy(update=changes)

    def begin(self, target: str, key: str, attempt_hash: str | None = None) -> None:
        old = self._entries.get((target, key))
        self._update(
            target,
            key,
            status="pending",
            attempt_hash=attempt_hash,
            detail=None,
            attempts=(old.attempts if old else 0) + 1,
        )

    def complete(
        self,
        target: str,
        key: str,
        remote_id: str | None,
        location: str | None,
        content_hash: str,
        snapshot: dict[str, Any] | None = None,
    ) -> None:
        self._update(
            target,
            key,
            status="done",
            remote_id=remote_id,
            location=location,
            content_hash=content_hash,
            snapshot=snapshot,
            detail=None,
            attempt_hash=None,
        )

    def fail(self, target: str, key: str, detail: str) -> None:
        self._update(target, key, status="failed", detail=detail)

    def unknown(self, target: str, key: str, detail: str) -> None:
        self._update(target, key, status="unknown", detail=detail)

    def set_status(self, target: str, key: str, status: str, detail: str | None = None) -> None:
        entry = self._entries[(target, key)]
        changes: dict[str, Any] = {"status": status, "detail": detail}
        if status == "done":
            changes["content_hash"] = entry.attempt_hash or entry.content_hash
        self._entries[(target, key)] = entry.model_copy(update=changes)

    def problems(self) -> list[LedgerEntry]:
        return sorted((e for e in self._entries.values() if e.status != "done"), key=lambda e: (e.target, e.key))


class Publisher(Protocol):
    name: str
    needs_formats: tuple[str, ...]
    """Formats it renders from besides the configured ones (mail: HTML); usually none."""

    def publish(self, edition: Edition) -> list[Publication]: ...


class PublishContext(BaseModel):
    """What a publisher's factory may know of the run besides its own `[[publish]]` section."""

    model_config = ConfigDict(frozen=True)

    output: Path
    """The files publisher's folder (the record of what was written)."""
    formats: tuple[str, ...]
    """The configured formats, as the files publisher writes them."""
    language: str = "zh"
    """The report's language (the archive site's pages are written in it)."""
    archive: bool = False
    """Whether the archive site is written beside the reports (the git publisher commits it too)."""
