"""Java: classes, interfaces, enums, records, annotation types, their methods and constructors
(as Type.method), and `static final` constants.

Public: the `public` modifier on the member and on every enclosing type (interface members are
public unless declared otherwise).
"""

from __future__ import annotations

import tree_sitter_java
from tree_sitter import Language, Node

from repodigest.facts.symbols.outline import Definition, definition, named_children, text

LANGUAGE = Language(tree_sitter_java.language())
TYPES = {
    "class_declaration": "class",
    "interface_declaration": "interface",
    "enum_declaration": "enum",
    "record_declaration": "class",
    "annotation_type_declaration": "interface",
}


def outline(root: Node, source: bytes) -> list[Definition]:
    found: list[Definition] = []
    _scan(root, source, "", True, False, found)
    return found


def _scan(
    block: Node | None, source: bytes, prefix: str, public_scope: bool, in_interface: bool, found: list[Definition]
) -> None:
    for node in named_children(block):
        modifiers = _modifiers(node, source)
        public = public_scope and ("public" in modifiers or (in_interface and "private" not in modifiers))
        if node.type in TYPES:
            name = text(node.child_by_field_name("name"), source)
            body = node.child_by_field_name("body")
            found.append(definition(f"{prefix}{name}", TYPES[node.type], public, node, source, body))
            _scan(body, source, f"{prefix}{name}.", public, node.type == "interface_declaration", found)
            if node.type == "enum_declaration":
                for part in named_children(body):
                    if part.type == "enum_body_declarations":
                        _scan(part, source, f"{prefix}{name}.", public, False, found)
        elif node.type in ("method_declaration", "constructor_declaration", "compact_constructor_declaration"):
            name = text(node.child_by_field_name("name"), source)
            found.append(
                definition(f"{prefix}{name}", "method", public, node, source, node.child_by_field_name("body"))
            )
        elif node.type in ("field_declaration", "constant_declaration") and (
            {"static", "final"} <= modifiers or node.type == "constant_declaration" or in_interface
        ):
            for declarator in node.children_by_field_name("declarator"):
                name = text(declarator.child_by_field_name("name"), source)
                found.append(
                    definition(
                        f"{prefix}{name}",
                        "constant",
                        public,
                        declarator,
                        source,
                        declarator.child_by_field_name("value"),
                    )
                )


def _modifiers(node: Node, source: bytes) -> set[str]:
    for child in node.children:
        if child.type == "modifiers":
            return {text(m, source) for m in child.children if m.type not in ("marker_annotation", "annotation")}
    return set()
