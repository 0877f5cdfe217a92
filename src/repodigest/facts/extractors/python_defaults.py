"""Python defaults that are not assignments on a line of their own: a command-line option's
`default=` (argparse, click, typer) and the field defaults of public configuration classes
(dataclasses, pydantic models, attrs classes). Users who never pass the option or set the field
get the new value on upgrade.

Read with the standard library's `ast` on both sides of the file, so layout, comments, quotes and
the order of keywords or fields never read as a change. Configuration modules (`config.py`,
`settings/`) are left to code_defaults, which reads their assignments line by line, so that one
changed value is one fact.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from repodigest.facts.context import CommitContext, FileContext
from repodigest.facts.excerpts import excerpt
from repodigest.facts.extractors.code_defaults import MAX_VALUE, config_module
from repodigest.facts.models import DefaultFact, Evidence, FileRole, Side
from repodigest.facts.surface import ProjectView, surface_of
from repodigest.facts.surface.model import periphery_reason
from repodigest.source.models import FileStatus

OPTION_CALLS = {"add_argument": "argparse", "option": "click", "Option": "typer", "Argument": "typer"}
CLASS_DECORATORS = {"dataclass", "define", "frozen", "mutable", "s", "attrs", "dataclasses.dataclass"}
MODEL_BASES = {"BaseModel", "BaseSettings"}
CONFIG_NAMES = ("config", "settings", "options", "params", "parameters", "args", "arguments", "defaults")
FIELD_CALLS = {"field", "Field", "ib", "attrib"}
MAX_FACTS_PER_FILE = 12


@dataclass(frozen=True)
class Default:
    key: str
    value: str
    """The default as source text (`ast.unparse`), the same for any layout."""
    shape: str
    """`ast.dump` of the default: equal shapes mean equal values."""
    line: int


def extract(context: CommitContext) -> Iterator[DefaultFact]:
    project = context.project or ProjectView(context.commit.sha, None)
    for file in context.files:
        if file.language != "python" or file.role != FileRole.SOURCE or periphery_reason(file.path):
            continue
        if file.diff.change.status in (FileStatus.ADDED, FileStatus.DELETED) or not file.lines:
            continue
        yield from _file_facts(file, project)


def _file_facts(file: FileContext, project: ProjectView) -> list[DefaultFact]:
    if file.old_text is None or file.new_text is None:
        return []
    classes = not config_module(file.path) and surface_of("python", file.path, project, file.new_bytes).public is True
    # Kept per version (this commit's old one is the next commit's new one): the defaults are a
    # few names, the parse they come from the cost.
    kind = f"python-defaults:{classes}"
    before = file.parse_side("old", kind, lambda text: _defaults(text, classes))
    after = file.parse_side("new", kind, lambda text: _defaults(text, classes))
    if before is None or after is None:
        return []
    lines = (file.new_text or "").split("\n")
    facts = []
    for key, now in after.items():
        was = before.get(key)
        if was is None or was.shape == now.shape:
            continue
        facts.append(
            DefaultFact(
                key=key,
                old_value=excerpt(was.value, MAX_VALUE),
                new_value=excerpt(now.value, MAX_VALUE),
                source="flag" if key.startswith("-") else "code",
                top_level=DefaultFact.flips(was.value, now.value),
                evidence=(
                    Evidence(path=file.path, line=now.line, side=Side.NEW, excerpt=excerpt(lines[now.line - 1])),
                ),
            )
        )
    return facts[:MAX_FACTS_PER_FILE]


def _defaults(text: str, classes: bool) -> dict[str, Default] | None:
    """The file's defaults; None when it is not Python that parses."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    return defaults_of(tree, classes)


def defaults_of(tree: ast.Module, classes: bool) -> dict[str, Default]:
    found: dict[str, Default] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            found.update(_option(node))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found.update(_typer_parameters(node))
        elif classes and isinstance(node, ast.ClassDef) and _config_class(node):
            found.update(_fields(node))
    return found


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _flags(call: ast.Call) -> list[str]:
    return [
        a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str) and a.value[:1] == "-"
    ]


def _option(call: ast.Call) -> dict[str, Default]:
    """`add_argument("--x", default=…)`, `click.option("--x", default=…)`, `typer.Option(3, "--x")`."""
    if _callee(call) not in OPTION_CALLS:
        return {}
    flags = _flags(call)
    value = _keyword(call, "default")
    if value is None and _callee(call) in ("Option", "Argument") and call.args:
        first = call.args[0]
        value = None if _is_flag(first) else first
    if not flags or value is None or _is_ellipsis(value):
        return {}
    return {_long(flags): _default(_long(flags), value)}


def _typer_parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, Default]:
    """`x: Annotated[int, typer.Option("--x")] = 3`: the option's default is the parameter's."""
    found = {}
    arguments = function.args
    positional = arguments.posonlyargs + arguments.args
    with_defaults = positional[len(positional) - len(arguments.defaults) :]
    pairs = list(zip(with_defaults, arguments.defaults, strict=True)) + [
        (a, d) for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True) if d is not None
    ]
    for argument, value in pairs:
        option = _annotated_option(argument.annotation)
        if option is None or _is_ellipsis(value):
            continue
        flags = _flags(option)
        key = _long(flags) if flags else "--" + argument.arg.replace("_", "-")
        found[key] = _default(key, value)
    return found


def _annotated_option(annotation: ast.expr | None) -> ast.Call | None:
    if not isinstance(annotation, ast.Subscript) or not isinstance(annotation.slice, ast.Tuple):
        return None
    for item in annotation.slice.elts[1:]:
        if isinstance(item, ast.Call) and _callee(item) in ("Option", "Argument"):
            return item
    return None


def _config_class(node: ast.ClassDef) -> bool:
    """A dataclass, attrs class or pydantic model that is public and named as configuration."""
    if node.name.startswith("_") or not any(word in node.name.lower() for word in CONFIG_NAMES):
        return False
    decorators = {ast.unparse(d.func if isinstance(d, ast.Call) else d).split(".")[-1] for d in node.decorator_list}
    bases = {ast.unparse(b).split(".")[-1] for b in node.bases}
    return bool(decorators & CLASS_DECORATORS or bases & MODEL_BASES)


def _fields(node: ast.ClassDef) -> dict[str, Default]:
    found = {}
    for statement in node.body:
        if not (isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)):
            continue
        value = statement.value
        if value is None or statement.target.id.startswith("_"):
            continue
        if isinstance(value, ast.Call) and _callee(value) in FIELD_CALLS:
            value = _field_default(value)
        if value is not None and not _is_ellipsis(value):
            key = f"{node.name}.{statement.target.id}"
            found[key] = _default(key, value)
    return found


def _field_default(call: ast.Call) -> ast.expr | None:
    """`field(default=…)`, `Field(…)` (its first argument), `attr.ib(default=…)`; a
    `default_factory=list` reads as `list()`."""
    value = _keyword(call, "default")
    if value is None and _callee(call) == "Field" and call.args:
        value = call.args[0]
    factory = _keyword(call, "default_factory") or _keyword(call, "factory")
    if value is None and factory is not None:
        return ast.Call(func=factory, args=[], keywords=[], lineno=factory.lineno, col_offset=factory.col_offset)
    return value


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _is_flag(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value[:1] == "-"


def _is_ellipsis(node: ast.expr) -> bool:
    """`...` marks a required option or field: it has no default."""
    return isinstance(node, ast.Constant) and node.value is Ellipsis


def _long(flags: list[str]) -> str:
    return next((f for f in flags if f.startswith("--")), flags[0])


def _default(key: str, value: ast.expr) -> Default:
    return Default(key=key, value=ast.unparse(value), shape=ast.dump(value), line=value.lineno)
