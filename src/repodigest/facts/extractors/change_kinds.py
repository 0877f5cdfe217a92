"""What a commit is as a whole: docs-only, tests-only, CI-only, a revert, code without tests."""

from __future__ import annotations

import re
from collections.abc import Iterator

from repodigest.facts.context import CommitContext, FileContext
from repodigest.facts.models import ChangeKindFact, Evidence, FileRole

ONLY_CATEGORIES = {
    "docs_only": {FileRole.DOCS},
    "tests_only": {FileRole.TEST},
    "ci_only": {FileRole.CI},
    "build_only": {FileRole.BUILD},
    "dependencies_only": {FileRole.DEPENDENCY_MANIFEST, FileRole.LOCKFILE},
}
ANY_CATEGORIES = {
    "generated": FileRole.GENERATED,
    "vendored": FileRole.VENDORED,
    "lockfile": FileRole.LOCKFILE,
    "binary": FileRole.BINARY,
}
REVERT_SUBJECT = re.compile(r'^Revert\s+"(?P<subject>.+)"\s*$')
REVERT_SHA = re.compile(r"This reverts commit (?P<sha>[0-9a-f]{7,40})")
MAX_EVIDENCE_FILES = 20


def extract(context: CommitContext) -> Iterator[ChangeKindFact]:
    files = context.files
    if not files:
        return
    roles = {f.role for f in files}
    for category, allowed in ONLY_CATEGORIES.items():
        if roles <= allowed:
            yield _fact(category, files)
    for category, role in ANY_CATEGORIES.items():
        matching = [f for f in files if f.role == role]
        if matching and not (category == "lockfile" and roles <= {FileRole.LOCKFILE}):
            yield _fact(category, matching)
    code = [f for f in files if f.role == FileRole.SOURCE and (f.diff.change.added or f.diff.change.removed)]
    if code and FileRole.TEST not in roles:
        yield _fact("code_without_tests", code)
    revert = _reverted(context.commit.message)
    if revert:
        yield _fact("revert", files, reverts=revert)


def _reverted(message: str) -> str | None:
    sha = REVERT_SHA.search(message)
    if sha:
        return sha["sha"]
    subject = REVERT_SUBJECT.match(message.split("\n", 1)[0].strip())
    return subject["subject"] if subject else None


def _fact(category: str, files: list[FileContext], reverts: str | None = None) -> ChangeKindFact:
    evidence = tuple(Evidence(path=f.path) for f in files[:MAX_EVIDENCE_FILES])
    return ChangeKindFact(category=category, evidence=evidence, reverts=reverts)
