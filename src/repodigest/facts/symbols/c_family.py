"""C and C++: functions and prototypes, structs, unions, enums, classes (C++), typedefs and
`#define` constants; C++ namespaces and class members are qualified with `::`.

Public: C and C++ have no modules, so a symbol is public when it has external linkage (not
`static`, not in an anonymous namespace) and, for class members, sits under `public:` (the
default for `struct`, not for `class`).
"""

from __future__ import annotations

import tree_sitter_c
import tree_sitter_cpp
from tree_sitter import Language, Node

from repodigest.facts.symbols.outline import Definition, Grammar, definition, named_children, text

C = Language(tree_sitter_c.language())
CPP = Language(tree_sitter_cpp.language())
RECORDS = {
    "struct_specifier": "struct",
    "union_specifier": "union",
    "enum_specifier": "enum",
    "class_specifier": "class",
}


def outline(root: Node, source: bytes) -> list[Definition]:
    found: list[Definition] = []
    _scan(root, source, "", True, found)
    return found


def _scan(
    block: Node | None,
    source: bytes,
    prefix: str,
    public_scope: bool,
    found: list[Definition],
    default_public: bool = True,
) -> None:
    public_here = default_public
    for node in named_children(block):
        if node.type == "access_specifier":
            public_here = text(node, source).strip().rstrip(":") == "public"
            continue
        visible = public_scope and public_here
        if node.type == "template_declaration":
            inner = [c for c in node.named_children if c.type != "template_parameter_list"]
            _scan_one(inner[-1] if inner else None, source, prefix, visible, found, span=node)
        elif node.type == "namespace_definition":
            name = text(node.child_by_field_name("name"), source)
            _scan(
                node.child_by_field_name("body"),
                source,
                f"{prefix}{name}::" if name else prefix,
                public_scope and bool(name),
                found,
            )
        elif node.type == "linkage_specification":
            _scan(node.child_by_field_name("body"), source, prefix, public_scope, found)
        elif node.type in ("preproc_ifdef", "preproc_if", "preproc_else", "preproc_elif"):
            _scan(node, source, prefix, public_scope, found, public_here)
        else:
            _scan_one(node, source, prefix, visible, found)


def _scan_one(
    node: Node | None, source: bytes, prefix: str, visible: bool, found: list[Definition], span: Node | None = None
) -> None:
    if node is None:
        return
    if node.type == "function_definition" or (
        node.type in ("declaration", "field_declaration") and _function_declarator(node) is not None
    ):
        _function(node, source, prefix, visible, found, span)
    elif node.type in RECORDS or (node.type in ("declaration", "type_definition") and _record(node)):
        _record_definition(node, source, prefix, visible, found, span)
    elif node.type == "alias_declaration":
        name = text(node.child_by_field_name("name"), source)
        if name:
            found.append(definition(f"{prefix}{name}", "type", visible, node, source))
    elif node.type == "type_definition":
        name = text(node.child_by_field_name("declarator"), source)
        if name:
            found.append(definition(f"{prefix}{name}", "type", visible, node, source))
    elif node.type in ("preproc_def", "preproc_function_def"):
        name = text(node.child_by_field_name("name"), source)
        value = node.child_by_field_name("value")
        if value is None and node.type == "preproc_def":
            return  # include guards and feature switches (`#define FOO_H_`) are nobody's API
        found.append(definition(name, "constant", visible, node, source, value))


def _function(
    node: Node, source: bytes, prefix: str, visible: bool, found: list[Definition], span: Node | None
) -> None:
    static = any(c.type == "storage_class_specifier" and text(c, source) == "static" for c in node.children)
    declarator = _function_declarator(node)
    name = _name(text(declarator.child_by_field_name("declarator"), source)) if declarator is not None else ""
    if not name:
        return
    kind = "method" if (prefix and not prefix.endswith("::")) or "::" in name else "function"
    body = node.child_by_field_name("body")
    found.append(definition(f"{prefix}{name}", kind, visible and not static, node, source, body, span=span))


def _record_definition(
    node: Node, source: bytes, prefix: str, visible: bool, found: list[Definition], span: Node | None
) -> None:
    record = node if node.type in RECORDS else _record(node)
    if record is None:
        return
    name = text(record.child_by_field_name("name"), source)
    if node.type == "type_definition":
        name = name or text(node.child_by_field_name("declarator"), source)
    body = record.child_by_field_name("body")
    if not name or body is None:
        return
    found.append(definition(f"{prefix}{name}", RECORDS[record.type], visible, record, source, body, span=span))
    if record.type in ("class_specifier", "struct_specifier") and source is not None:
        _scan(body, source, f"{prefix}{name}::", visible, found, default_public=record.type != "class_specifier")


def _name(raw: str) -> str:
    """A declarator's name on one line; macros before it (`EXPORT nixlPut`) are not part of it."""
    words = raw.split()
    if len(words) > 1 and not words[0].startswith("operator"):
        return words[-1]
    return " ".join(words)


def _function_declarator(node: Node) -> Node | None:
    declarator = node.child_by_field_name("declarator")
    while declarator is not None and declarator.type in ("pointer_declarator", "reference_declarator"):
        declarator = declarator.child_by_field_name("declarator")
    return declarator if declarator is not None and declarator.type == "function_declarator" else None


def _record(node: Node) -> Node | None:
    kind = node.child_by_field_name("type")
    return kind if kind is not None and kind.type in RECORDS and kind.child_by_field_name("body") is not None else None


c = Grammar(C, outline)
cpp = Grammar(CPP, outline)
