"""What the OpenAPI and CRD extractors share: YAML/JSON documents that remember where each key is
written, JSON-Schema trees flattened to the paths users write (`spec.template.replicas`), the
differences between two flattenings, and one fact for copies of the same change.

Flattening goes through `properties`, `items` (`[]`), `additionalProperties` (`{}`) and the
members of `allOf`/`oneOf`/`anyOf`; a `$ref` is resolved by the caller's resolver or, without
one, kept as the property's type (`$ref Name`), so that a referenced schema is compared once,
under its own name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import yaml

from repodigest.facts.excerpts import excerpt
from repodigest.facts.extractors._json_document import JsonLines, json_data
from repodigest.facts.extractors._yaml_data import plain_data
from repodigest.facts.models import Change, Confidence, DefaultFact, Evidence, Side, WireFact, WireFormat

Path = tuple
"""Keys and indices from a document's root to a node."""
MAX_DEPTH = 24
MAX_EVIDENCE = 3


@dataclass
class Document:
    data: object
    node: yaml.Node | None
    """None for a document read as JSON: then `json_lines` finds the lines."""
    lines: list[str]
    json_lines: JsonLines | None = None

    def line(self, path: Path) -> int | None:
        """1-based line of the key (or item) at `path`; None when the path is not there."""
        if self.json_lines is not None:
            return self.json_lines.line(path)
        node, line = self.node, None
        assert node is not None  # a document has a node tree or JSON lines
        for step in path:
            if isinstance(node, yaml.MappingNode):
                found = next(((k, v) for k, v in node.value if getattr(k, "value", None) == step), None)
                if found is None:
                    return line
                line, node = found[0].start_mark.line + 1, found[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
                node = node.value[step]
                line = node.start_mark.line + 1
            else:
                return line
        return line if line is not None else node.start_mark.line + 1

    def evidence(self, path: str, pointer: Path, side: Side) -> Evidence:
        line = self.line(pointer)
        text = self.lines[line - 1] if line and line <= len(self.lines) else None
        return Evidence(path=path, line=line, side=side, excerpt=excerpt(text) if text else None)


def documents(text: str) -> list[Document]:
    """Every YAML document of the text (JSON is read as YAML), with its node tree for lines.
    Raises yaml.YAMLError on text that is neither. JSON goes through `json` where both readings
    agree (_json_document.py); libyaml composes the nodes when it is there, and _yaml_data.py
    builds plain trees' data sooner than PyYAML's constructor."""
    lines = text.split("\n")
    as_json = json_data(text)
    if as_json is not None:
        return [Document(as_json, None, lines, JsonLines(text))]
    loader = yaml.CSafeLoader(text) if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader(text)
    found = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:  # check_node said there is one
                break
            plain, data = plain_data(node, loader)
            found.append(Document(data if plain else loader.construct_document(node), node, lines))
    finally:
        loader.dispose()
    return found


@dataclass(frozen=True)
class Prop:
    type: str
    required: bool
    enum: tuple[str, ...] | None
    default: str | None
    pointer: Path


Resolver = Callable[[str], "tuple[dict, Path] | None"]


def flatten(schema: object, pointer: Path, resolve: Resolver | None = None) -> dict[str, Prop]:
    """Property path → Prop for every property below `schema` (the root itself is "")."""
    found: dict[str, Prop] = {}
    _walk(schema, pointer, "", True, resolve, found, 0, set())
    return found


def _walk(schema, pointer: Path, path: str, required: bool, resolve, found, depth: int, seen: set) -> None:
    if not isinstance(schema, dict) or depth > MAX_DEPTH:
        return
    ref = schema.get("$ref")
    if isinstance(ref, str):
        target = resolve(ref) if resolve and ref not in seen else None
        if target is None:
            found.setdefault(path, Prop(f"$ref {ref.rsplit('/', 1)[-1]}", required, None, None, pointer))
            return
        schema, pointer = target
        seen = seen | {ref}
    if path:
        found[path] = Prop(
            type=_type(schema),
            required=required,
            enum=tuple(str(v) for v in schema["enum"]) if isinstance(schema.get("enum"), list) else None,
            default=_scalar(schema["default"]) if "default" in schema else None,
            pointer=pointer,
        )
    needed = set(schema.get("required") or []) if isinstance(schema.get("required"), list) else set()
    properties = schema.get("properties")
    if isinstance(properties, dict):
        for name, child in properties.items():
            child_path = f"{path}.{name}" if path else str(name)
            _walk(child, (*pointer, "properties", name), child_path, name in needed, resolve, found, depth + 1, seen)
    if isinstance(schema.get("items"), dict):
        _walk(schema["items"], (*pointer, "items"), f"{path}[]", False, resolve, found, depth + 1, seen)
    if isinstance(schema.get("additionalProperties"), dict):
        _walk(
            schema["additionalProperties"],
            (*pointer, "additionalProperties"),
            f"{path}{{}}",
            False,
            resolve,
            found,
            depth + 1,
            seen,
        )
    for combinator in ("allOf", "oneOf", "anyOf"):
        members = schema.get(combinator)
        for index, member in enumerate(members if isinstance(members, list) else []):
            # A member's own properties belong to the same object; the member is not a level.
            _members(member, (*pointer, combinator, index), path, resolve, found, depth + 1, seen)


def _members(member, pointer: Path, path: str, resolve, found, depth: int, seen: set) -> None:
    before = dict(found)
    _walk(member, pointer, path, True, resolve, found, depth, seen)
    if path in before:
        found[path] = before[path]  # the object keeps its own type, not its member's


def _type(schema: dict) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = "|".join(sorted(str(k) for k in kind if k != "null"))
    kind = str(kind) if kind else ("object" if "properties" in schema else "")
    fmt = schema.get("format")
    return f"{kind}({fmt})" if fmt and kind else kind


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        import json

        return json.dumps(value, sort_keys=True, separators=(",", ":"))
    return str(value)


@dataclass(frozen=True)
class Difference:
    what: str
    """removed, added, type, required, enum_removed, default."""
    path: str
    before: Prop | None
    after: Prop | None
    detail: tuple[str, str] | None = None

    # Typed views for the kinds that have each part: all but `added` have `before`, all but
    # `removed` have `after`, and `type`, `enum_removed` and `default` have `detail`.
    @property
    def old(self) -> Prop:
        if self.before is None:
            raise ValueError(f"an {self.what} difference has no property before")
        return self.before

    @property
    def new(self) -> Prop:
        if self.after is None:
            raise ValueError(f"a {self.what} difference has no property after")
        return self.after

    @property
    def values(self) -> tuple[str, str]:
        if self.detail is None:
            raise ValueError(f"a {self.what} difference has no values")
        return self.detail


def differences(old: dict[str, Prop], new: dict[str, Prop]) -> Iterator[Difference]:
    """What changed between two flattenings; below a removed or added property only that property."""
    gone = [p for p in old if p not in new]
    for path in gone:
        if not _below_any(path, gone):
            yield Difference("removed", path, old[path], None)
    came = [p for p in new if p not in old]
    for path in came:
        if not _below_any(path, came):
            yield Difference("added", path, None, new[path])
    for path, before in old.items():
        after = new.get(path)
        if after is None:
            continue
        if before.type != after.type and before.type and after.type:
            yield Difference("type", path, before, after, (before.type, after.type))
        if after.required and not before.required:
            yield Difference("required", path, before, after)
        if before.enum and after.enum is not None:
            removed = [v for v in before.enum if v not in after.enum]
            if removed:
                yield Difference("enum_removed", path, before, after, (", ".join(removed), ""))
        if before.default != after.default:
            # A default added to or dropped from a property users leave out changes what they get.
            yield Difference("default", path, before, after, (_or_unset(before.default), _or_unset(after.default)))


def _or_unset(value: str | None) -> str:
    return DefaultFact.UNSET if value is None else value


class SchemaSource(Protocol):
    """A file holding a schema (an OpenAPI spec, a CRD): where its facts' evidence points."""

    doc: Document
    path: str


def wire_fact(
    format: WireFormat,
    source: SchemaSource,
    pointer: Path,
    element: str,
    name: str,
    change: Change,
    old_value: str | None = None,
    new_value: str | None = None,
    **grade: Any,
) -> WireFact:
    side = Side.OLD if change == Change.REMOVED else Side.NEW
    return WireFact(
        format=format,
        element=element,
        name=name,
        change=change,
        old_value=old_value,
        new_value=new_value,
        evidence=(source.doc.evidence(source.path, pointer, side),),
        **grade,
    )


def property_fact(
    format: WireFormat,
    difference: Difference,
    old: SchemaSource,
    new: SchemaSource,
    name: str,
    writers_break: bool,
    removed_confidence: Confidence = "high",
) -> WireFact | None:
    """One property's difference graded like oasdiff: a removed property or a changed type breaks
    those who read it; a newly required property, an optional one made required and a removed
    enum value break those who write it (`writers_break`: a request body, a CRD's spec, not its
    status). Defaults are the caller's (they are DefaultFacts); None for what breaks nobody."""
    what = difference.what
    if what == "removed":
        pointer = difference.old.pointer
        return wire_fact(
            format, old, pointer, "property", name, Change.REMOVED, breaking=True, confidence=removed_confidence
        )
    if what == "added":
        required = difference.new.required and writers_break
        value = "required" if required else None
        return wire_fact(
            format, new, difference.new.pointer, "property", name, Change.ADDED, None, value, breaking=required
        )
    if what == "type":
        pointer = difference.new.pointer
        return wire_fact(format, new, pointer, "property", name, Change.CHANGED, *difference.values, breaking=True)
    if what == "required" and writers_break:
        pointer = difference.new.pointer
        return wire_fact(format, new, pointer, "property", name, Change.CHANGED, "optional", "required", breaking=True)
    if what == "enum_removed" and writers_break:
        value = difference.values[0]
        where = (*difference.old.pointer, "enum", (difference.old.enum or ()).index(value.split(", ")[0]))
        return wire_fact(format, old, where, "property", f"{name} enum {value}", Change.REMOVED, breaking=True)
    return None


def _below_any(path: str, others: list[str]) -> bool:
    return any(path != other and (path.startswith(other + ".") or path.startswith(other + "[")) for other in others)


def merge_copies(facts: list[WireFact]) -> list[WireFact]:
    """Generated copies (a Helm chart's `crds/`, a bundle, a spec written as JSON and YAML) make
    one fact with the evidence of each copy, not one fact per copy."""
    merged: dict[tuple, WireFact] = {}
    for fact in facts:
        key = (fact.format, fact.element, fact.name, fact.change, fact.old_name, fact.old_value, fact.new_value)
        if key in merged:
            kept = merged[key]
            if len(kept.evidence) < MAX_EVIDENCE and fact.evidence[0] not in kept.evidence:
                merged[key] = kept.model_copy(update={"evidence": (*kept.evidence, fact.evidence[0])})
        else:
            merged[key] = fact
    return list(merged.values())
