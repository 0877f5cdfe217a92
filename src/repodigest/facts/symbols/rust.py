"""Rust: functions, methods in `impl` blocks (as Type::method), structs, enums, traits, type
aliases, modules, constants and statics.

Public: `pub` (not `pub(crate)`/`pub(super)`), inside public modules; methods of a trait
implementation are as public as the type.
"""

from __future__ import annotations

import tree_sitter_rust
from tree_sitter import Language, Node

from repodigest.facts.symbols.outline import Definition, definition, named_children, text

LANGUAGE = Language(tree_sitter_rust.language())
ITEMS = {
    "function_item": "function",
    "function_signature_item": "function",
    "struct_item": "struct",
    "enum_item": "enum",
    "union_item": "union",
    "trait_item": "trait",
    "type_item": "type",
    "const_item": "constant",
    "static_item": "constant",
    "macro_definition": "function",
}


def outline(root: Node, source: bytes) -> list[Definition]:
    found: list[Definition] = []
    _scan(root, source, "", True, found)
    return found


def _scan(block: Node | None, source: bytes, prefix: str, public_scope: bool, found: list[Definition]) -> None:
    for node in named_children(block):
        if node.type in ITEMS:
            name = text(node.child_by_field_name("name"), source)
            kind = ITEMS[node.type]
            public = public_scope and _pub(node, source)
            body = node.child_by_field_name("body") or node.child_by_field_name("value")
            if node.type == "macro_definition":
                public = public_scope and _has_attribute(node, source, "macro_export")
            found.append(definition(f"{prefix}{name}", kind, public, node, source, body))
            if node.type == "trait_item":
                _scan(node.child_by_field_name("body"), source, f"{prefix}{name}::", public, found)
        elif node.type == "mod_item":
            name = text(node.child_by_field_name("name"), source)
            public = public_scope and _pub(node, source)
            body = node.child_by_field_name("body")
            found.append(definition(f"{prefix}{name}", "module", public, node, source, body))
            _scan(body, source, f"{prefix}{name}::", public, found)
        elif node.type == "impl_item":
            _impl(node, source, prefix, public_scope, found)


def _impl(node: Node, source: bytes, prefix: str, public_scope: bool, found: list[Definition]) -> None:
    type_name = text(node.child_by_field_name("type"), source).split("<", 1)[0].strip()
    trait = node.child_by_field_name("trait")
    owner = f"{prefix}{type_name}"
    if trait is not None:
        owner = f"<{owner} as {text(trait, source).split('<', 1)[0].strip()}>"
    for item in named_children(node.child_by_field_name("body")):
        if item.type in ("function_item", "const_item", "type_item"):
            name = text(item.child_by_field_name("name"), source)
            public = public_scope and (trait is not None or _pub(item, source))
            kind = "method" if item.type == "function_item" else ITEMS[item.type]
            body = item.child_by_field_name("body") or item.child_by_field_name("value")
            found.append(definition(f"{owner}::{name}", kind, public, item, source, body))


def _pub(node: Node, source: bytes) -> bool:
    for child in node.children:
        if child.type == "visibility_modifier":
            return text(child, source).strip() == "pub"
    return False


def _has_attribute(node: Node, source: bytes, name: str) -> bool:
    sibling = node.prev_named_sibling
    return sibling is not None and sibling.type == "attribute_item" and name in text(sibling, source)
