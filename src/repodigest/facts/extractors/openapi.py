"""OpenAPI 3 and Swagger 2 documents (YAML or JSON, recognised by their `openapi:`/`swagger:` key,
whatever the file is called), compared operation by operation and schema by schema, with local
`$ref`s resolved, and graded like oasdiff:

- error (breaks clients): an operation removed; a parameter or request property made required or
  newly required; a parameter's or property's type changed; a request enum value removed; a
  property removed from a response;
- warning (may break): a parameter removed, a property removed from a request only;
- info: new operations, parameters and properties (new interfaces).

A referenced schema is compared once, under its own name (`Order.quantity`), and graded by where
operations use it (requests, responses or both); an inline schema under its operation
(`GET /orders/{id} 200.quantity`). Paths match with their parameter names left out, so renaming
`{id}` to `{orderId}` is no change. Copies of the same change (a spec written as JSON and YAML)
are one fact.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TypeGuard

import yaml

from repodigest.facts.context import CommitContext, FileContext
from repodigest.facts.extractors._schemas import (
    Document,
    Path,
    Prop,
    differences,
    documents,
    flatten,
    merge_copies,
    property_fact,
    wire_fact,
)
from repodigest.facts.models import Change, Confidence, FileNote, FileNoteReason, FileRole, WireFact
from repodigest.facts.surface.model import periphery_reason
from repodigest.source.models import FileStatus

MARKER = re.compile(r"""(?:^|[{,])\s*["']?(?:openapi|swagger)["']?\s*:\s*["']?[23]""", re.MULTILINE)
SUFFIXES = (".yaml", ".yml", ".json")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
MAX_BYTES = 16_000_000
MAX_FACTS = 80
PARSE_WEIGHT = 20
"""Memory of a parse per byte of source (LocalAI's swagger.json: 288 kB, its YAML nodes and data 5.2 MB)."""
PATH_PARAMETER = re.compile(r"\{[^}]*\}")
PROTOBUF_SCHEMAS = {"protobufAny", "rpcStatus", "googlerpcStatus", "GoogleProtobufAny"}
"""What grpc-gateway's protoc-gen-openapiv2 and gnostic's protoc-gen-openapi always define."""


@dataclass
class Operation:
    display: str
    pointer: Path
    parameters: dict[tuple[str, str], tuple[dict, Path]] = field(default_factory=dict)
    bodies: list[tuple[str, dict, Path]] = field(default_factory=list)
    """(owner suffix, schema, pointer): `request`, or a response's status code."""


@dataclass
class Spec:
    doc: Document
    path: str

    @property
    def data(self) -> dict:
        return self.doc.data  # type: ignore[return-value]

    @property
    def schema_root(self) -> Path:
        return ("definitions",) if "swagger" in self.data else ("components", "schemas")

    def from_protobuf(self) -> bool:
        head = "\n".join(self.doc.lines[:3])
        return "protoc-gen-openapi" in head or bool(PROTOBUF_SCHEMAS & self.schemas().keys())

    def resolve(self, ref: str) -> tuple[dict, Path] | None:
        """A local `#/…` reference; references to other files are left as they are written."""
        if not ref.startswith("#/"):
            return None
        node: object = self.data
        pointer = tuple(part.replace("~1", "/").replace("~0", "~") for part in ref[2:].split("/"))
        for part in pointer:
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return (node, pointer) if isinstance(node, dict) else None

    def schemas(self) -> dict[str, tuple[dict, Path]]:
        node: object = self.data
        for part in self.schema_root:
            node = node.get(part) if isinstance(node, dict) else None
        if not isinstance(node, dict):
            return {}
        return {
            str(name): (schema, (*self.schema_root, name)) for name, schema in node.items() if isinstance(schema, dict)
        }

    def operations(self) -> dict[str, Operation]:
        found = {}
        paths = self.data.get("paths")
        for route, item in paths.items() if isinstance(paths, dict) else []:
            if not isinstance(item, dict):
                continue
            listed = item.get("parameters")
            shared = listed if isinstance(listed, list) else []
            for method in METHODS:
                operation = item.get(method)
                if not isinstance(operation, dict):
                    continue
                pointer = ("paths", route, method)
                entry = Operation(f"{method.upper()} {route}", pointer)
                listed = operation.get("parameters")
                own = listed if isinstance(listed, list) else []
                for base, parameters in ((("paths", route, "parameters"), shared), ((*pointer, "parameters"), own)):
                    for index, parameter in enumerate(parameters):
                        self._parameter(entry, parameter, (*base, index))
                self._bodies(entry, operation, pointer)
                found[f"{method.upper()} {PATH_PARAMETER.sub('{}', str(route))}"] = entry
        return found

    def _parameter(self, entry: Operation, parameter, pointer: Path) -> None:
        if isinstance(parameter, dict) and isinstance(parameter.get("$ref"), str):
            target = self.resolve(parameter["$ref"])
            if target is None:
                return
            parameter, pointer = target
        if not isinstance(parameter, dict) or "name" not in parameter:
            return
        if parameter.get("in") == "body":  # Swagger 2: the request body is a parameter
            if isinstance(parameter.get("schema"), dict):
                entry.bodies.append(("request", parameter["schema"], (*pointer, "schema")))
            return
        entry.parameters[(str(parameter.get("in")), str(parameter["name"]))] = (parameter, pointer)

    def _bodies(self, entry: Operation, operation: dict, pointer: Path) -> None:
        body = operation.get("requestBody")
        if isinstance(body, dict) and isinstance(body.get("$ref"), str):
            body = (self.resolve(body["$ref"]) or ({}, ()))[0]
        for _media_type, schema, where in _media(body, (*pointer, "requestBody")):
            entry.bodies.append(("request", schema, where))
        responses = operation.get("responses")
        for code, response in responses.items() if isinstance(responses, dict) else []:
            where = (*pointer, "responses", code)
            if isinstance(response, dict) and isinstance(response.get("$ref"), str):
                target = self.resolve(response["$ref"])
                response, where = target if target else ({}, where)
            if isinstance(response, dict) and isinstance(response.get("schema"), dict):
                entry.bodies.append((str(code), response["schema"], (*where, "schema")))
            for _media_type, schema, at in _media(response, where):
                entry.bodies.append((str(code), schema, at))


def _media(holder, pointer: Path) -> Iterator[tuple[str, dict, Path]]:
    content = holder.get("content") if isinstance(holder, dict) else None
    for media, value in content.items() if isinstance(content, dict) else []:
        if isinstance(value, dict) and isinstance(value.get("schema"), dict):
            yield str(media), value["schema"], (*pointer, "content", media, "schema")
            return  # one media type speaks for the body: JSON and XML of one schema are one change


def is_spec(text: str | None) -> TypeGuard[str]:
    return text is not None and MARKER.search(text[:4000]) is not None


def extract(context: CommitContext) -> Iterator[WireFact | FileNote]:
    facts: list[WireFact] = []
    for file in context.files:
        if not _candidate(file):
            continue
        if not (
            file.side_says("old", "openapi", is_spec, MAX_BYTES)
            and file.side_says("new", "openapi", is_spec, MAX_BYTES)
        ):
            continue  # a spec added or deleted whole is a new or retired API, said by its file
        try:
            old = _spec(file.parse_side("old", "yaml", documents, MAX_BYTES, PARSE_WEIGHT), file.old_path)
            new = _spec(file.parse_side("new", "yaml", documents, MAX_BYTES, PARSE_WEIGHT), file.path)
        except yaml.YAMLError:
            yield FileNote(
                path=file.path,
                note="could not be read as an OpenAPI document",
                reason=FileNoteReason.UNREADABLE_OPENAPI,
            )
            continue
        if old is None or new is None:
            continue
        # A spec generated from .proto files copies their messages, judged there (and, with no
        # .proto change, its schema differences come from the generator's version); only its
        # HTTP routes, from the RPCs' annotations, are its own.
        schemas = not (old.from_protobuf() or new.from_protobuf())
        if schemas:
            yield FileNote(path=file.path, parsed=True)
        else:
            yield FileNote(
                path=file.path,
                parsed=True,
                note="generated from protobuf: its schemas are judged by the .proto files",
                reason=FileNoteReason.SCHEMAS_FROM_PROTOBUF,
            )
        facts.extend(list(compare(old, new, schemas))[:MAX_FACTS])
    yield from merge_copies(facts)


def _candidate(file: FileContext) -> bool:
    if not file.path.endswith(SUFFIXES) or file.diff.change.binary:
        return False
    if file.diff.change.status in (FileStatus.ADDED, FileStatus.DELETED):
        return False
    if file.role in (FileRole.TEST, FileRole.VENDORED):
        return False
    reason = periphery_reason(file.path)
    return reason is None or reason.startswith("documentation")  # generators write specs into docs/


def _spec(found: list[Document], path: str) -> Spec | None:
    if len(found) != 1 or not isinstance(found[0].data, dict):
        return None
    return Spec(found[0], path)


def compare(old: Spec, new: Spec, schemas: bool = True) -> Iterator[WireFact]:
    """Operations always; their parameters, bodies and the component schemas when `schemas`."""
    before, after = old.operations(), new.operations()
    for key, operation in before.items():
        if key not in after:
            yield _fact(old, operation.pointer, "operation", operation.display, Change.REMOVED, breaking=True)
        elif schemas:
            yield from _operation(old, new, operation, after[key])
    for key, operation in after.items():
        if key not in before:
            yield _fact(new, operation.pointer, "operation", operation.display, Change.ADDED)
    if schemas:
        yield from _components(old, new, after)


def _operation(old: Spec, new: Spec, was: Operation, now: Operation) -> Iterator[WireFact]:
    for key, (parameter, pointer) in was.parameters.items():
        name = f"{now.display} {key[1]}"
        if key not in now.parameters:
            yield _fact(old, pointer, "parameter", name, Change.REMOVED, breaking=True, confidence="low")
            continue
        current, at = now.parameters[key]
        if current.get("required") and not parameter.get("required"):
            yield _fact(new, at, "parameter", name, Change.CHANGED, "optional", "required", breaking=True)
        was_props, now_props = _parameter_props(parameter, pointer), _parameter_props(current, at)
        yield from _schema_changes(old, new, was_props, now_props, name, {"request"})
    for key, (parameter, pointer) in now.parameters.items():
        if key not in was.parameters:
            required = bool(parameter.get("required"))
            name = f"{now.display} {key[1]}"
            yield _fact(
                new, pointer, "parameter", name, Change.ADDED, None, "required" if required else None, breaking=required
            )
    old_bodies = {owner: (schema, pointer) for owner, schema, pointer in was.bodies}
    for owner, schema, pointer in now.bodies:
        if owner in old_bodies:
            direction = "request" if owner == "request" else "response"
            was_props, now_props = flatten(*old_bodies[owner]), flatten(schema, pointer)
            yield from _schema_changes(old, new, was_props, now_props, f"{now.display} {owner}", {direction})


def _parameter_props(parameter: dict, pointer: Path) -> dict[str, Prop]:
    """A parameter's schema (OpenAPI 3) or the parameter itself (Swagger 2) as one property."""
    schema, where = (
        (parameter["schema"], (*pointer, "schema"))
        if isinstance(parameter.get("schema"), dict)
        else (parameter, pointer)
    )
    flat = flatten({"properties": {"value": schema}}, ())
    return {
        path.removeprefix("value").removeprefix("."): Prop(p.type, False, p.enum, p.default, (*where, *p.pointer[2:]))
        for path, p in flat.items()
    }


def _name(owner: str, path: str) -> str:
    if not path:
        return owner
    return f"{owner}{path}" if path.startswith(("[", "{")) else f"{owner}.{path}"


def _components(old: Spec, new: Spec, operations: dict[str, Operation]) -> Iterator[WireFact]:
    uses = _uses(new, operations)
    old_schemas = old.schemas()
    for name, (schema, pointer) in new.schemas().items():
        if name in old_schemas:
            was, now = flatten(*old_schemas[name]), flatten(schema, pointer)
            yield from _schema_changes(old, new, was, now, name, uses.get(name, set()))


def _schema_changes(
    old: Spec, new: Spec, was: dict[str, Prop], now: dict[str, Prop], owner: str, uses: set[str]
) -> Iterator[WireFact]:
    """Graded by where the schema is used: `uses` holds request, response, both or neither."""
    in_request, in_response = "request" in uses, "response" in uses
    removed_confidence: Confidence = "high" if in_response else "low"
    for difference in differences(was, now):
        name = _name(owner, difference.path)
        found = property_fact("openapi", difference, old, new, name, in_request, removed_confidence)
        if found is not None:
            yield found


def _uses(spec: Spec, operations: dict[str, Operation]) -> dict[str, set[str]]:
    """Schema name → where operations use it (request, response), through references."""
    prefix = "#/" + "/".join(spec.schema_root) + "/"
    schemas = spec.schemas()
    uses: dict[str, set[str]] = {}
    for operation in operations.values():
        roots = [("request", p[0]) for p in operation.parameters.values()]
        roots += [("request" if owner == "request" else "response", schema) for owner, schema, _ in operation.bodies]
        for direction, root in roots:
            pending = list(_refs(root))
            while pending:
                ref = pending.pop()
                if not ref.startswith(prefix):
                    continue
                name = ref[len(prefix) :]
                if direction in uses.setdefault(name, set()):
                    continue
                uses[name].add(direction)
                if name in schemas:
                    pending.extend(_refs(schemas[name][0]))
    return uses


def _refs(node) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _fact(spec: Spec, pointer: Path, element: str, name: str, change: Change, *values: str | None, **grade) -> WireFact:
    return wire_fact("openapi", spec, pointer, element, name, change, *values, **grade)
