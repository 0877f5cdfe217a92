"""The generated copies of a removed CRD field in the same commit's code: an operator's Go API type
field (`AppStatus.HealthLastUpdateTime`, found by its `json:"healthLastUpdateTime"` tag), the Go
type it held when that type goes too (`TorchElasticPolicy`), the apply-configuration methods and
types generated from them (`AppStatusApplyConfiguration.WithHealthLastUpdateTime`,
`TorchElasticPolicyApplyConfiguration`), and the Python SDK models (a field with
`alias="elasticPolicy"`, a model class `TrainerV1alpha1TorchElasticPolicy` leaving its package).

Users of each copy break for the same reason as users of the field, so issue 16 makes them one
fact: they are named on the CRD field's fact (`mirrors`), never counted again. Read from the
removed lines of the diff with patterns, not a parse: the generators' output is regular, and only
declarations that the commit removes and does not add back count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from repodigest.facts.context import CommitContext, FileContext
from repodigest.facts.models import FileRole
from repodigest.facts.surface.model import periphery_reason

GO_FIELD = re.compile(r"^\s*([A-Z]\w*)\s+([\w.*\[\]]+)\s+`[^`]*json:\"(\w+)[,\"]")
GO_METHOD = re.compile(r"^func\s+\(\w+\s+\*?(\w+)\)\s+(With\w+)\(")
GO_TYPE = re.compile(r"^type\s+(\w+)\s+struct\b")
PY_FIELD = re.compile(r"^\s+(\w+)\s*:.*\balias=[\"'](\w+)[\"']")
PY_CLASS = re.compile(r"^class\s+(\w+)\b")
PY_EXPORT = re.compile(r"^from\s+[\w.]+\s+import\s+(\w+)\s*$")
MAX_MIRRORS = 8


@dataclass
class Removed:
    """Declarations the commit's Go and Python code loses (removed and not added back)."""

    go_fields: list[tuple[str, str, str]] = field(default_factory=list)
    """(struct.Field, field type's name, json name)."""
    go_methods: list[tuple[str, str]] = field(default_factory=list)
    """(Receiver.WithX, WithX)."""
    go_types: set[str] = field(default_factory=set)
    py_fields: list[tuple[str, str]] = field(default_factory=list)
    """(Class.field, alias)."""
    py_names: set[str] = field(default_factory=set)
    """Classes removed, or no longer imported by a package `__init__`."""

    def mirrors(self, json_name: str) -> tuple[str, ...]:
        """What mirrors the CRD field written `json_name` in the manifests."""
        found = [name for name, _type, tag in self.go_fields if tag == json_name]
        held = {kind for _name, kind, tag in self.go_fields if tag == json_name and kind in self.go_types}
        found += sorted(held)
        method = "With" + json_name[:1].upper() + json_name[1:]
        found += [name for name, short in self.go_methods if short == method]
        found += sorted(t for t in self.go_types for h in held if t == f"{h}ApplyConfiguration")
        found += [name for name, alias in self.py_fields if alias == json_name]
        found += sorted(n for n in self.py_names for h in held if n.endswith(h) and n != h)
        return tuple(dict.fromkeys(found))[:MAX_MIRRORS]


def removed_declarations(context: CommitContext) -> Removed:
    removed = Removed()
    added: set[str] = set()
    for file in _code(context.files):
        old_lines = (file.old_text or "").split("\n")
        for line in file.lines:
            if line.op == "+":
                added.add(line.text.strip())
            else:
                owner = _Owner(old_lines, line.old_line)
                if file.path.endswith(".go"):
                    _go(line.text, owner, removed)
                else:
                    _python(file, line.text, owner, removed)
    _drop_added_back(removed, added)
    return removed


def _code(files: Iterable[FileContext]) -> Iterable[FileContext]:
    for file in files:
        if not file.path.endswith((".go", ".py")) or file.path.endswith("_test.go"):
            continue
        if file.role in (FileRole.SOURCE, FileRole.GENERATED) and not periphery_reason(file.path):
            yield file


def _go(text: str, owner: _Owner, removed: Removed) -> None:
    if (found := GO_FIELD.match(text)) and (struct := owner.find(GO_TYPE)):
        name, kind, tag = found.groups()
        removed.go_fields.append((f"{struct}.{name}", re.split(r"[*\[\].]+", kind)[-1], tag))
    elif found := GO_METHOD.match(text):
        removed.go_methods.append((f"{found.group(1)}.{found.group(2)}", found.group(2)))
    elif found := GO_TYPE.match(text):
        removed.go_types.add(found.group(1))


def _python(file: FileContext, text: str, owner: _Owner, removed: Removed) -> None:
    if (found := PY_FIELD.match(text)) and (cls := owner.find(PY_CLASS)):
        removed.py_fields.append((f"{cls}.{found.group(1)}", found.group(2)))
    elif found := PY_CLASS.match(text):
        removed.py_names.add(found.group(1))
    elif file.path.endswith("__init__.py") and (found := PY_EXPORT.match(text)):
        removed.py_names.add(found.group(1))  # the class leaves the package's public path


@dataclass(frozen=True)
class _Owner:
    """Where a removed line was in the old file; `find` reads upwards only for a field's line."""

    lines: list[str]
    number: int | None

    def find(self, pattern: re.Pattern) -> str | None:
        """The struct or class the line was declared in."""
        for index in range(min((self.number or 1) - 1, len(self.lines) - 1), -1, -1):
            if found := pattern.match(self.lines[index]):
                return found.group(1)
        return None


def _drop_added_back(removed: Removed, added: set[str]) -> None:
    """A declaration the commit also adds (realigned, moved) is not gone."""
    joined = "\n".join(added)
    removed.go_types = {t for t in removed.go_types if f"type {t} struct" not in joined}
    removed.py_names = {n for n in removed.py_names if not re.search(rf"\b(class|import)\s+{n}\b", joined)}
    removed.go_fields = [f for f in removed.go_fields if not _field_added(f, added)]
    removed.go_methods = [m for m in removed.go_methods if not re.search(rf"\) {m[1]}\(", joined)]
    removed.py_fields = [f for f in removed.py_fields if f'alias="{f[1]}"' not in joined]


def _field_added(found: tuple[str, str, str], added: set[str]) -> bool:
    name = found[0].rsplit(".", 1)[-1]
    return any(line.startswith(name) and f'json:"{found[2]}' in line for line in added)
