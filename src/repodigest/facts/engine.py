"""Running every registered extractor over one commit and keeping only grounded facts."""

from __future__ import annotations

import logging
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime

from repodigest.facts.context import MAX_PARSE_BYTES, CommitContext, FileContext
from repodigest.facts.extractors import EXTRACTORS, Extractor
from repodigest.facts.languages import header_language, language_of
from repodigest.facts.models import CommitFacts, ExtractorFailure, Fact, FileFacts, FileNote, FileRole
from repodigest.facts.parses import ParseCache
from repodigest.facts.redaction import redact_fact
from repodigest.facts.roles import RoleRules
from repodigest.facts.surface.model import ProjectView
from repodigest.source.blobs import BlobReader
from repodigest.source.models import CommitChange, FileDiff, FileStatus, Tag

MAX_RELEASED_FILE = 32_000_000

log = logging.getLogger(__name__)


class FactsEngine:
    def __init__(
        self,
        roles: RoleRules | None = None,
        blobs: BlobReader | None = None,
        extractors: Mapping[str, Callable[[], Extractor]] | None = None,
        max_parse_bytes: int = MAX_PARSE_BYTES,
        first_release: datetime | None = None,
        releases: Sequence[Tag] = (),
        parses: ParseCache | None = None,
    ) -> None:
        self.releases = sorted(releases, key=lambda r: r.tagged_at)
        """The project's tags, oldest first: a break of what the last release lacked breaks no user."""
        self.first_release = first_release or (self.releases[0].tagged_at if self.releases else None)
        """Commits older than the project's first tag break no released user."""
        self._released_tag: str | None = None
        self._released_files: dict[str, str | None] = {}
        """The files read at `_released_tag`, by path. One tag's only: the walk runs newest first,
        so once its commits are older than a release it never asks for a newer one again, and
        keeping every tag's files made memory grow with the range."""
        self.roles = roles or RoleRules.default()
        self.blobs = blobs
        self.extractors = {name: make() for name, make in (EXTRACTORS if extractors is None else extractors).items()}
        self.max_parse_bytes = max_parse_bytes
        self.parses = parses if parses is not None else ParseCache()

    def extract(self, change: CommitChange) -> CommitFacts:
        """The commit's facts; a bug outside the extractors' own guard costs this commit its facts
        (said in its section, the summary and the exit code), never the run."""
        try:
            return self._extract(change)
        except Exception as error:
            log.error(
                "facts of %s could not be extracted: %s",
                change.commit.short_sha,
                error,
                exc_info=log.isEnabledFor(logging.DEBUG),
            )
            return CommitFacts(
                sha=change.commit.sha, failures=(ExtractorFailure(extractor="engine", error=type(error).__name__),)
            )

    def _extract(self, change: CommitChange) -> CommitFacts:
        context = CommitContext(
            commit=change.commit,
            files=[self._file_context(diff) for diff in change.diffs],
            project=ProjectView(change.commit.sha, self.blobs),
        )
        facts: list[Fact] = []
        notes: list[FileNote] = []
        failures: list[ExtractorFailure] = []
        for name, extractor in self.extractors.items():
            try:
                # One item at a time: what an extractor yielded before it failed stands.
                for found in extractor(context):
                    if isinstance(found, FileNote):
                        notes.append(found)
                    else:
                        facts.append(found)
            except Exception as error:  # one extractor's bug must not lose the commit's other facts
                log.warning("extractor %s failed on %s: %s", name, change.commit.short_sha, error)
                failures.append(ExtractorFailure(extractor=name, error=type(error).__name__))
        grounded = [redact_fact(fact) for fact in facts if is_grounded(fact, change)]
        if self.first_release is not None and change.commit.committed_at < self.first_release:
            grounded = [unreleased(fact) for fact in grounded]
        elif self.releases and self.blobs is not None:
            grounded = [self._judge_release(fact, change.commit.committed_at) for fact in grounded]
        return CommitFacts(
            sha=change.commit.sha,
            files=tuple(_file_facts(context.files, notes)),
            facts=tuple(_dedupe(grounded)),
            failures=tuple(failures),
        )

    def _file_context(self, diff: FileDiff) -> FileContext:
        file = FileContext(
            diff=diff,
            role=self.roles.role_of(diff.change.path, diff.change.binary),
            language=language_of(diff.change.path),
            blobs=self.blobs,
            max_bytes=self.max_parse_bytes,
            parses=self.parses,
        )
        if file.role != FileRole.SOURCE:  # only source headers are parsed; reading others is waste
            return file

        def content() -> bytes | None:
            return file.old_bytes if diff.change.status == FileStatus.DELETED else file.new_bytes

        try:
            file.language = header_language(file.path, file.language, content)
        except Exception as error:  # an unreadable header stays C, as its name says; its parse will fail
            log.warning("could not read %s to tell C from C++: %s", file.path, error)
        return file

    def _judge_release(self, fact: Fact, when: datetime) -> Fact:
        """A sure break of an element the latest release before the commit did not have (its
        file then lacks the element's name) reaches no released user: only a possible one."""
        name = fact.released_name if fact.breaks_callers else None
        if not name:
            return fact
        index = bisect_left([r.tagged_at for r in self.releases], when) - 1
        if index < 0:
            return fact
        tag = f"refs/tags/{self.releases[index].name}"  # a revision for `<tag>:<path>`, never a branch
        path = next((e.path for e in fact.evidence if e.side.value == "old"), fact.evidence[0].path)
        if tag != self._released_tag:
            self._released_tag, self._released_files = tag, {}
        if path not in self._released_files:
            content = self.blobs.read(f"{tag}:{path}", MAX_RELEASED_FILE) if self.blobs else None
            self._released_files[path] = content.decode("utf-8", "replace") if content is not None else None
        text = self._released_files[path]
        if text is not None and re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
            return _says(fact, released_in=self.releases[index].name)
        return unreleased(fact)


def unreleased(fact: Fact) -> Fact:
    """Before the first release nobody depends on the surface: a break is only a possible one."""
    if getattr(fact, "breaking", False) and getattr(fact, "confidence", None) == "high":
        return _says(fact.model_copy(update={"confidence": "low"}), unreleased=True)
    return fact


def _says(fact: Fact, **why: object) -> Fact:
    """Record why a break was judged so, on the kinds whose model has room for it (wire facts)."""
    known = {key: value for key, value in why.items() if key in type(fact).model_fields}
    return fact.model_copy(update=known) if known else fact


def _file_facts(files: Sequence[FileContext], notes: Sequence[FileNote]) -> Iterator[FileFacts]:
    """Each file's classification with its extractors' notes folded in, in the order they came."""
    by_path: dict[str, dict[str, object]] = {}
    for note in notes:
        found = by_path.setdefault(note.path, {})
        parsed = bool(found.get("parsed")) or note.parsed
        found.update({key: getattr(note, key) for key in note.model_fields_set - {"path"}}, parsed=parsed)
    for file in files:
        yield FileFacts(path=file.path, role=file.role, language=file.language).model_copy(
            update=by_path.get(file.path, {})
        )


def is_grounded(fact: Fact, change: CommitChange) -> bool:
    """True when every piece of evidence names a path this commit touched."""
    paths = {d.change.path for d in change.diffs} | {d.change.old_path for d in change.diffs if d.change.old_path}
    return all(evidence.path in paths for evidence in fact.evidence)


def _dedupe(facts: list[Fact]) -> list[Fact]:
    seen: set[str] = set()
    unique = []
    for fact in facts:
        key = fact.model_dump_json()
        if key not in seen:
            seen.add(key)
            unique.append(fact)
    return unique
