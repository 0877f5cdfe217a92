"""The publisher interface and what flows into it."""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel, ConfigDict

from repodigest.report.models import Report


class RenderedDocument(BaseModel):
    """One rendered file: for one repository (`repository` is its key) or the whole day (None)."""

    model_config = ConfigDict(frozen=True)

    repository: str | None
    format: str
    content: str


class Edition(BaseModel):
    """Everything one day produced: the report model and its rendered documents."""

    model_config = ConfigDict(frozen=True)

    report: Report
    documents: tuple[RenderedDocument, ...]

    def document(self, format: str, repository: str | None = None) -> RenderedDocument | None:
        for document in self.documents:
            if document.format == format and document.repository == repository:
                return document
        return None

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
    """pending (started; unknown whether it finished) or done."""
    remote_id: str | None = None
    location: str | None = None
    content_hash: str | None = None


class Ledger(Protocol):
    """Where publishers remember what they published, so a re-run updates instead of adding."""

    def entry(self, target: str, key: str) -> LedgerEntry | None: ...

    def entries(self, target: str) -> list[LedgerEntry]: ...

    def begin(self, target: str, key: str) -> None: ...

    def complete(self, target: str, key: str, remote_id: str | None, location: str | None,
                 content_hash: str) -> None: ...


class MemoryLedger:
    """A ledger for one process (tests, and runs without a state database)."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], LedgerEntry] = {}

    def entry(self, target: str, key: str) -> LedgerEntry | None:
        return self._entries.get((target, key))

    def entries(self, target: str) -> list[LedgerEntry]:
        return [e for (t, _), e in self._entries.items() if t == target]

    def begin(self, target: str, key: str) -> None:
        self._entries.setdefault((target, key), LedgerEntry(target=target, key=key, status="pending"))

    def complete(self, target: str, key: str, remote_id: str | None, location: str | None, content_hash: str) -> None:
        self._entries[(target, key)] = LedgerEntry(target=target, key=key, status="done", remote_id=remote_id,
                                                   location=location, content_hash=content_hash)


class Publisher(Protocol):
    name: str

    def publish(self, edition: Edition) -> list[Publication]:
        ...
