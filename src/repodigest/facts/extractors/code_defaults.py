"""Defaults written in code: a configuration module's `STREAMING = True` → `False`, a Go
config literal's `Timeout: 30,` → `90,`, a `DEFAULT_*` constant. Where a settings, config or
defaults module (or a `DEFAULT_` name) gives a key a new value, users who never set it get the
new behaviour on upgrade.

A constant named for its role (`defaultTerminationDelay`, `DEFAULT_TIMEOUT`, `timeout_default`)
holds the default of the key users set (`terminationDelay`, `TIMEOUT`, `timeout`): the fact names
that key, and the line in its evidence shows the constant."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from repodigest.facts.context import CommitContext, FileContext
from repodigest.facts.excerpts import excerpt
from repodigest.facts.extractors._lines import COMMENT
from repodigest.facts.models import DefaultFact, Evidence, FileRole, Side
from repodigest.facts.surface.model import periphery_reason

CONFIG_WORDS = ("config", "default", "setting", "options")
ASSIGNMENT = re.compile(
    r"""^\s*(?:(?:export\s+)?(?:const|let|var|static|final|pub\s+const|const\s+val)\s+)?
        (?P<key>[A-Za-z_][\w]*)\s*(?::\s*[\w\[\]|.,\s]+?)?\s*(?P<op>=|:)\s*(?P<value>[^=].*?)\s*[,;]?\s*$""",
    re.VERBOSE,
)
DEFAULT_AFFIX = re.compile(
    r"^(?:[dD]efault(?=[A-Z])|[dD]efault_|DEFAULT_)(?=[A-Za-z])|(?<=[A-Za-z0-9])(?:_default|_DEFAULT)$"
)
GO_DURATION = re.compile(
    r"^(?:(?P<n>\d+(?:\.\d+)?)\s*\*\s*time\.(?P<unit>\w+)|time\.(?P<unit2>\w+)\s*\*\s*(?P<n2>\d+(?:\.\d+)?))$"
)
GO_UNITS = {"Nanosecond": "ns", "Microsecond": "µs", "Millisecond": "ms", "Second": "s", "Minute": "m", "Hour": "h"}
MAX_VALUE = 60
MAX_FACTS_PER_FILE = 12
NOT_DEFAULTS = {
    "description",
    "help",
    "title",
    "name",
    "names",
    "alias",
    "aliases",
    "doc",
    "docs",
    "summary",
    "examples",
    "example",
    "message",
    "msg",
    "text",
    "label",
    "group",
    "version",
    "__version__",
}
"""Keys whose values describe an option rather than set it (a `Field(description=...)` line)."""


def extract(context: CommitContext) -> Iterator[DefaultFact]:
    for file in context.files:
        if file.role == FileRole.SOURCE and file.language and not periphery_reason(file.path):
            yield from _file_defaults(file, config_module(file.path))


def config_module(path: str) -> bool:
    name = PurePosixPath(path).stem.lower()
    folders = [part.lower() for part in PurePosixPath(path).parts[:-1]]
    return any(word in name for word in CONFIG_WORDS) or any(part in ("config", "settings") for part in folders)


def _file_defaults(file: FileContext, config_module: bool) -> list[DefaultFact]:
    removed = _assignments(file, "-")
    added = _assignments(file, "+")
    facts = []
    for key, (old_value, _, _) in removed.items():
        if (
            key not in added
            or key.lower() in NOT_DEFAULTS
            or not (config_module or key.upper().startswith("DEFAULT") or DEFAULT_AFFIX.search(key))
        ):
            continue
        new_value, line, text = added[key]
        if _opens_block(old_value) and _balanced(new_value):
            old_value += "…"  # a multi-line literal replaced by a short one: `[]string{` → `[]string{}`
        if (
            readable(old_value) == readable(new_value)
            or (_not_a_value(old_value.rstrip("…")) and not old_value.endswith("…"))
            or _not_a_value(new_value)
        ):
            continue
        if _callee(old_value) != _callee(new_value):
            continue  # a different function computes it: code changed, not a value
        facts.append(
            DefaultFact(
                key=defaulted_key(key),
                old_value=excerpt(readable(old_value), MAX_VALUE),
                new_value=excerpt(readable(new_value), MAX_VALUE),
                source="code",
                top_level=DefaultFact.flips(old_value, new_value),
                evidence=(Evidence(path=file.path, line=line, side=Side.NEW, excerpt=excerpt(text)),),
            )
        )
    return facts[:MAX_FACTS_PER_FILE]


def defaulted_key(name: str) -> str:
    """The key a default constant defaults: `defaultTerminationDelay` → `terminationDelay`,
    `DEFAULT_TIMEOUT` → `TIMEOUT`, `timeout_default` → `timeout`; other names as they are."""
    key = DEFAULT_AFFIX.sub("", name)
    if key == name or not key:
        return name
    if name[0] in "dD" and not name.startswith("DEFAULT") and not key.isupper():
        key = key[0].lower() + key[1:]  # camelCase and Go's PascalCase both name a lowerCamel key
    return key


def readable(value: str) -> str:
    """A Go duration written as arithmetic (`4 * time.Hour`) as Go prints it (`4h`): the value a
    reader compares, not the expression. Hand-written: two operand orders of one expression."""
    match = GO_DURATION.match(value)
    if not match:
        return value
    unit = GO_UNITS.get(match.group("unit") or match.group("unit2") or "")
    return f"{match.group('n') or match.group('n2')}{unit}" if unit else value


def _assignments(file: FileContext, op: str) -> dict[str, tuple[str, int | None, str]]:
    """Key → (value, line, text) for keys assigned exactly once on this side of the diff."""
    seen: dict[str, tuple[str, int | None, str] | None] = {}
    for line in file.lines:
        if line.op != op or COMMENT.match(line.text):
            continue
        match = ASSIGNMENT.match(line.text)
        if not match:
            continue
        key = match.group("key")
        number = line.new_line if op == "+" else line.old_line
        seen[key] = None if key in seen else (match.group("value").strip(), number, line.text)
    return {key: value for key, value in seen.items() if value is not None}


def _not_a_value(value: str) -> bool:
    """Calls, lambdas and blocks are code, not defaults a user could have relied on."""
    return value.endswith(("(", "{", "[", "=>", ":")) or "lambda" in value or value.startswith(("func", "def"))


def _callee(value: str) -> str | None:
    match = re.match(r"^([\w.]+)\(", value)
    return match.group(1) if match else None


def _opens_block(value: str) -> bool:
    return value.endswith(("{", "[", "(")) and not value.startswith(("func", "def", "lambda"))


def _balanced(value: str) -> bool:
    return all(value.count(a) == value.count(b) for a, b in ("{}", "[]", "()"))
