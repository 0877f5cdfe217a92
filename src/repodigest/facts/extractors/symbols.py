"""Functions, methods, types and constants added, removed, renamed, moved or changed, per
language, each judged against the file's public surface (facts/surface)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from repodigest.facts.context import CommitContext, FileContext
from repodigest.facts.models import Change, FileNote, FileNoteReason, FileRole, SymbolFact
from repodigest.facts.surface import ProjectView, surface_of
from repodigest.facts.symbols import grammar_for
from repodigest.facts.symbols.compare import TYPE_KINDS, FileVersion, compare
from repodigest.facts.symbols.outline import bare_name
from repodigest.facts.symbols.parsing import Parsed, VersionCache, parse, parse_from, refusal
from repodigest.source.hunks import hunk_ranges
from repodigest.source.models import FileStatus

ROLES = {FileRole.SOURCE}
REEXPORT_KIND = "reexport"


def internal(fact: SymbolFact) -> SymbolFact:
    return fact.model_copy(update={"public": False, "breaking": False}) if fact.public else fact


class SymbolExtractor:
    def __init__(self, versions: VersionCache | None = None) -> None:
        self.versions = versions or VersionCache()
        """Shared by the facts workers' threads (facts/workers.py): one cache, one budget."""

    def __call__(self, context: CommitContext) -> Iterator[SymbolFact | FileNote]:
        facts: list[SymbolFact] = []
        project = context.project or ProjectView(context.commit.sha, None)
        for file in context.files:
            if file.role not in ROLES:
                continue
            grammar = grammar_for(file.language)
            if grammar is not None:
                found, notes = self.surface_facts(file, grammar, project)
                facts.extend(found)
                yield from notes
        yield from held_types_gone(moves(facts, context))

    def surface_facts(
        self, file: FileContext, grammar, project: ProjectView
    ) -> tuple[list[SymbolFact], list[FileNote]]:
        """The file's symbol facts, public only where the file is public surface, and its notes."""
        facts, note = self.file_facts(file, grammar)
        content = file.new_bytes if file.diff.change.status != FileStatus.DELETED else file.old_bytes
        surface = surface_of(file.language, file.path, project, content)
        notes = [FileNote(path=file.path, public_surface=surface.public, surface_reason=surface.reason or None)]
        if note is not None:
            notes.insert(0, note)
        if surface.public is False:
            return [internal(f) for f in facts], notes
        if surface.entry_point is False:
            # A re-export counts where importing the package reaches it; a barrel file inside the
            # package only gathers names for the entry point, which is judged on its own.
            return [internal(f) if f.symbol_kind == REEXPORT_KIND else f for f in facts], notes
        return facts, notes

    def file_facts(self, file: FileContext, grammar) -> tuple[list[SymbolFact], FileNote | None]:
        """The file's symbol facts, and a note of whether (and how well) it was parsed."""
        language = file.language
        if language is None:
            return [], None  # no grammar without a language; the caller checked, the type cannot say so
        change = file.diff.change
        old_blob = change.old_blob if change.status != FileStatus.ADDED else None
        new_blob = change.new_blob if change.status != FileStatus.DELETED else None
        cached_old = self.versions.get(language, old_blob)
        cached_new = self.versions.get(language, new_blob)
        old_bytes = cached_old.source if cached_old else (file.old_bytes if old_blob else None)
        new_bytes = cached_new.source if cached_new else (file.new_bytes if new_blob else None)
        if (old_blob and old_bytes is None) or (new_blob and new_bytes is None):
            return [], FileNote(path=file.path, note="too large to parse", reason=FileNoteReason.TOO_LARGE)
        for content in (new_bytes, old_bytes):
            reason = refusal(content) if content is not None else None
            if reason:
                return [], FileNote(path=file.path, note=reason, reason=FileNoteReason(reason))
        old, new = self._parse_pair(file, grammar, old_blob, old_bytes, cached_old, new_bytes, cached_new)
        removed = {line.old_line: line.text for line in file.lines if line.op == "-" and line.old_line is not None}
        added = {line.new_line: line.text for line in file.lines if line.op == "+" and line.new_line is not None}
        facts = compare(
            language,
            FileVersion(old.outline, old.source, removed, file.old_path) if old else None,
            FileVersion(new.outline, new.source, added, file.path) if new else None,
        )
        old_broken = old is not None and old.tree.root_node.has_error
        new_broken = new is not None and new.tree.root_node.has_error
        if old_broken or new_broken:
            facts = _trusted(facts, old.source if old_broken else None, new.source if new_broken else None)
            return facts, FileNote(
                path=file.path,
                parsed=True,
                note="parse errors: symbols inside them are not compared",
                reason=FileNoteReason.PARSE_ERRORS,
            )
        return facts, FileNote(path=file.path, parsed=True)

    def _parse_pair(self, file, grammar, old_blob, old_bytes, cached_old, new_bytes, cached_new):
        hunks = hunk_ranges(file.patch) if file.patch else []
        old, new = cached_old, cached_new
        if old is None and new is None:
            if new_bytes is not None:
                new = self._outline(grammar, parse(grammar.LANGUAGE, new_bytes), new_bytes)
            elif old_bytes is not None:
                old = self._outline(grammar, parse(grammar.LANGUAGE, old_bytes), old_bytes)
        if new is None and new_bytes is not None:
            tree = (
                parse_from(grammar.LANGUAGE, old.tree, old.source, new_bytes, hunks)
                if old and hunks
                else parse(grammar.LANGUAGE, new_bytes)
            )
            new = self._outline(grammar, tree, new_bytes)
        if old is None and old_bytes is not None:
            tree = (
                parse_from(grammar.LANGUAGE, new.tree, new.source, old_bytes, [hunk.flipped() for hunk in hunks])
                if new and hunks
                else parse(grammar.LANGUAGE, old_bytes)
            )
            old = self._outline(grammar, tree, old_bytes)
        if old is not None and old_blob:
            # git log walks newest first, so this commit's old version is the new version of the
            # next commit to touch the file: only old versions are worth keeping.
            self.versions.put(file.language, old_blob, old)
        return old, new

    @staticmethod
    def _outline(grammar, tree, source: bytes) -> Parsed:
        return Parsed(tree=tree, source=source, outline=grammar.outline(tree.root_node, source))


def _trusted(facts: list[SymbolFact], broken_old: bytes | None, broken_new: bytes | None) -> list[SymbolFact]:
    """With a syntax error on one side, definitions may merely be unreadable there. A definition
    is taken as removed only when its name no longer appears anywhere in the broken new text
    (and as added only when it never appeared in the broken old text); CUDA and macro-heavy
    headers always carry some error, and dropping every fact would hide real removals."""

    def mentioned(symbol: str, source: bytes | None) -> bool:
        if source is None:
            return False
        name = bare_name(symbol).lstrip("~")
        return re.search(rb"\b" + re.escape(name.encode()) + rb"\b", source) is not None

    return [
        f
        for f in facts
        if not (f.change == Change.ADDED and mentioned(f.symbol, broken_old))
        and not (f.change in (Change.REMOVED, Change.RENAMED) and mentioned(f.old_symbol or f.symbol, broken_new))
    ]


REEXPORT = re.compile(r"^\s*from\s+\S+\s+import\s+\(?([\w\s,]+?)\)?\s*$|^\s*(\w+)\s*,?\s*$")


def moves(facts: list[SymbolFact], context: CommitContext) -> list[SymbolFact]:
    """A public symbol removed from one file and added with the same name elsewhere in the same
    commit has moved, not gone; so has one a package `__init__` now re-exports (its public
    path is kept), or a TypeScript entry point now re-exports (the re-export is then no new API).
    Neither breaks callers that import it from where it is still found."""
    added: dict[tuple[str, str], SymbolFact] = {}
    reexports: dict[str, SymbolFact] = {}
    for fact in facts:
        if fact.change == Change.ADDED:
            added.setdefault((bare_name(fact.symbol), fact.symbol_kind), fact)
            if fact.symbol_kind == REEXPORT_KIND and fact.public:
                reexports.setdefault(bare_name(fact.symbol), fact)
    reexported = _reexported_names(context) | reexports.keys()
    kept: list[SymbolFact] = []
    consumed: set[int] = set()
    for fact in facts:
        if fact.change != Change.REMOVED or not fact.public:
            continue
        target = added.get((bare_name(fact.symbol), fact.symbol_kind))
        if target is None and fact.symbol_kind == REEXPORT_KIND:
            # A re-export replaced by the definition itself (or the other way round) keeps the name.
            target = next((f for (name, _), f in added.items() if name == bare_name(fact.symbol) and f.public), None)
        if target is not None and target.evidence[0].path != fact.evidence[0].path and id(target) not in consumed:
            consumed.update((id(fact), id(target)))
            kept.append(
                target.model_copy(
                    update={
                        "change": Change.MOVED,
                        "breaking": False,
                        "old_signature": fact.old_signature,
                        "moved_from": fact.evidence[0].path,
                    }
                )
            )
        elif bare_name(fact.symbol) in reexported:
            consumed.add(id(fact))
            if bare_name(fact.symbol) in reexports:
                consumed.add(id(reexports.pop(bare_name(fact.symbol))))
            kept.append(
                fact.model_copy(update={"change": Change.MOVED, "breaking": False, "moved_from": fact.evidence[0].path})
            )
    return [f for f in facts if id(f) not in consumed] + kept


def held_types_gone(facts: list[SymbolFact]) -> list[SymbolFact]:
    """A signature change is only a possible break while its old types might still convert. When a
    type it named is removed or renamed in the same commit (anywhere, not moved), no caller can
    still pass or receive a value of it: every call site must change, a sure break."""
    gone = {
        bare_name(f.old_symbol if f.change == Change.RENAMED and f.old_symbol else f.symbol)
        for f in facts
        if f.public and f.symbol_kind in TYPE_KINDS and f.change in (Change.REMOVED, Change.RENAMED)
    }
    if not gone:
        return facts
    return [_sure_if_gone(f, gone) for f in facts]


def _sure_if_gone(fact: SymbolFact, gone: set[str]) -> SymbolFact:
    if fact.change != Change.SIGNATURE_CHANGED or not fact.may_break or not fact.old_signature:
        return fact
    name = bare_name(fact.symbol)
    old_words, new_words = _words(fact.old_signature) - {name}, _words(fact.new_signature or "")
    if (old_words & gone) - new_words:
        return fact.model_copy(update={"confidence": "high"})
    return fact


def _words(signature: str) -> set[str]:
    return set(re.findall(r"[A-Za-z_]\w*", signature))


def _reexported_names(context: CommitContext) -> set[str]:
    """Names imported by added lines of package `__init__.py` files (Python re-exports)."""
    names: set[str] = set()
    for file in context.files:
        if not file.path.endswith("__init__.py"):
            continue
        for line in file.lines:
            if line.op != "+":
                continue
            match = REEXPORT.match(line.text)
            if match:
                chunk = match.group(1) or match.group(2) or ""
                names.update(word.split(" as ")[-1].strip() for word in chunk.split(",") if word.strip())
    return names
