"""What a commit is as a whole: docs-only, tests-only, CI-only, a revert, code without tests;
and what its code change is: layout only, comments only, logging only, new guards (nil checks,
bounds, validation), hardening (redaction, input caps, panic recovery), benchmark data only."""

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
COMMENT_LINE = re.compile(r"^\s*(#|//|/\*|\*|\*/|\"\"\"|\'\'\'|<!--)")
LOG_LINE = re.compile(
    r"""\b(?:log(?:ger|ging)?|LOG|NIXL_(?:DEBUG|INFO|WARN|ERROR|TRACE|LOG)\w*|console|fmt\.Print\w*|
                           print|println|eprintln|warn|warning|debug|info|trace|tracing|slog|klog|zap|logrus)\b
                           [\w.:]*\s*(?:[(<!]|<<)|^\s*<<\s*""",
    re.VERBOSE,
)
GUARD_LINE = re.compile(
    r"\b(?:if\s*\(?\s*!?\s*\w[\w.]*\s*(?:==|!=|is|is not)\s*(?:nil|None|null|nullptr|NULL|undefined)|"
    r"if\s+not\s+\w|\.is_none\(\)|\.is_some\(\)|assert|raise\s+\w*(?:Error|Exception)|"
    r"return\s+(?:nil,\s*)?(?:fmt\.)?Errorf?|errors\.New|throw\s+new|len\(\w[\w.]*\)\s*[<>]=?)"
)
HARDENING_WORDS = re.compile(
    r"\b(?:redact\w*|sanitiz\w*|mask(?:ed|ing)? (?:secret|token|password|key)s?|"
    r"max(?:imum)?[_ ]?(?:body|request|input|payload|upload)[_ ]?(?:size|bytes|length)|"
    r"limit(?:s|ing)? (?:the )?(?:size|length|input)|recover\(\)|panic recovery|DoS|"
    r"denial of service|path traversal|injection|XSS|CSRF|SSRF|CVE-\d{4}-\d+|GHSA-[\w-]+)\b",
    re.IGNORECASE,
)
DATA_ROLES = {FileRole.CONFIG, FileRole.OTHER, FileRole.DOCS, FileRole.BINARY}


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
    yield from _code_change(context, code)


def _code_change(context: CommitContext, code: list[FileContext]) -> Iterator[ChangeKindFact]:
    """What the source change is when it is not behaviour: layout, comments or log lines."""
    if code:
        removed = [line.text for f in code for line in f.lines if line.op == "-"]
        added = [line.text for f in code for line in f.lines if line.op == "+"]
        if _squeezed(removed) == _squeezed(added):
            yield _fact("layout_only", code)
        else:
            meaningful = [t for t in removed + added if t.strip() and not COMMENT_LINE.match(t)]
            if not meaningful:
                yield _fact("comments_only", code)
            elif all(LOG_LINE.search(t) for t in meaningful):
                yield _fact("logging_only", code)
            elif sum(1 for t in added if GUARD_LINE.search(t)) * 3 >= max(1, len([t for t in added if t.strip()])):
                yield _fact("guards", code)
    message = context.commit.message
    touched = "\n".join(line.text for f in code for line in f.lines if line.op == "+")
    if HARDENING_WORDS.search(message) or (code and HARDENING_WORDS.search(touched) and "fix" in message.lower()):
        yield _fact("hardening", code or context.files)
    roles = {f.role for f in context.files}
    if context.commit.subject.lower().startswith("perf") and roles <= DATA_ROLES | {FileRole.TEST}:
        yield _fact("perf_data", context.files)


def _squeezed(lines: list[str]) -> str:
    """The lines' text with all layout removed: equal on both sides means a reformat."""
    return re.sub(r"[\s,()\\]+", "", "".join(lines))


def _reverted(message: str) -> str | None:
    sha = REVERT_SHA.search(message)
    if sha:
        return sha["sha"]
    subject = REVERT_SUBJECT.match(message.split("\n", 1)[0].strip())
    return subject["subject"] if subject else None


def _fact(category: str, files: list[FileContext], reverts: str | None = None) -> ChangeKindFact:
    evidence = tuple(Evidence(path=f.path) for f in files[:MAX_EVIDENCE_FILES])
    return ChangeKindFact(category=category, evidence=evidence, reverts=reverts)
