"""Extractors say what they learnt by yielding it: none writes to the context it reads."""

import ast
from dataclasses import fields
from pathlib import Path

import repodigest.facts.extractors as extractors
from repodigest.facts.context import CommitContext, FileContext

FOLDER = Path(extractors.__file__).parent
CONTEXT_NAMES = {f.name for c in (FileContext, CommitContext) for f in fields(c)} | {
    name for name in vars(FileContext) if not name.startswith("__")
}
CONTEXT_NAMES |= {"parsed", "note", "public_surface", "surface_reason"}  # once set there, now FileNote's
"""Every attribute a context has: an extractor's own objects (`removed.go_types = ...`) may be
written, and (Python being untyped at run time) a write is told by the attribute's name."""


def _own(target: ast.Attribute) -> bool:
    """`self.lines = ...`: an object setting up its own state, never a context it was given."""
    return isinstance(target.value, ast.Name) and target.value.id == "self"


def _writes(tree: ast.AST) -> list[str]:
    """Writes of a context's attributes (`x.note = `, `x.a += `, `x.a, y = `) and setattr calls."""
    found = []
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr":
            found.append(f"line {node.lineno}: setattr")
        for target in targets:
            for part in ast.walk(target):
                if (
                    isinstance(part, ast.Attribute)
                    and isinstance(part.ctx, ast.Store)
                    and part.attr in CONTEXT_NAMES
                    and not _own(part)
                ):
                    found.append(f"line {node.lineno}: .{part.attr}")
    return found


def test_no_extractor_module_assigns_to_an_attribute():
    modules = sorted(FOLDER.glob("*.py"))
    assert len(modules) > 10
    writes = {m.name: w for m in modules if (w := _writes(ast.parse(m.read_text("utf-8"))))}
    assert writes == {}


def test_the_check_sees_a_write():
    source = "self.lines = {}\nfile.language = 'c'\nfile.note, removed.names = 1, 2\n"
    source += "context.files += []\nsetattr(file, 'x', 1)\n"
    assert _writes(ast.parse(source)) == ["line 2: .language", "line 3: .note", "line 4: .files", "line 5: setattr"]
