"""Python: functions, classes, methods and UPPER_CASE module constants.

Public: no leading underscore (dunder methods count as public), every enclosing class public, and,
when the module defines `__all__`, listed in it.
"""

from __future__ import annotations

import ast

import tree_sitter_python
from tree_sitter import Language, Node

from repodigest.facts.symbols.outline import Definition, definition, named_children, text

LANGUAGE = Language(tree_sitter_python.language())


def outline(root: Node, source: bytes) -> list[Definition]:
    exported = _dunder_all(root, source)
    found: list[Definition] = []
    _scan(root, source, prefix="", public_scope=True, in_class=False, exported=exported, found=found)
    return found


def _scan(
    block: Node | None,
    source: bytes,
    prefix: str,
    public_scope: bool,
    in_class: bool,
    exported: set[str] | None,
    found: list[Definition],
) -> None:
    for child in named_children(block):
        node, span = child, child
        if child.type == "decorated_definition":
            node = child.child_by_field_name("definition") or child
        if node.type in ("function_definition", "class_definition"):
            name = text(node.child_by_field_name("name"), source)
            qualname = f"{prefix}{name}"
            public = public_scope and _public_name(name)
            if exported is not None and not prefix:
                public = name in exported
            body = node.child_by_field_name("body")
            if node.type == "class_definition":
                found.append(definition(qualname, "class", public, node, source, body, span=span))
                _scan(body, source, f"{qualname}.", public, True, exported, found)
            else:
                kind = "method" if in_class else "function"
                params = _parameters(node.child_by_field_name("parameters"), source)
                found.append(definition(qualname, kind, public, node, source, body, params, span=span))
        elif child.type == "expression_statement" and not in_class and not prefix:
            _constant(child, source, exported, found)


def _constant(statement: Node, source: bytes, exported: set[str] | None, found: list[Definition]) -> None:
    assignment = statement.named_children[0] if statement.named_children else None
    if assignment is None or assignment.type != "assignment":
        return
    target = assignment.child_by_field_name("left")
    if target is None or target.type != "identifier":
        return
    name = text(target, source)
    if not (name.isupper() and name.strip("_")):
        return
    public = _public_name(name) if exported is None else name in exported
    value = assignment.child_by_field_name("right")
    found.append(definition(name, "constant", public, assignment, source, value))


def _public_name(name: str) -> bool:
    return not name.startswith("_") or (name.startswith("__") and name.endswith("__"))


def _parameters(parameters: Node | None, source: bytes) -> tuple[str, ...] | None:
    names = []
    for parameter in named_children(parameters):
        if parameter.type == "identifier":
            names.append(text(parameter, source))
        elif parameter.type in ("default_parameter", "typed_default_parameter"):
            names.append(text(parameter.child_by_field_name("name"), source) + "?")
        elif parameter.type == "typed_parameter":
            inner = parameter.named_children[0] if parameter.named_children else None
            label = text(inner, source)
            names.append(label + "?" if label.startswith("*") else label)
        elif parameter.type in ("list_splat_pattern", "dictionary_splat_pattern"):
            names.append(text(parameter, source) + "?")
        elif parameter.type in ("keyword_separator", "positional_separator"):
            names.append(text(parameter, source))
    return tuple(names)


def _dunder_all(root: Node, source: bytes) -> set[str] | None:
    for child in named_children(root):
        if child.type != "expression_statement" or not child.named_children:
            continue
        assignment = child.named_children[0]
        if assignment.type != "assignment" or text(assignment.child_by_field_name("left"), source) != "__all__":
            continue
        try:
            value = ast.literal_eval(text(assignment.child_by_field_name("right"), source))
        except (ValueError, SyntaxError):
            return None  # computed __all__: fall back to the underscore rule
        if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
            return set(value)
    return None
