"""Functions, methods, types and constants added, removed, renamed or changed, per language."""

from __future__ import annotations

from collections.abc import Iterator

from repodigest.facts.context import CommitContext, FileContext
from repodigest.facts.models import Change, FileRole, SymbolFact
from repodigest.facts.symbols import grammar_for
from repodigest.facts.symbols.compare import FileVersion, compare
from repodigest.facts.symbols.parsing import Parsed, VersionCache, hunks_of, parse, parse_from, refusal, reversed_hunks
from repodigest.source.models import FileStatus

ROLES = {FileRole.SOURCE}


class SymbolExtractor:
    def __init__(self) -> None:
        self.versions = VersionCache()

    def __call__(self, context: CommitContext) -> Iterator[SymbolFact]:
        for file in context.files:
            grammar = grammar_for(file.language)
            if grammar is not None and file.role in ROLES:
                yield from self.file_facts(file, grammar)

    def file_facts(self, file: FileContext, grammar) -> list[SymbolFact]:
        change = file.diff.change
        old_blob = change.old_blob if change.status != FileStatus.ADDED else None
        new_blob = change.new_blob if change.status != FileStatus.DELETED else None
        cached_old = self.versions.get(file.language, old_blob)
        cached_new = self.versions.get(file.language, new_blob)
        old_bytes = cached_old.source if cached_old else (file.old_bytes if old_blob else None)
        new_bytes = cached_new.source if cached_new else (file.new_bytes if new_blob else None)
        if (old_blob and old_bytes is None) or (new_blob and new_bytes is None):
            file.note = "too large to parse"
            return []
        for content in (new_bytes, old_bytes):
            reason = refusal(content) if content is not None else None
            if reason:
                file.note = reason
                return []
        old, new = self._parse_pair(file, grammar, old_blob, old_bytes, cached_old, new_blob, new_bytes, cached_new)
        removed = {line.old_line: line.text for line in file.lines if line.op == "-"}
        added = {line.new_line: line.text for line in file.lines if line.op == "+"}
        facts = compare(
            file.language,
            FileVersion(old.outline, old.source, removed, file.old_path) if old else None,
            FileVersion(new.outline, new.source, added, file.path) if new else None,
        )
        file.parsed = True
        old_broken = old is not None and old.tree.root_node.has_error
        new_broken = new is not None and new.tree.root_node.has_error
        if old_broken or new_broken:
            file.note = "parse errors: symbols inside them are not compared"
            facts = _trusted(facts, old_broken, new_broken)
        return facts

    def _parse_pair(self, file, grammar, old_blob, old_bytes, cached_old, new_blob, new_bytes, cached_new):
        hunks = hunks_of(file.patch) if file.patch else []
        old, new = cached_old, cached_new
        if old is None and new is None:
            if new_bytes is not None:
                new = self._outline(grammar, parse(grammar.LANGUAGE, new_bytes), new_bytes)
            elif old_bytes is not None:
                old = self._outline(grammar, parse(grammar.LANGUAGE, old_bytes), old_bytes)
        if new is None and new_bytes is not None:
            tree = parse_from(grammar.LANGUAGE, old.tree, old.source, new_bytes, hunks) if old and hunks \
                else parse(grammar.LANGUAGE, new_bytes)
            new = self._outline(grammar, tree, new_bytes)
        if old is None and old_bytes is not None:
            tree = parse_from(grammar.LANGUAGE, new.tree, new.source, old_bytes, reversed_hunks(hunks)) \
                if new and hunks else parse(grammar.LANGUAGE, old_bytes)
            old = self._outline(grammar, tree, old_bytes)
        if old is not None and old_blob:
            # git log walks newest first, so this commit's old version is the new version of the
            # next commit to touch the file: only old versions are worth keeping.
            self.versions.put(file.language, old_blob, old)
        return old, new

    @staticmethod
    def _outline(grammar, tree, source: bytes) -> Parsed:
        return Parsed(tree=tree, source=source, outline=grammar.outline(tree.root_node, source))


def _trusted(facts: list[SymbolFact], old_broken: bool, new_broken: bool) -> list[SymbolFact]:
    """With a syntax error on one side, definitions may merely be unreadable there: do not
    report them as added (old side broken) or removed (new side broken)."""
    return [f for f in facts
            if not (old_broken and f.change == Change.ADDED)
            and not (new_broken and f.change in (Change.REMOVED, Change.RENAMED))]
