"""Protobuf (`.proto`) wire surface: messages and their fields (name, number, type, label), enums
and their values, services and their RPCs, `reserved` ranges, compared across the commit's
`.proto` files by fully qualified name (so a message moved to another file of the same package
is not a change), and graded like buf's categories:

- error (breaks clients for sure): a field, enum value, RPC or service removed; a field's number
  or type changed, a field made `repeated` or no longer; an RPC's request, response or streaming
  changed;
- warning (may break): a field or enum value renamed (the wire is the same, JSON and generated
  code are not), a field's type changed between wire-compatible scalars (`int32` → `int64`), a
  message or enum removed (generated code loses the type, the wire does not);
- a field rename is an error when its name is on a wire too (buf's WIRE_JSON): its package is
  served as REST, a REST spec of the commit carries its JSON name, or the project's buf contract
  keeps names (see Exposure); the facts engine then judges it by the release before the commit;
- a removed RPC's removed request and response messages are named on the RPC's fact (`mirrors`):
  its callers built them, so they break with it;
- info: new messages, fields, enum values, services and RPCs (new interfaces); `reserved` added.

Parsed with proto-schema-parser, chosen over descriptors from grpcio-tools' bundled protoc after
measuring both on temporalio/api (64 files, 16k lines): protoc is faster (0.5 s against 2.2 s)
but must resolve every `import`, and a commit's `.proto` files import googleapis and buf modules
that are often not in the repository; the pure-Python parser reads one file on its own, with no
native wheel. Its AST has no line numbers, so the visitor below records them from ANTLR's tree.
Its pure-Python ANTLR lexer was nearly half of a parse (LocalAI's 56 kB backend.proto: 126 ms,
56 of them lexing); _proto_lexer.py gives the parser the same tokens sooner (lexing 16 ms, the
parse ~80 ms). The parser proper (~40 ms) and the AST (~8 ms) are the library's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

import yaml
from antlr4.error.ErrorListener import ErrorListener
from proto_schema_parser import ast
from proto_schema_parser.parser import _ASTConstructor

from repodigest.facts.context import CommitContext, FileContext
from repodigest.facts.excerpts import excerpt
from repodigest.facts.extractors.openapi import is_spec
from repodigest.facts.models import Change, Evidence, FileNote, FileNoteReason, FileRole, Side, WireFact
from repodigest.facts.surface.model import periphery_reason
from repodigest.source.models import FileStatus

MAX_FACTS = 80
PARSE_WEIGHT = 110
"""Memory of a parse per byte of source (LocalAI's backend.proto: 56 kB, its AST 6 MB)."""
WIRE_COMPATIBLE = [
    {"int32", "uint32", "int64", "uint64", "bool"},
    {"sint32", "sint64"},
    {"fixed32", "sfixed32"},
    {"fixed64", "sfixed64"},
    {"string", "bytes"},
]
"""buf's FIELD_WIRE_COMPATIBLE_TYPE groups: the bytes on the wire still decode."""
NAMED_CONTRACTS = {"WIRE_JSON", "FILE", "PACKAGE"}
"""buf's breaking categories that keep field names (all but WIRE): a project that declares one in
its buf.yaml says a rename breaks its clients."""
SPEC_SUFFIXES = (".json", ".yaml", ".yml")
PACKAGE = re.compile(r"^\s*package\s+([\w.]+)\s*;", re.MULTILINE)
MAX_SPEC_BYTES = 16_000_000


@dataclass(frozen=True)
class Element:
    element: str
    name: str
    """As users name it, without the package: `Message.field`, `Service.Method`."""
    path: str
    line: int
    detail: tuple = ()
    """field: (number, type, repeated); enum_value: (number,); rpc: (request, response)."""


@dataclass
class Schema:
    """The elements of one side of the commit's `.proto` files, by fully qualified key."""

    messages: dict[str, Element] = field(default_factory=dict)
    fields: dict[str, dict[int, Element]] = field(default_factory=dict)
    """message key → field number → field."""
    enums: dict[str, Element] = field(default_factory=dict)
    values: dict[str, dict[int, Element]] = field(default_factory=dict)
    services: dict[str, Element] = field(default_factory=dict)
    rpcs: dict[str, Element] = field(default_factory=dict)
    reserved: dict[str, dict[str, Element]] = field(default_factory=dict)
    lines: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Exposure:
    """Whether a field's name is on a wire, not only in generated code: proto3 JSON carries field
    names (buf's WIRE_JSON), so a package served as JSON/REST breaks its clients with a rename.
    Read from the commit itself (its `.proto` files' `google.api.http` options, its OpenAPI
    specs) and the project's declared buf contract; the OpenAPI texts only when a rename asks."""

    http_packages: set[str] = field(default_factory=set)
    specs: list[FileContext] = field(default_factory=list)
    contract: bool = False
    _spec_texts: list[str] | None = None

    def reason(self, package: str, field_name: str) -> str | None:
        """Why the field's name is public: `http` (its package maps RPCs to REST routes),
        `openapi` (a REST spec of the commit carries its JSON name), `buf` (the project's
        breaking contract keeps names); None when only generated code sees it."""
        if package in self.http_packages:
            return "http"
        if self.specs:
            pattern = re.compile(rf"""["']?{re.escape(json_name(field_name))}["']?\s*:""")
            if any(pattern.search(text) for text in self._texts()):
                return "openapi"
        return "buf" if self.contract else None

    def reason_for(self, package: str) -> Callable[[str], str | None]:
        return lambda field_name: self.reason(package, field_name)

    def _texts(self) -> list[str]:
        if self._spec_texts is None:
            olds = (f.texts_up_to(MAX_SPEC_BYTES)[0] for f in self.specs)
            self._spec_texts = [text for text in olds if is_spec(text)]
        return self._spec_texts


def json_name(field_name: str) -> str:
    """protoc's default JSON name: underscores dropped, the letter after each one upper-cased."""
    return re.sub(r"_+([a-zA-Z0-9]?)", lambda m: m.group(1).upper(), field_name)


def exposure(context: CommitContext, files: list[FileContext]) -> Exposure:
    found = Exposure(specs=[f for f in context.files if _openapi_spec(f)], contract=_buf_contract(context))
    for file in files:
        for text in (file.old_text, file.new_text):
            if text and "google.api.http" in text:
                package = PACKAGE.search(text)
                found.http_packages.add(package.group(1) if package else "")
    return found


def _openapi_spec(file: FileContext) -> bool:
    """A file that may be a REST spec; its content says whether it is one (read lazily)."""
    if not file.path.endswith(SPEC_SUFFIXES) or file.diff.change.binary:
        return False
    return file.role not in (FileRole.TEST, FileRole.VENDORED) and file.diff.change.status != FileStatus.ADDED


def _buf_contract(context: CommitContext) -> bool:
    text = context.project.text("buf.yaml") if context.project else None
    if not text:
        return False
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return False
    breaking = data.get("breaking") if isinstance(data, dict) else None
    use = breaking.get("use") if isinstance(breaking, dict) else None
    return isinstance(use, list) and bool(NAMED_CONTRACTS & {str(u) for u in use})


class _Raising(ErrorListener):
    def syntaxError(self, _recognizer, _offending, line, _column, message, _error):  # ANTLR names it
        raise ValueError(f"line {line}: {message}")


class _Located(_ASTConstructor):
    """proto-schema-parser's own AST builder, remembering the line each node starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}

    def visit(self, tree):
        node = super().visit(tree)
        start = getattr(tree, "start", None)
        if start is not None and not isinstance(node, str | int | float | bool | list | type(None)):
            self.lines.setdefault(id(node), start.line)
        return node


def parse(text: str) -> tuple[ast.File, dict[int, int]]:
    """The file's AST and the line of each node; ValueError on a syntax error. The steps of the
    library's `Parser.parse`, with listeners that raise: by default ANTLR prints and guesses on."""
    from antlr4 import CommonTokenStream, InputStream
    from proto_schema_parser.antlr.ProtobufParser import ProtobufParser

    from repodigest.facts.extractors._proto_lexer import FastProtobufLexer

    lexer = FastProtobufLexer(InputStream(text))
    lexer.removeErrorListeners()
    lexer.addErrorListener(_Raising())
    parser = ProtobufParser(CommonTokenStream(lexer))
    parser.removeErrorListeners()
    parser.addErrorListener(_Raising())
    visitor = _Located()
    tree = visitor.visit(parser.file_())
    return tree, visitor.lines


def extract(context: CommitContext) -> Iterator[WireFact | FileNote]:
    files = [
        f
        for f in context.files
        if f.language == "protobuf" and f.role == FileRole.SOURCE and not periphery_reason(f.path)
    ]
    if not files:
        return
    old, new = Schema(), Schema()
    for file in files:
        try:
            if file.diff.change.status != FileStatus.ADDED:
                _read(file, "old", file.old_path, old)
            if file.diff.change.status != FileStatus.DELETED:
                _read(file, "new", file.path, new)
        except (ValueError, RecursionError) as error:
            yield FileNote(
                path=file.path,
                note=f"could not be parsed as protobuf ({str(error)[:80]})",
                reason=FileNoteReason.UNREADABLE_PROTOBUF,
            )
            return
        yield FileNote(path=file.path, parsed=True)
    yield from list(compare(old, new, exposure(context, files)))[:MAX_FACTS]


def _read(file: FileContext, side: Literal["old", "new"], path: str, schema: Schema) -> None:
    tree, lines = file.parse_side(side, "protobuf", parse, weight=PARSE_WEIGHT)
    text = file.old_text if side == "old" else file.new_text
    assert text is not None  # parse_side raised otherwise
    schema.lines[path] = text.split("\n")
    package = next((e.name for e in tree.file_elements if isinstance(e, ast.Package)), "")
    for element in tree.file_elements:
        _declaration(element, package, "", path, lines, schema)


def _declaration(node, package: str, outer: str, path: str, lines: dict[int, int], schema: Schema) -> None:
    name = f"{outer}{getattr(node, 'name', '')}"
    key = f"{package}.{name}"
    line = lines.get(id(node), 1)
    if isinstance(node, ast.Message):
        schema.messages[key] = Element("message", name, path, line)
        schema.fields.setdefault(key, {})
        schema.reserved.setdefault(key, {})
        for child in node.elements:
            _member(child, package, name, key, path, lines, schema)
    elif isinstance(node, ast.Enum):
        schema.enums[key] = Element("enum", name, path, line)
        values = schema.values.setdefault(key, {})
        reserved = schema.reserved.setdefault(key, {})
        for enum_child in node.elements:
            if isinstance(enum_child, ast.EnumValue):
                values.setdefault(
                    enum_child.number, Element("enum_value", enum_child.name, path, lines.get(id(enum_child), line))
                )
            elif isinstance(enum_child, ast.EnumReserved):
                _reserved(enum_child, name, path, lines.get(id(enum_child), line), reserved)
    elif isinstance(node, ast.Service):
        schema.services[key] = Element("service", name, path, line)
        for service_child in node.elements:
            if isinstance(service_child, ast.Method):
                shape = (_stream(service_child.input_type), _stream(service_child.output_type))
                schema.rpcs[f"{key}.{service_child.name}"] = Element(
                    "rpc", f"{name}.{service_child.name}", path, lines.get(id(service_child), line), shape
                )


def _member(child, package: str, name: str, key: str, path: str, lines: dict[int, int], schema: Schema) -> None:
    line = lines.get(id(child), 1)
    if isinstance(child, ast.Field):
        repeated = child.cardinality == ast.FieldCardinality.REPEATED
        schema.fields[key][child.number] = Element(
            "field", f"{name}.{child.name}", path, line, (child.number, child.type, repeated)
        )
    elif isinstance(child, ast.MapField):
        kind = f"map<{child.key_type}, {child.value_type}>"
        schema.fields[key][child.number] = Element(
            "field", f"{name}.{child.name}", path, line, (child.number, kind, False)
        )
    elif isinstance(child, ast.OneOf):
        for member in child.elements:
            _member(member, package, name, key, path, lines, schema)
    elif isinstance(child, ast.Reserved):
        _reserved(child, name, path, line, schema.reserved[key])
    elif isinstance(child, ast.Message | ast.Enum):
        _declaration(child, package, f"{name}.", path, lines, schema)


def _reserved(node, owner: str, path: str, line: int, into: dict[str, Element]) -> None:
    for item in [*node.ranges, *(f'"{n}"' for n in node.names)]:
        into[item.replace(" ", "")] = Element("reserved", f"{owner} reserved {item}", path, line)


def _stream(message_type: ast.MessageType) -> str:
    return f"{'stream ' if message_type.stream else ''}{_short(message_type.type)}"


def _short(type_name: str) -> str:
    """`.pkg.v1.Request` and `Request` name the same message from inside the package."""
    return type_name.rsplit(".", 1)[-1]


def compare(old: Schema, new: Schema, exposed: Exposure | None = None) -> Iterator[WireFact]:
    exposed = exposed or Exposure()
    carried = _carried_by_removed_rpcs(old, new)
    for key, before in old.messages.items():
        if key not in new.messages:
            if not _within(key, carried):
                yield _fact(old, before, Change.REMOVED, breaking=True, confidence="low")
        else:
            package = key[: -len(before.name) - 1]
            yield from _fields(old, new, old.fields[key], new.fields[key], exposed.reason_for(package))
            yield from _reservations(new, old.reserved.get(key, {}), new.reserved.get(key, {}))
    for key, after in new.messages.items():
        if key not in old.messages:
            yield _fact(new, after, Change.ADDED)
    for key, before in old.enums.items():
        if key not in new.enums:
            yield _fact(old, before, Change.REMOVED, breaking=True, confidence="low")
        else:
            yield from _values(old, new, old.values[key], new.values[key], old.enums[key].name)
            yield from _reservations(new, old.reserved.get(key, {}), new.reserved.get(key, {}))
    for key, after in new.enums.items():
        if key not in old.enums:
            yield _fact(new, after, Change.ADDED)
    yield from _services(old, new, carried)


def _carried_by_removed_rpcs(old: Schema, new: Schema) -> dict[str, list[str]]:
    """Removed RPC key → the removed messages that were its request or response. buf counts a
    deleted message as a source break only (FILE category); these ones break for sure, since every
    caller of the removed RPC built the request and read the response. They are named on the
    RPC's fact, not as facts of their own."""
    removed = {key: message for key, message in old.messages.items() if key not in new.messages}
    by_short: dict[str, list[str]] = {}
    for key, message in removed.items():
        by_short.setdefault(message.name, []).append(key)
    carried: dict[str, list[str]] = {}
    for key, rpc in old.rpcs.items():
        if key in new.rpcs:
            continue
        package = key.rsplit(".", 2)[0]
        for shown in rpc.detail:
            name = shown.removeprefix("stream ")
            keys = [k for k in by_short.get(name, []) if k == f"{package}.{name}"] or by_short.get(name, [])[:1]
            carried.setdefault(key, []).extend(k for k in keys if k not in carried[key])
    return carried


def _within(key: str, carried: dict[str, list[str]]) -> bool:
    """A carried message, or one nested in it (`UnpauseRequest.ResetOperation`)."""
    return any(key == c or key.startswith(c + ".") for keys in carried.values() for c in keys)


def _fields(
    old: Schema,
    new: Schema,
    before: dict[int, Element],
    after: dict[int, Element],
    exposed: Callable[[str], str | None] = lambda _name: None,
) -> Iterator[WireFact]:
    """Fields are matched by name first (a kept name with a new number is renumbered), then by
    number (a number kept under a name that did not exist before is a rename)."""
    old_names, new_names = {e.name: e for e in before.values()}, {e.name: e for e in after.values()}
    for name, was in old_names.items():
        now = new_names.get(name)
        if now is not None:
            yield from _retyped(new, was, now)
            continue
        reused = after.get(was.detail[0])
        if reused is not None and reused.name not in old_names:
            if _short(reused.detail[1]) != _short(was.detail[1]):
                yield _fact(new, reused, Change.RENAMED, old_name=was.name, breaking=True)  # and retyped
            else:
                # The wire keeps numbers, not names; JSON and REST clients send and read names.
                why = exposed(was.name.rsplit(".", 1)[-1])
                confidence = "high" if why else "low"
                yield _fact(
                    new,
                    reused,
                    Change.RENAMED,
                    old_name=was.name,
                    breaking=True,
                    confidence=confidence,
                    name_on_wire=why,
                )
        else:
            yield _fact(old, was, Change.REMOVED, breaking=True)
    for name, now in new_names.items():
        if name not in old_names and not (now.detail[0] in before and before[now.detail[0]].name not in new_names):
            yield _fact(new, now, Change.ADDED)


def _retyped(new: Schema, was: Element, now: Element) -> Iterator[WireFact]:
    (old_number, old_type, old_repeated), (new_number, new_type, new_repeated) = was.detail, now.detail
    if old_number != new_number:
        yield _fact(new, now, Change.CHANGED, str(old_number), str(new_number), breaking=True)
    elif _short(old_type) != _short(new_type):
        compatible = any({old_type, new_type} <= group for group in WIRE_COMPATIBLE)
        confidence = "low" if compatible else "high"
        yield _fact(new, now, Change.CHANGED, old_type, new_type, breaking=True, confidence=confidence)
    elif old_repeated != new_repeated:
        label = ("repeated", "singular") if old_repeated else ("singular", "repeated")
        yield _fact(new, now, Change.CHANGED, *label, breaking=True)


def _values(old: Schema, new: Schema, before: dict[int, Element], after: dict[int, Element], enum: str):
    """Enum values, matched like fields: by name, then by number."""
    old_names = {e.name: (n, e) for n, e in before.items()}
    new_names = {e.name: (n, e) for n, e in after.items()}
    for name, (number, was) in old_names.items():
        if name in new_names:
            moved_to, now = new_names[name]
            if moved_to != number:
                yield _fact(new, _in(now, enum), Change.CHANGED, str(number), str(moved_to), breaking=True)
            continue
        reused = after.get(number)
        if reused is not None and reused.name not in old_names:
            old_name = f"{enum}.{was.name}"
            yield _fact(new, _in(reused, enum), Change.RENAMED, old_name=old_name, breaking=True, confidence="low")
        else:
            yield _fact(old, _in(was, enum), Change.REMOVED, breaking=True)
    for name, (number, now) in new_names.items():
        if name not in old_names and not (number in before and before[number].name not in new_names):
            yield _fact(new, _in(now, enum), Change.ADDED)


def _in(value: Element, enum: str) -> Element:
    return Element(value.element, f"{enum}.{value.name}", value.path, value.line)


def _reservations(new: Schema, before: dict[str, Element], after: dict[str, Element]) -> Iterator[WireFact]:
    for item, now in after.items():
        if item not in before:
            yield _fact(new, now, Change.ADDED)


def _services(old: Schema, new: Schema, carried: dict[str, list[str]]) -> Iterator[WireFact]:
    gone = {key for key in old.services if key not in new.services}
    for key in gone:
        keys = [k for rpc, ks in carried.items() if rpc.rsplit(".", 1)[0] == key for k in ks]
        mirrors = tuple(dict.fromkeys(old.messages[k].name for k in keys))
        yield _fact(old, old.services[key], Change.REMOVED, breaking=True, mirrors=mirrors)
    for key, was in old.rpcs.items():
        if key.rsplit(".", 1)[0] in gone:
            continue  # the service's removal says it once
        now = new.rpcs.get(key)
        if now is None:
            mirrors = tuple(old.messages[k].name for k in carried.get(key, []))
            yield _fact(old, was, Change.REMOVED, breaking=True, mirrors=mirrors)
        elif was.detail != now.detail:
            yield _fact(new, now, Change.CHANGED, _call(was), _call(now), breaking=True)
    for key, now in new.services.items():
        if key not in old.services:
            yield _fact(new, now, Change.ADDED)
    for key, now in new.rpcs.items():
        if key not in old.rpcs and key.rsplit(".", 1)[0] in old.services:
            yield _fact(new, now, Change.ADDED)


def _call(rpc: Element) -> str:
    request, response = rpc.detail
    return f"({request}) returns ({response})"


def _fact(
    schema: Schema,
    element: Element,
    change: Change,
    old_value: str | None = None,
    new_value: str | None = None,
    **grade,
) -> WireFact:
    side = Side.OLD if change == Change.REMOVED else Side.NEW
    lines = schema.lines.get(element.path, [])
    text = lines[element.line - 1] if 0 < element.line <= len(lines) else ""
    return WireFact(
        format="protobuf",
        element=element.element,
        name=element.name,
        change=change,
        old_value=old_value,
        new_value=new_value,
        evidence=(Evidence(path=element.path, line=element.line, side=side, excerpt=excerpt(text)),),
        **grade,
    )
