"""Go: functions, methods (as Type.Method), types, and package-level constants and variables.

Public: exported, i.e. the name starts with an upper-case letter (for methods, the type too).
"""

from __future__ import annotations

import tree_sitter_go
from tree_sitter import Language, Node

from repodigest.facts.symbols.outline import Definition, definition, named_children, text

LANGUAGE = Language(tree_sitter_go.language())
TYPE_KINDS = {"struct_type": "struct", "interface_type": "interface"}


def outline(root: Node, source: bytes) -> list[Definition]:
    found: list[Definition] = []
    for node in named_children(root):
        if node.type == "function_declaration":
            name = text(node.child_by_field_name("name"), source)
            found.append(definition(name, "function", _exported(name), node, source, node.child_by_field_name("body")))
        elif node.type == "method_declaration":
            receiver = _receiver_type(node.child_by_field_name("receiver"), source)
            name = text(node.child_by_field_name("name"), source)
            found.append(
                definition(
                    f"{receiver}.{name}",
                    "method",
                    _exported(receiver) and _exported(name),
                    node,
                    source,
                    node.child_by_field_name("body"),
                )
            )
        elif node.type == "type_declaration":
            for spec in named_children(node):
                if spec.type in ("type_spec", "type_alias"):
                    name = text(spec.child_by_field_name("name"), source)
                    shape = spec.child_by_field_name("type")
                    kind = TYPE_KINDS.get(shape.type if shape is not None else "", "type")
                    body = shape if kind in ("struct", "interface") else None
                    found.append(definition(name, kind, _exported(name), spec, source, body))
        elif node.type in ("const_declaration", "var_declaration"):
            for spec in named_children(node):
                if spec.type not in ("const_spec", "var_spec"):
                    continue
                value = spec.child_by_field_name("value")
                for name_node in spec.children_by_field_name("name"):
                    name = text(name_node, source)
                    if name != "_":
                        found.append(definition(name, "constant", _exported(name), spec, source, value))
    return found


def _exported(name: str) -> bool:
    return bool(name) and name[0].isupper()


def _receiver_type(receiver: Node | None, source: bytes) -> str:
    for parameter in named_children(receiver):
        kind = parameter.child_by_field_name("type")
        raw = text(kind, source)
        return raw.lstrip("*").split("[", 1)[0].strip()
    return "?"
