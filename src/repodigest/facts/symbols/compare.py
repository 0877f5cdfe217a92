"""From two outlines of a file to symbol facts: added, removed, renamed, re-signatured, changed."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from repodigest.facts.excerpts import excerpt
from repodigest.facts.models import Change, Confidence, Evidence, Side, SymbolFact
from repodigest.facts.symbols.outline import Definition, name_parts
from repodigest.facts.symbols.shape import aliases_in, call_shape, parameter_count, resolve

TYPE_KINDS = {"class", "struct", "enum", "trait", "interface", "type", "module", "union"}
REEXPORT = "reexport"
MAX_FACTS_PER_FILE = 60
"""Beyond this a file's symbol facts are summarised by the extractor's note, not listed."""


@dataclass
class FileVersion:
    definitions: list[Definition]
    source: bytes
    changed: dict[int, str]
    """Changed line number → its text (removed lines for old, added lines for new)."""
    path: str

    def __post_init__(self) -> None:
        self._lines = sorted(self.changed)

    def touches(self, definition: Definition) -> bool:
        """Does a changed line fall inside `definition`?"""
        index = bisect_left(self._lines, definition.start_line)
        return index < len(self._lines) and self._lines[index] <= definition.end_line

    def touches_own_lines(self, definition: Definition) -> bool:
        """Does a changed line fall inside `definition` but outside the definitions nested in
        it? A class whose only change is inside one method has not changed itself."""
        start = bisect_left(self._lines, definition.start_line)
        inner = [
            d
            for d in self.definitions
            if d is not definition and definition.start_line <= d.start_line and d.end_line <= definition.end_line
        ]
        for line in self._lines[start:]:
            if line > definition.end_line:
                return False
            if self.changed[line].strip() and not any(d.start_line <= line <= d.end_line for d in inner):
                return True
        return False


def compare(language: str, old: FileVersion | None, new: FileVersion | None) -> list[SymbolFact]:
    olds = _by_name(old.definitions if old else [])
    news = _by_name(new.definitions if new else [])
    whole_file = old is None or new is None
    facts: list[SymbolFact] = []
    removed = [d for name, ds in olds.items() for d in ds[len(news.get(name, [])) :]]
    added = [d for name, ds in news.items() for d in ds[len(olds.get(name, [])) :]]
    renamed = _renames(removed, added, old, new) if old and new else []
    for before, after in renamed:
        assert new is not None  # renames pair an old definition with a new one
        removed.remove(before)
        added.remove(after)
        facts.append(
            _fact(
                language,
                after,
                Change.RENAMED,
                new,
                old_symbol=before.qualname,
                old_signature=before.signature,
                new_signature=after.signature,
                breaking=before.public,
            )
        )
    for definition in removed:
        assert old is not None  # removed definitions come from the old version
        if whole_file and not definition.public:
            continue
        facts.append(
            _fact(
                language,
                definition,
                Change.REMOVED,
                old,
                public=definition.public,
                old_signature=definition.signature,
                breaking=definition.public,
                confidence="low" if special_member(definition.qualname) or definition.type_only else "high",
            )
        )
    for definition in added:
        assert new is not None  # added definitions come from the new version
        if whole_file and not definition.public:
            continue
        facts.append(_fact(language, definition, Change.ADDED, new, new_signature=definition.signature))
    if old and new:
        facts.extend(_changed(language, olds, news, old, new))
    return facts[:MAX_FACTS_PER_FILE]


def _changed(language: str, olds, news, old: FileVersion, new: FileVersion) -> Iterator[SymbolFact]:
    aliases: dict[str, str] | None = None
    for name, after_list in news.items():
        for before, after in zip(olds.get(name, []), after_list, strict=False):
            if not (old.touches(before) or new.touches(after)):
                continue
            if REEXPORT in (before.kind, after.kind) and before.kind != after.kind:
                continue  # defined here ↔ re-exported from elsewhere: the public name is unchanged
            lost_visibility = before.public and not after.public
            if before.signature != after.signature or lost_visibility:
                if aliases is None:
                    aliases = aliases_in((old.source, new.source))
                if not lost_visibility and same_shape(language, before, after, aliases):
                    if after.body_start >= 0 and before.body_words(old.source) != after.body_words(new.source):
                        yield _fact(language, after, Change.BODY_CHANGED, new)
                    continue  # only layout, parameter names or aliases changed: callers cannot tell
                breaking, confidence = breaks_callers(language, before, after, lost_visibility)
                yield _fact(
                    language,
                    after,
                    Change.SIGNATURE_CHANGED,
                    new,
                    public=before.public or after.public,
                    old_signature=before.signature,
                    new_signature=after.signature,
                    breaking=breaking,
                    confidence=confidence,
                )
            elif (old.touches_own_lines(before) or new.touches_own_lines(after)) and before.body_words(
                old.source
            ) != after.body_words(new.source):
                yield _fact(language, after, Change.BODY_CHANGED, new)


COMMAND_DECORATORS = re.compile(r"@\s*[\w.]*(?:command|group|option|argument|callback)\b|@\s*click\.")


def command_function(definition: Definition) -> bool:
    """A CLI command's function (click, typer): its parameters are the command's flags, read
    by the framework, not a signature anyone calls; flag changes are judged as flags."""
    parent = definition.node.parent
    if parent is None or parent.type != "decorated_definition":
        return False
    decorators = definition.source[parent.start_byte : definition.node.start_byte].decode("utf-8", "replace")
    return COMMAND_DECORATORS.search(decorators) is not None


def special_member(qualname: str) -> bool:
    """Constructors and destructors: removing a declared one rarely breaks callers (the
    compiler supplies defaults), so their removal is only a possible break."""
    parts = name_parts(qualname)
    return parts[-1].startswith("~") or (len(parts) >= 2 and parts[-1] == parts[-2]) or parts[-1] == "__init__"


def same_shape(language: str, before: Definition, after: Definition, aliases: dict[str, str]) -> bool:
    return resolve(call_shape(language, before), aliases) == resolve(call_shape(language, after), aliases)


def breaks_callers(
    language: str, before: Definition, after: Definition, lost_visibility: bool
) -> tuple[bool, Confidence]:
    """Does a changed signature break existing callers, and how sure is that?

    Sure (high): the definition stopped being public, or callers' argument lists no longer fit
    (a required parameter added, a parameter removed, a keyword renamed). Unsure (low): only
    types changed, which may or may not convert; the report then says "may affect callers"."""
    if not before.public:
        return False, "high"
    if special_member(before.qualname):
        return True, "low"
    if lost_visibility:
        return True, "high"
    if before.kind in TYPE_KINDS or command_function(before):
        return False, "high"
    if before.parameters is not None and after.parameters is not None:
        return (not compatible(before, after)), "high"
    old_count, new_count = parameter_count(language, before), parameter_count(language, after)
    if old_count and new_count:
        (old_required, old_total), (new_required, new_total) = old_count, new_count
        if new_required > old_required or new_total < old_total:
            return True, "high"
        if new_total > old_total and new_required == old_required:
            return False, "high"  # only parameters with defaults were added
    return True, "low"


def compatible(before: Definition, after: Definition) -> bool:
    """Can every existing caller of `before` still call `after`? (By parameter names, for
    languages where callers may pass them by keyword.)"""
    if before.kind in TYPE_KINDS:
        return True  # a type's header (bases, derives) changed; its users are judged by its members
    if before.parameters is None or after.parameters is None:
        return False
    old, new = before.parameters, after.parameters
    if len(new) < len(old):
        return False
    for was, now in zip(old, new, strict=False):
        if was.rstrip("?") != now.rstrip("?") or (now.endswith("?") is False and was.endswith("?")):
            return False
    return all(extra.endswith("?") or extra.startswith("*") for extra in new[len(old) :])


def _renames(removed: list[Definition], added: list[Definition], old: FileVersion, new: FileVersion):
    candidates = defaultdict(list)
    for definition in added:
        if definition.body_start >= 0:
            candidates[(definition.kind, definition.body_digest(new.source))].append(definition)
    pairs = []
    for definition in removed:
        if definition.body_start < 0:
            continue
        matches = candidates.get((definition.kind, definition.body_digest(old.source)))
        if matches:
            pairs.append((definition, matches.pop(0)))
    return pairs


def _by_name(definitions: list[Definition]) -> dict[str, list[Definition]]:
    grouped: dict[str, list[Definition]] = defaultdict(list)
    for definition in definitions:
        grouped[definition.qualname].append(definition)
    return grouped


def _fact(
    language: str, definition: Definition, change: Change, side: FileVersion, public: bool | None = None, **details
) -> SymbolFact:
    line, line_text = _evidence_line(definition, side)
    return SymbolFact(
        language=language,
        symbol=definition.qualname,
        symbol_kind=definition.kind,
        change=change,
        public=definition.public if public is None else public,
        evidence=(
            Evidence(
                path=side.path,
                line=line,
                side=Side.OLD if change == Change.REMOVED else Side.NEW,
                excerpt=excerpt(line_text),
            ),
        ),
        **details,
    )


def _evidence_line(definition: Definition, side: FileVersion) -> tuple[int, str]:
    """The first changed line inside the definition, else its first line."""
    for line in range(definition.start_line, definition.end_line + 1):
        if line in side.changed:
            return line, side.changed[line]
    first = (
        side.source.split(b"\n", definition.start_line)[definition.start_line - 1]
        if definition.start_line <= side.source.count(b"\n") + 1
        else b""
    )
    return definition.start_line, first.decode("utf-8", "replace")
