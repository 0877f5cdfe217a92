"""JavaScript and TypeScript (and TSX): functions, classes and their methods, interfaces, type
aliases, enums, namespaces, and module-level `const` declarations (functions when they hold one).

Public: exported (`export`, `export default`, or `module.exports`/`exports.x` in CommonJS); class
members unless `private`/`#private`; interface and namespace members follow their container.
Re-exports (`export { A as B } from`, `export type { T } from`, `export * [as ns] from`) are
definitions of kind `reexport` named by their public name; their signature leaves out the module
they come from, so a name re-exported from elsewhere under the same public path is unchanged.
"""

from __future__ import annotations

import tree_sitter_javascript
import tree_sitter_typescript
from tree_sitter import Language, Node

from repodigest.facts.symbols.outline import Definition, Grammar, definition, named_children, text

JAVASCRIPT = Language(tree_sitter_javascript.language())
TYPESCRIPT = Language(tree_sitter_typescript.language_typescript())
TSX = Language(tree_sitter_typescript.language_tsx())

DECLARATIONS = {
    "function_declaration": "function",
    "generator_function_declaration": "function",
    "function_signature": "function",
    "class_declaration": "class",
    "abstract_class_declaration": "class",
    "interface_declaration": "interface",
    "type_alias_declaration": "type",
    "enum_declaration": "enum",
    "internal_module": "module",
    "module": "module",
}
FUNCTION_VALUES = {"arrow_function", "function_expression", "function", "generator_function"}


def outline(root: Node, source: bytes) -> list[Definition]:
    found: list[Definition] = []
    commonjs = _commonjs_exports(root, source)
    _scan(root, source, "", False, commonjs, found)
    return found


def _scan(
    block: Node | None, source: bytes, prefix: str, exported_scope: bool, commonjs: set[str], found: list[Definition]
) -> None:
    for child in named_children(block):
        node, exported, span = child, exported_scope, child
        if child.type == "export_statement" and child.child_by_field_name("source") is not None:
            found.extend(_reexports(child, source, prefix))
            continue
        if child.type == "export_statement":
            declaration = child.child_by_field_name("declaration") or _first_declaration(child)
            if declaration is None:
                continue
            node, exported = declaration, True
        elif child.type == "expression_statement" and child.named_children:
            node = child.named_children[0]
        _declaration(node, span, source, prefix, exported, commonjs, found)


def _declaration(
    node: Node, span: Node, source: bytes, prefix: str, exported: bool, commonjs: set[str], found: list[Definition]
) -> None:
    if node.type in DECLARATIONS:
        name = text(node.child_by_field_name("name"), source) or "default"
        qualname = f"{prefix}{name}"
        public = exported or (not prefix and name in commonjs)
        body = node.child_by_field_name("body")
        kind = DECLARATIONS[node.type]
        params = _parameters(node.child_by_field_name("parameters"), source) if kind == "function" else None
        found.append(definition(qualname, kind, public, node, source, body, params, span=span))
        if kind == "class":
            _members(body, source, f"{qualname}.", public, found)
        elif kind == "module":
            _scan(body, source, f"{qualname}.", public, commonjs, found)
    elif node.type in ("lexical_declaration", "variable_declaration"):
        for declarator in named_children(node):
            if declarator.type != "variable_declarator":
                continue
            name_node = declarator.child_by_field_name("name")
            if name_node is None or name_node.type != "identifier":
                continue
            name = text(name_node, source)
            value = declarator.child_by_field_name("value")
            public = exported or (not prefix and name in commonjs)
            if value is not None and value.type in FUNCTION_VALUES:
                params = _parameters(value.child_by_field_name("parameters"), source)
                found.append(
                    definition(
                        f"{prefix}{name}",
                        "function",
                        public,
                        declarator,
                        source,
                        value.child_by_field_name("body"),
                        params,
                    )
                )
            elif _is_const(node, source):
                found.append(definition(f"{prefix}{name}", "constant", public, declarator, source, value))


def _reexports(statement: Node, source: bytes, prefix: str) -> list[Definition]:
    type_only = any(c.type == "type" for c in statement.children)
    found = []
    for child in statement.named_children:
        if child.type == "export_clause":
            for specifier in named_children(child):
                if specifier.type != "export_specifier":
                    continue
                name = text(specifier.child_by_field_name("alias") or specifier.child_by_field_name("name"), source)
                typed = type_only or any(c.type == "type" for c in specifier.children)
                found.append(definition(f"{prefix}{name}", "reexport", True, specifier, source, type_only=typed))
        elif child.type == "namespace_export":
            name = text(child.named_children[-1], source) if child.named_children else "*"
            found.append(definition(f"{prefix}{name}", "reexport", True, child, source, type_only=type_only))
    star = next((c for c in statement.children if c.type == "*"), None)
    if not found and star is not None:
        # Named by its module (quotes dropped): the names it brings are only known from that module.
        module = text(statement.child_by_field_name("source"), source).strip("'\"")
        found.append(definition(f"* from {module}", "reexport", True, star, source, type_only=type_only))
    return found


def _members(body: Node | None, source: bytes, prefix: str, public_class: bool, found: list[Definition]) -> None:
    for member in named_children(body):
        if member.type not in ("method_definition", "abstract_method_signature", "method_signature"):
            continue
        name_node = member.child_by_field_name("name")
        name = text(name_node, source)
        private = (name_node is not None and name_node.type == "private_property_identifier") or any(
            c.type == "accessibility_modifier" and text(c, source) in ("private", "protected") for c in member.children
        )
        params = _parameters(member.child_by_field_name("parameters"), source)
        found.append(
            definition(
                f"{prefix}{name}",
                "method",
                public_class and not private,
                member,
                source,
                member.child_by_field_name("body"),
                params,
            )
        )


def _parameters(parameters: Node | None, source: bytes) -> tuple[str, ...] | None:
    if parameters is None:
        return None
    names = []
    for parameter in named_children(parameters):
        if parameter.type == "identifier":
            names.append(text(parameter, source))
        elif parameter.type == "required_parameter":
            names.append(
                text(parameter.child_by_field_name("pattern"), source)
                + ("?" if parameter.child_by_field_name("value") is not None else "")
            )
        elif parameter.type in ("optional_parameter", "assignment_pattern", "rest_pattern"):
            names.append(
                text(
                    parameter.child_by_field_name("pattern") or parameter.child_by_field_name("left") or parameter,
                    source,
                )
                + "?"
            )
        else:
            names.append(text(parameter, source))
    return tuple(names)


def _is_const(declaration: Node, source: bytes) -> bool:
    return declaration.type == "lexical_declaration" and text(declaration, source).startswith("const")


def _first_declaration(export: Node) -> Node | None:
    for child in export.named_children:
        if child.type in DECLARATIONS or child.type in ("lexical_declaration", "variable_declaration"):
            return child
    return None


def _commonjs_exports(root: Node, source: bytes) -> set[str]:
    """Names exported through `module.exports = {a, b}` or `exports.a = ...`."""
    names: set[str] = set()
    for statement in named_children(root):
        if statement.type != "expression_statement" or not statement.named_children:
            continue
        expression = statement.named_children[0]
        if expression.type != "assignment_expression":
            continue
        target = text(expression.child_by_field_name("left"), source)
        value = expression.child_by_field_name("right")
        if target == "module.exports" and value is not None and value.type == "object":
            for entry in named_children(value):
                key = entry.child_by_field_name("key") if entry.type == "pair" else entry
                names.add(text(key, source))
        elif target.startswith(("exports.", "module.exports.")):
            names.add(target.rsplit(".", 1)[-1])
    return names


javascript = Grammar(JAVASCRIPT, outline)
typescript = Grammar(TYPESCRIPT, outline)
tsx = Grammar(TSX, outline)
