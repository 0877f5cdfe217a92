"""Symbol outlines per language, read with tree-sitter.

A grammar is anything with `LANGUAGE` (a tree_sitter.Language) and
`outline(root, source) -> list[Definition]`; adding a language is a module plus a line here.
Modules are imported on first use, so a run that meets no Java never loads the Java grammar.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module

GRAMMARS: dict[str, str] = {
    "python": "repodigest.facts.symbols.python",
    "go": "repodigest.facts.symbols.go",
    "rust": "repodigest.facts.symbols.rust",
    "java": "repodigest.facts.symbols.java",
    "javascript": "repodigest.facts.symbols.ecmascript:javascript",
    "typescript": "repodigest.facts.symbols.ecmascript:typescript",
    "tsx": "repodigest.facts.symbols.ecmascript:tsx",
    "c": "repodigest.facts.symbols.c_family:c",
    "cpp": "repodigest.facts.symbols.c_family:cpp",
}


@cache
def grammar_for(language: str | None):
    target = GRAMMARS.get(language or "")
    if target is None:
        return None
    module_name, _, attribute = target.partition(":")
    module = import_module(module_name)
    return getattr(module, attribute) if attribute else module
