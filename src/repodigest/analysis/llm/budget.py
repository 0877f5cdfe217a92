"""Fitting a commit's diff into a token budget so that the heart of the change is shown.

Lockfiles, generated, vendored and binary files are left out. Every other hunk is ranked by what a
reviewer reads first: hunks that hold the facts (public symbols, breaking changes, configuration
defaults), headers and signatures, build files that gate features, entry points and the head of new
source files come before deleted comments, tests and docs. The best hunks are taken while they
fit; a hunk that does not fit is cut with a marker rather than dropped whole. The excerpt is then
written in file order, each file's hunks in their own order, and every file not shown is named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from repodigest.analysis.llm.tokens import count
from repodigest.facts.models import CommitFacts, FileRole
from repodigest.source.hunks import range_of, split_hunks
from repodigest.source.models import FileDiff

SKIPPED_ROLES = {FileRole.LOCKFILE, FileRole.GENERATED, FileRole.VENDORED, FileRole.BINARY}
ROLE_WEIGHT = {
    FileRole.SOURCE: 3.0,
    FileRole.BUILD: 3.0,
    FileRole.DEPENDENCY_MANIFEST: 2.5,
    FileRole.CONFIG: 2.5,
    FileRole.DEPLOY: 2.0,
    FileRole.CI: 1.0,
    FileRole.OTHER: 1.0,
    FileRole.TEST: 0.6,
    FileRole.DOCS: 0.4,
}
HEADER_SUFFIXES = {".h", ".hh", ".hpp", ".hxx", ".cuh", ".pyi", ".proto"}
ENTRY_POINTS = re.compile(r"(?:^|/)(?:main|__main__|__init__|cli|app|server|index|lib|mod)\.[a-z]+$|(?:^|/)cmd/")
SIGNATURE = re.compile(
    r"^[-+]\s*(?:export\s+|public\s+|pub(?:\([a-z]+\))?\s+|async\s+|static\s+|virtual\s+|inline\s+)*"
    r"(?:def|class|func|fn|struct|enum|interface|trait|type|impl|template|namespace|module|"
    r"function|const|let|var|typedef|using)\b|^[-+][A-Za-z_][\w:<>,*& ]*\s[\w:~]+\s*\("
)
C_COMMENT = re.compile(r"^[-+]\s*(?://|/\*|\*|<!--)|^[-+]\s*$")
HASH_COMMENT = re.compile(r"^[-+]\s*(?:#(?!include|define|if|endif|else|pragma|undef)|\"\"\"|'''|<!--)|^[-+]\s*$")
C_FAMILY = {
    ".c",
    ".h",
    ".cc",
    ".cpp",
    ".cxx",
    ".hh",
    ".hpp",
    ".hxx",
    ".cu",
    ".cuh",
    ".go",
    ".rs",
    ".java",
    ".kt",
    ".js",
    ".jsx",
    ".ts",
    ".tsx",
    ".cs",
    ".swift",
    ".scala",
    ".proto",
}
FEATURE_GATE = re.compile(
    r"add_project_arguments|add_compile_definitions|add_definitions|option\s*\(|features\s*=|"
    r"\bcfg\(|-D[A-Z][A-Z0-9_]+|\.found\(\)|has_function|find_package|\[features\]"
)
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
PUBLIC_PATH = re.compile(r"(?:^|/)(?:include|api|public|pkg)/")
MIN_CUT_TOKENS = 60
"""A cut hunk shows at least this much, or it is not shown at all."""
SHARE = 8
"""In the second pass no hunk gets more than 1/SHARE of the budget."""
BREADTH = 12
"""In the first pass the best hunk of each file gets 1/min(files, BREADTH) of the budget."""
CUT_MARKER = "    … ({lines} more lines of this hunk not shown)\n"


@dataclass
class DiffExcerpt:
    text: str
    seen: list[str] = field(default_factory=list)
    """Files shown whole."""
    partial: list[str] = field(default_factory=list)
    """Files shown in part (some hunks, or part of one, did not fit)."""
    omitted: list[str] = field(default_factory=list)
    """Files not shown: skipped by kind, or out of budget."""
    tokens: int = 0
    changed_lines: int = 0
    """Changed lines (+/-) of the files considered (not skipped by kind)."""
    shown_lines: int = 0
    """Of those, the changed lines shown to the model."""


@dataclass
class _Hunk:
    file: int
    index: int
    text: str
    score: float
    tokens: int
    kept: str = ""


def fit_diff(diffs: tuple[FileDiff, ...], facts: CommitFacts, budget: int) -> DiffExcerpt:
    roles = {f.path: f.role for f in facts.files}
    shown = [d for d in diffs if roles.get(d.change.path, FileRole.OTHER) not in SKIPPED_ROLES and d.patch]
    excerpt = DiffExcerpt(text="", omitted=[d.change.path for d in diffs if d not in shown])
    headers = [_header(diff) for diff in shown]
    hunks = [hunk for number, diff in enumerate(shown) for hunk in _ranked_hunks(number, diff, roles, facts)]
    ranked = sorted(hunks, key=lambda h: (-h.score, h.file, h.index))
    # Breadth first: the best hunk of each file, files in the order of their best hunk, each held
    # to a small share, so that one huge hunk (a deleted file, say) cannot crowd out the header
    # or the build file; then every hunk in rank order with a larger share; then what is left
    # goes to the hunks that were cut, best first.
    best = list({h.file: h for h in reversed(ranked)}.values())
    best.sort(key=lambda h: (-h.score, h.file))
    used = _take(best, headers, budget, cap=max(2 * MIN_CUT_TOKENS, budget // min(max(len(best), 1), BREADTH)))
    used = _take(ranked, headers, budget, cap=max(2 * MIN_CUT_TOKENS, budget // SHARE), used=used)
    _take([h for h in ranked if h.kept != h.text], headers, budget, cap=None, used=used)
    parts: list[str] = []
    for number, diff in enumerate(shown):
        own = sorted((h for h in hunks if h.file == number), key=lambda h: h.index)
        kept = [h.kept for h in own if h.kept]
        excerpt.changed_lines += _changed(diff.patch)
        if not kept:
            excerpt.omitted.append(diff.change.path)
            continue
        parts.append(headers[number] + "".join(kept))
        excerpt.shown_lines += sum(_changed(h.kept) for h in own if h.kept)
        whole = all(h.kept == h.text for h in own)
        (excerpt.seen if whole else excerpt.partial).append(diff.change.path)
    excerpt.text = "".join(parts)
    excerpt.tokens = sum(count(h) for h in parts)
    return excerpt


def _take(hunks: list[_Hunk], headers: list[str], budget: int, cap: int | None, used: int | None = None) -> int:
    """Give each hunk, in order, as much of itself as fits (at most `cap` tokens); the tokens used."""
    opened = {h.file for h in hunks if h.kept} if used is not None else set()
    used = used or 0
    for hunk in hunks:
        header_cost = 0 if hunk.file in opened else count(headers[hunk.file])
        held = count(hunk.kept) if hunk.kept else 0
        room = budget - used - header_cost + held
        if cap is not None:
            room = min(room, cap)
        if hunk.tokens <= room:
            kept = hunk.text
        elif room >= MIN_CUT_TOKENS and room > held:
            kept = _cut(hunk.text, room) or hunk.kept
        else:
            kept = hunk.kept
        if kept and kept != hunk.kept:
            used += count(kept) - held + header_cost
            hunk.kept = kept
            opened.add(hunk.file)
    return used


def _ranked_hunks(number: int, diff: FileDiff, roles: dict, facts: CommitFacts) -> list[_Hunk]:
    path = diff.change.path
    weight = ROLE_WEIGHT.get(roles.get(path, FileRole.OTHER), 1.0)
    if PurePosixPath(path).suffix in HEADER_SUFFIXES:
        weight += 1.5
    if ENTRY_POINTS.search(path):
        weight += 0.5
    if PUBLIC_PATH.search(path):
        weight += 2.0  # where a project keeps its public interface
    if diff.change.status.value == "deleted":
        weight -= 2.0  # a deleted file's head says what went; the facts name the rest
    evidence = [
        (e.side.value, e.line, e.excerpt, getattr(fact, "breaking", False) or getattr(fact, "public", False))
        for fact in facts.facts
        for e in fact.evidence
        if e.path == path
    ]
    comment = C_COMMENT if PurePosixPath(path).suffix in C_FAMILY else HASH_COMMENT
    build = roles.get(path) in (FileRole.BUILD, FileRole.DEPENDENCY_MANIFEST, FileRole.CONFIG)
    names = _important_names(facts)
    hunks = []
    for index, text in enumerate(split_hunks(diff.patch)):
        score = weight + _content_score(text, comment, build, names) + _evidence_score(text, evidence)
        if diff.change.status.value == "added" and index == 0:
            score += 1.0  # the head of a new file says what it is
        hunks.append(_Hunk(file=number, index=index, text=text, score=score, tokens=count(text)))
    return hunks


def _content_score(hunk: str, comment: re.Pattern, build: bool, names: set[str]) -> float:
    """Signatures, declarations of the facts' public symbols and feature gates raise a hunk; a
    hunk that is mostly comments or blank lines sinks."""
    changed = [line for line in hunk.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    if not changed:
        return 0.0
    comments = sum(1 for line in changed if comment.match(line))
    signatures = sum(1 for line in changed if SIGNATURE.match(line))
    declared = sum(1 for line in changed if not comment.match(line) and set(IDENTIFIER.findall(line)) & names)
    score = min(2.0, 0.5 * signatures) + min(3.0, 0.75 * declared)
    if build:
        score += min(3.0, sum(1.5 for line in changed if FEATURE_GATE.search(line)))
    score -= 2.5 * max(0.0, comments / len(changed) - 0.3) / 0.7
    if all(line.startswith("-") for line in changed):
        score -= 0.5  # removals matter, but what a change adds usually says more
    return score


def _important_names(facts: CommitFacts) -> set[str]:
    """The short names of the public or breaking symbols the facts found, wherever they were found:
    a header that declares them is where a reader looks first."""
    names = set()
    for fact in facts.facts:
        symbol = getattr(fact, "symbol", None)
        if symbol and (getattr(fact, "public", False) or getattr(fact, "breaking", False)):
            names.add(re.split(r"::|\.", symbol)[-1])
    return {name for name in names if len(name) > 3}


def _evidence_score(hunk: str, evidence: list[tuple]) -> float:
    """A hunk that holds a fact's evidence (by line range, or by the excerpt) is what the facts
    say matters: more so for a public or breaking one."""
    ranges = range_of(hunk.split("\n", 1)[0])
    score = 0.0
    for side, line, text, important in evidence:
        inside = ranges is not None and line is not None and ranges.holds(side, line)
        if inside or (text and text in hunk):
            score += 1.0 if important else 0.5
    return min(score, 3.0)


def _cut(hunk: str, room: int) -> str:
    """The hunk's first lines that fit in `room` tokens, and a marker saying how many follow."""
    lines = hunk.splitlines(keepends=True)
    kept, used = [], count(CUT_MARKER.format(lines=len(lines)))
    for line in lines:
        cost = count(line)
        if used + cost > room:
            break
        kept.append(line)
        used += cost
    if len(kept) < 2:  # the @@ line alone says nothing
        return ""
    return "".join(kept) + CUT_MARKER.format(lines=len(lines) - len(kept))


def _changed(text: str) -> int:
    return sum(1 for line in text.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---")))


def _header(diff: FileDiff) -> str:
    change = diff.change
    moved = f" (from {change.old_path})" if change.old_path else ""
    return f"--- {change.path}{moved} [{change.status.value}, +{change.added}/-{change.removed}]\n"
