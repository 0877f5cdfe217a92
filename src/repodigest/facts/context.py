"""What an extractor sees of one commit: each file's diff, role, language and contents."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, TypeVar

from repodigest.facts.models import FileRole
from repodigest.facts.parses import ParseCache
from repodigest.facts.surface.model import ProjectView
from repodigest.source.blobs import BlobReader
from repodigest.source.hunks import DiffLine, changed_lines
from repodigest.source.models import Commit, FileDiff

T = TypeVar("T")

MAX_PARSE_BYTES = 1_000_000
"""Files larger than this are not read for parsing; their facts stay file-level."""


@dataclass
class FileContext:
    """What extractors read of one file; they never write to it (what they learn about the file
    they yield as a FileNote)."""

    diff: FileDiff
    role: FileRole
    language: str | None
    blobs: BlobReader | None = field(default=None, repr=False)
    max_bytes: int = MAX_PARSE_BYTES
    parses: ParseCache | None = field(default=None, repr=False)
    """Parses of blobs already made (by this commit or an earlier one), shared by the engine."""
    _reads: dict[str, tuple[int, bytes | None]] = field(default_factory=dict, repr=False)
    """Blob id → (the limit it was read with, its bytes): several extractors ask for one file."""
    _decoded: dict[str, str] = field(default_factory=dict, repr=False)

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

    @property
    def new_bytes(self) -> bytes | None:
        return self._read(self.diff.change.new_blob)

    @property
    def old_bytes(self) -> bytes | None:
        return self._read(self.diff.change.old_blob)

    @property
    def new_text(self) -> str | None:
        return self._text(self.diff.change.new_blob, self.max_bytes)

    @property
    def old_text(self) -> str | None:
        return self._text(self.diff.change.old_blob, self.max_bytes)

    def _read(self, blob: str | None, limit: int | None = None) -> bytes | None:
        """The blob's bytes if at most `limit`; each blob is sent by git once per commit, whatever
        limits the extractors ask with (OpenAPI and CRDs each read every YAML file whole)."""
        if blob is None or self.blobs is None or self.diff.change.binary or self.diff.change.is_submodule:
            return None
        limit = limit or self.max_bytes
        known = self._reads.get(blob)
        if known is not None:
            known_limit, content = known
            if content is not None:  # the whole blob: it serves any limit
                return content if len(content) <= limit else None
            if known_limit >= limit:  # missing, or larger than an even larger limit
                return None
        content = self.blobs.read(blob, limit)
        self._reads[blob] = (limit, content)
        return content

    def _text(self, blob: str | None, limit: int) -> str | None:
        content = self._read(blob, limit)
        if content is None or blob is None:
            return None
        if blob not in self._decoded:
            self._decoded[blob] = content.decode("utf-8", "replace")
        return self._decoded[blob]

    def texts_up_to(self, limit: int) -> tuple[str | None, str | None]:
        """(old, new) text with a size limit of their own: lockfiles run to megabytes."""
        return self._text(self.diff.change.old_blob, limit), self._text(self.diff.change.new_blob, limit)

    def side_says(
        self, side: Literal["old", "new"], kind: str, predicate: Callable[[str], bool], limit: int | None = None
    ) -> bool:
        """`predicate(text)` of one side, kept per version like a parse (see `parse_side`); False
        when the side has no text. For the checks that decide whether a file is worth parsing:
        mudler/LocalAI's 2.4 MB gallery/index.yaml changes in one commit of seven, and asking
        whether it is an OpenAPI document or holds a CRD read it twice per commit."""
        try:
            return self.parse_side(side, kind, predicate, limit, weight=0)
        except ValueError:
            return False

    def parse_side(
        self,
        side: Literal["old", "new"],
        kind: str,
        parse: Callable[[str], T],
        limit: int | None = None,
        weight: float = 1,
    ) -> T:
        """`parse(text)` of one side's text (ValueError when it cannot be read), made once per
        version: one commit's old version is the new version of the next commit the walk (newest
        first) meets, so old sides are kept for it, and a side parsed before is not even read.
        A `kind` is always read with the same `limit`. `weight`: see ParseCache.get_or_parse."""
        blob = self.diff.change.old_blob if side == "old" else self.diff.change.new_blob
        if blob is None:
            raise ValueError("too large to read")

        def text() -> str:
            found = self._text(blob, limit or self.max_bytes)
            if found is None:
                raise ValueError("too large to read")
            return found

        if self.parses is None:
            return parse(text())
        return self.parses.get_or_parse(kind, blob, text, parse, keep=side == "old", weight=weight)


@dataclass
class CommitContext:
    commit: Commit
    files: list[FileContext]
    project: ProjectView | None = None
    """The repository at this commit, for judges that read build files and package markers."""
