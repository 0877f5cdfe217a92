"""What an extractor sees of one commit: each file's diff, role, language and contents."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from repodigest.facts.models import FileRole
from repodigest.facts.surface.model import ProjectView
from repodigest.source.blobs import BlobReader
from repodigest.source.hunks import DiffLine, changed_lines
from repodigest.source.models import Commit, FileDiff

MAX_PARSE_BYTES = 1_000_000
"""Files larger than this are not read for parsing; their facts stay file-level."""


@dataclass
class FileContext:
    diff: FileDiff
    role: FileRole
    language: str | None
    blobs: BlobReader | None = field(default=None, repr=False)
    max_bytes: int = MAX_PARSE_BYTES
    parsed: bool = False
    """Set by an extractor that parsed this file."""
    note: str | None = None
    """Set by an extractor that could not parse it: why (too large, minified, syntax errors)."""
    public_surface: bool | None = None
    """Set by the symbol extractor: whether this file's definitions are public API."""
    surface_reason: str | None = None

    @property
    def path(self) -> str:
        return self.diff.change.path

    @property
    def old_path(self) -> str:
        return self.diff.change.old_path or self.diff.change.path

    @property
    def patch(self) -> str:
        return self.diff.patch

    @cached_property
    def lines(self) -> list[DiffLine]:
        """Added and removed lines (op '+' or '-'), in diff order."""
        return changed_lines(self.diff.patch)

    @cached_property
    def lowered_lines(self) -> list[tuple[DiffLine, str]]:
        """`lines` with their lower-case text, for rules that look for words in any case."""
        return [(line, line.text.lower()) for line in self.lines]

    @cached_property
    def new_bytes(self) -> bytes | None:
        return self._read(self.diff.change.new_blob)

    @cached_property
    def old_bytes(self) -> bytes | None:
        return self._read(self.diff.change.old_blob)

    @cached_property
    def new_text(self) -> str | None:
        return self.new_bytes.decode("utf-8", "replace") if self.new_bytes is not None else None

    @cached_property
    def old_text(self) -> str | None:
        return self.old_bytes.decode("utf-8", "replace") if self.old_bytes is not None else None

    def _read(self, blob: str | None, limit: int | None = None) -> bytes | None:
        if blob is None or self.blobs is None or self.diff.change.binary or self.diff.change.is_submodule:
            return None
        return self.blobs.read(blob, limit or self.max_bytes)

    def texts_up_to(self, limit: int) -> tuple[str | None, str | None]:
        """(old, new) text with a size limit of their own: lockfiles run to megabytes."""
        if limit <= self.max_bytes:
            return self.old_text, self.new_text
        change = self.diff.change
        old, new = self._read(change.old_blob, limit), self._read(change.new_blob, limit)
        return (
            old.decode("utf-8", "replace") if old is not None else None,
            new.decode("utf-8", "replace") if new is not None else None,
        )


@dataclass
class CommitContext:
    commit: Commit
    files: list[FileContext]
    project: ProjectView | None = None
    """The repository at this commit, for judges that read build files and package markers."""
