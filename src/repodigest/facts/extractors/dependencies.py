"""Dependencies added, removed, upgraded or downgraded, with old → new versions, from manifests
(direct) and lockfiles (transitive), plus git submodule pointer moves."""

from __future__ import annotations

import json
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterator, Sequence

import yaml
from packaging.version import InvalidVersion, Version

from repodigest.facts.context import CommitContext, FileContext
from repodigest.facts.deps import Format, Pin, format_of
from repodigest.facts.excerpts import excerpt
from repodigest.facts.models import Change, DependencyFact, Evidence, FileNote, FileNoteReason, Side
from repodigest.source.models import FileStatus

PARSE_ERRORS = (
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    json.JSONDecodeError,
    tomllib.TOMLDecodeError,
    yaml.YAMLError,
)
TOKEN = re.compile(r"[A-Za-z0-9_.-]+")
NUMBERS = re.compile(r"\d+")
MAX_MANIFEST_BYTES = 32_000_000


def extract(context: CommitContext) -> Iterator[DependencyFact | FileNote]:
    for file in context.files:
        if file.diff.change.is_submodule:
            fact = _submodule(file)
            if fact:
                yield fact
            continue
        fmt = format_of(file.path) or format_of(file.old_path)
        if fmt is not None and not file.diff.change.binary:
            yield from _manifest_facts(file, fmt)


def _manifest_facts(file: FileContext, fmt: Format) -> Sequence[DependencyFact | FileNote]:
    old_text, new_text = file.texts_up_to(MAX_MANIFEST_BYTES)
    change = file.diff.change
    if (change.old_blob and old_text is None) or (change.new_blob and new_text is None):
        return [FileNote(path=file.path, note="too large to read", reason=FileNoteReason.TOO_LARGE)]
    try:
        old_pins = fmt.read(old_text) if old_text is not None else []
        new_pins = fmt.read(new_text) if new_text is not None else []
        old, new = _versions(old_pins), _versions(new_pins)
    except PARSE_ERRORS:
        return [
            FileNote(
                path=file.path,
                note="could not be read as a dependency manifest",
                reason=FileNoteReason.UNREADABLE_MANIFEST,
            )
        ]
    if change.status == FileStatus.ADDED and not fmt.direct:
        return []  # a new lockfile lists everything once; the manifest beside it says what was added
    locate = _Locator(file)
    runtime = {pin.name for pin in old_pins + new_pins if pin.runtime}
    facts = []
    for name in sorted(new.keys() | old.keys()):
        (before, was_direct), (after, is_direct) = old.get(name, ((), False)), new.get(name, ((), False))
        gone, came = [v for v in before if v not in after], [v for v in after if v not in before]
        if not gone and not came:
            continue
        kind = _change(before, after, gone, came)
        old_version = ", ".join(v or "" for v in gone or before) or None
        new_version = ", ".join(v or "" for v in came or after) or None
        side = Side.OLD if kind == Change.REMOVED else Side.NEW
        facts.append(
            DependencyFact(
                ecosystem=fmt.ecosystem,
                name=name,
                change=kind,
                old_version=old_version if before else None,
                new_version=new_version if after else None,
                manifest=file.path if after else file.old_path,
                direct=fmt.direct and (is_direct or was_direct),
                runtime=name in runtime,
                evidence=(locate(name, new_version if side == Side.NEW else old_version, side),),
            )
        )
    return facts


def _versions(pins: list[Pin]) -> dict[str, tuple[tuple[str | None, ...], bool]]:
    """name → (its distinct versions in file order, whether any entry is direct)."""
    grouped: dict[str, tuple[list, bool]] = {}
    for pin in pins:
        versions, direct = grouped.get(pin.name, ([], False))
        if pin.version not in versions:
            versions.append(pin.version)
        grouped[pin.name] = (versions, direct or pin.direct)
    return {name: (tuple(versions), direct) for name, (versions, direct) in grouped.items()}


def _change(before, after, gone, came) -> Change:
    if not before:
        return Change.ADDED
    if not after:
        return Change.REMOVED
    if len(gone) == 1 and len(came) == 1:
        order = compare_versions(gone[0], came[0])
        return {1: Change.UPGRADED, -1: Change.DOWNGRADED}.get(order, Change.CHANGED)
    return Change.CHANGED


def compare_versions(old: str | None, new: str | None) -> int:
    """1 when `new` is higher, -1 when lower, 0 when they cannot be ordered."""
    if not old or not new:
        return 0
    a, b = old.lstrip("v=^~ "), new.lstrip("v=^~ ")
    try:
        first, second = Version(a), Version(b)
    except InvalidVersion:
        # Not PEP 440 (a Go pseudo-version, a date tag): order by the numbers in it.
        numbers_a, numbers_b = tuple(map(int, NUMBERS.findall(a))), tuple(map(int, NUMBERS.findall(b)))
        if not numbers_a or not numbers_b:
            return 0
        return (numbers_b > numbers_a) - (numbers_b < numbers_a)
    return (second > first) - (second < first)


class _Locator:
    """Finds the changed line that names a package, through an index of the lines' words."""

    def __init__(self, file: FileContext) -> None:
        self.file = file
        self.index: dict[tuple[str, str], list] = defaultdict(list)
        for line in file.lines:
            if line.op != " ":
                for token in set(TOKEN.findall(line.text)):
                    self.index[(line.op, token)].append(line)

    def __call__(self, name: str, version, side: Side) -> Evidence:
        op = "+" if side == Side.NEW else "-"
        leaf = TOKEN.findall(name.rsplit("/", 1)[-1]) or [name]
        candidates = [line for line in self.index.get((op, leaf[-1]), []) if name in line.text]
        if version:
            candidates.sort(key=lambda line: str(version) not in line.text)
        path = self.file.path if side == Side.NEW else self.file.old_path
        if not candidates:
            return Evidence(path=path, side=side)
        line = candidates[0]
        return Evidence(
            path=path, side=side, line=line.new_line if side == Side.NEW else line.old_line, excerpt=excerpt(line.text)
        )


def _submodule(file: FileContext) -> DependencyFact | None:
    change = file.diff.change
    before, after = change.old_blob, change.new_blob
    if before == after:
        return None
    kind = Change.ADDED if before is None else Change.REMOVED if after is None else Change.CHANGED
    side = Side.OLD if kind == Change.REMOVED else Side.NEW
    line = next((row for row in file.lines if row.op == ("-" if side == Side.OLD else "+")), None)
    # A gitlink is a pointer, not a file: the evidence is the path, with git's "Subproject commit" line.
    evidence = Evidence(path=file.path, side=side, excerpt=excerpt(line.text) if line else None)
    return DependencyFact(
        ecosystem="git-submodule",
        name=file.path,
        change=kind,
        old_version=before[:12] if before else None,
        new_version=after[:12] if after else None,
        manifest=file.path,
        direct=True,
        evidence=(evidence,),
    )
