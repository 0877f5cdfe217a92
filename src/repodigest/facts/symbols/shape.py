"""What callers of a definition depend on, written so that equal means "callers cannot tell".

Signatures are compared after normalisation: comments and layout dropped (`const char* name` ≡
`const char *name`), parameter names dropped where the language ignores them at call sites (C,
C++, Go), Go named results read as their types, qualifiers that no caller can observe
(`noexcept`, `override`, `inline`, `[[nodiscard]]`, ...) dropped, and local type aliases
(`using A = B`, `typedef B A`, `type A = B`) resolved to what they name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from repodigest.facts.symbols.outline import Definition, text

COMMENTS = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)
SPACE = re.compile(r"\s+")
AROUND_PUNCTUATION = re.compile(r"\s*([()\[\]{}<>,*&:;=|])\s*")
UNOBSERVABLE = re.compile(r"\b(?:noexcept|override|final|inline|virtual|explicit|constexpr|extern)\b|\[\[[^\]]*\]\]")
ALIAS_PATTERNS = (
    re.compile(r"\busing\s+(\w+)\s*=\s*([^;]+);"),
    re.compile(r"\btypedef\s+([^;{}()]+?)\s*\b(\w+)\s*;"),
    re.compile(r"^\s*type\s+(\w+)\s*=\s*([^\n;]+)", re.MULTILINE),
)
NAMELESS_PARAMETER_LANGUAGES = {"c", "cpp", "go"}


def normalized(raw: str) -> str:
    raw = COMMENTS.sub(" ", raw)
    raw = UNOBSERVABLE.sub(" ", raw)
    raw = SPACE.sub(" ", raw).strip()
    return AROUND_PUNCTUATION.sub(r"\1", raw).rstrip(";{:").strip()


def aliases_in(sources: Iterable[bytes | str | None]) -> dict[str, str]:
    """Local aliases: alias name → normalised target."""
    found: dict[str, str] = {}
    for source in sources:
        if not source:
            continue
        content = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
        if "using" not in content and "typedef" not in content and "type " not in content:
            continue
        for index, pattern in enumerate(ALIAS_PATTERNS):
            for match in pattern.finditer(content):
                alias, target = (match.group(2), match.group(1)) if index == 1 else (match.group(1), match.group(2))
                target = normalized(target)
                if alias != target and not target.startswith(("struct{", "enum{")):
                    found[alias] = target
    return found


def resolve(shape: str, aliases: dict[str, str]) -> str:
    if not aliases:
        return shape
    pattern = re.compile(r"\b(" + "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True)) + r")\b")
    for _ in range(3):  # aliases of aliases, a few levels deep
        resolved = pattern.sub(lambda m: aliases[m.group(1)], shape)
        if resolved == shape:
            break
        shape = resolved
    return shape


def call_shape(language: str, definition: Definition) -> str:
    """The definition's signature as its callers see it, before alias resolution."""
    if language == "go" and definition.node.type in ("function_declaration", "method_declaration"):
        return _go_shape(definition)
    if language in ("c", "cpp"):
        parameters = _c_parameters(definition.node)
        if parameters is not None:
            return _without_parameter_names(definition, parameters)
    return normalized(definition.signature)


def parameter_count(language: str, definition: Definition) -> tuple[int, int] | None:
    """(required, total) parameters where the grammar tells them apart; None otherwise."""
    if language in ("c", "cpp"):
        parameters = _c_parameters(definition.node)
        if parameters is None:
            return None
        items = [p for p in parameters.named_children if p.type != "comment"]
        required = sum(1 for p in items if p.type != "optional_parameter_declaration")
        return required, len(items)
    if language == "go" and definition.node.type in ("function_declaration", "method_declaration"):
        types = _go_types(definition.node.child_by_field_name("parameters"), definition.source)
        return len(types), len(types)
    return None


def _go_shape(definition: Definition) -> str:
    node, source = definition.node, definition.source
    receiver = _go_types(node.child_by_field_name("receiver"), source)
    parameters = _go_types(node.child_by_field_name("parameters"), source)
    result = node.child_by_field_name("result")
    if result is not None and result.type == "parameter_list":
        results = _go_types(result, source)
    else:
        results = [normalized(text(result, source))] if result is not None else []
    name = text(node.child_by_field_name("name"), source)
    head = f"({','.join(receiver)})" if receiver else ""
    tail = results[0] if len(results) == 1 else f"({','.join(results)})" if results else ""
    return f"func{head}{name}({','.join(parameters)}){tail}"


def _go_types(parameters: Node | None, source: bytes) -> list[str]:
    """One entry per parameter, its type only: `a, b int` gives `int,int`."""
    types: list[str] = []
    for parameter in parameters.named_children if parameters is not None else []:
        kind = parameter.child_by_field_name("type")
        if kind is None:
            continue
        names = parameter.children_by_field_name("name")
        prefix = "..." if parameter.type == "variadic_parameter_declaration" else ""
        types.extend([prefix + normalized(text(kind, source))] * max(1, len(names)))
    return types


def _c_parameters(node: Node) -> Node | None:
    declarator = node.child_by_field_name("declarator")
    while declarator is not None and declarator.type != "function_declarator":
        declarator = declarator.child_by_field_name("declarator")
    return declarator.child_by_field_name("parameters") if declarator is not None else None


def _without_parameter_names(definition: Definition, parameters: Node) -> str:
    source = definition.source
    start = definition.node.start_byte
    end = definition.body_start if definition.body_start >= 0 else definition.node.end_byte
    items = []
    for parameter in parameters.named_children:
        if parameter.type == "comment":
            continue
        piece = text(parameter, source)
        name = _declared_name(parameter.child_by_field_name("declarator"), source)
        if name:
            piece = re.sub(rf"\b{re.escape(name)}\b", "", piece, count=1)
        items.append(normalized(piece))
    head = source[start : parameters.start_byte].decode("utf-8", "replace")
    tail = source[parameters.end_byte : end].decode("utf-8", "replace")
    return normalized(f"{head}({','.join(items)}){tail}")


def _declared_name(declarator: Node | None, source: bytes) -> str:
    while declarator is not None:
        if declarator.type in ("identifier", "field_identifier"):
            return text(declarator, source)
        inner = declarator.child_by_field_name("declarator")
        if inner is None:
            identifiers = [c for c in declarator.named_children if c.type == "identifier"]
            return text(identifiers[-1], source) if identifiers else ""
        declarator = inner
    return ""
