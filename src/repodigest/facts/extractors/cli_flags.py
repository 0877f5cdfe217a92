"""Command-line flags added, removed or renamed: argparse, click, typer, clap, cobra, Go's flag
package, urfave/cli, kong, and commander/yargs in JavaScript."""

from __future__ import annotations

import re
from collections.abc import Iterator

from repodigest.facts.context import CommitContext
from repodigest.facts.extractors._lines import change_of, changed_names, pair_renames
from repodigest.facts.models import Audience, Change, CliFlagFact, FileRole
from repodigest.facts.surface.model import periphery_reason

QUOTED_FLAG = re.compile(r"""["'`](--?[A-Za-z][\w-]*)["'`]""")
PYTHON_CALL = re.compile(r"\b(add_argument|option|Option|Argument)\s*\(")
PYTHON_FRAMEWORKS = {"add_argument": "argparse", "option": "click", "Option": "typer", "Argument": "typer"}
GO_FLAG = re.compile(
    r"\b(?:flag|\w*[fF]lag[sS]et|fs|flags|f)\.(?:String|Bool|Int|Int64|Uint|Uint64|Float64|Duration|"
    r"Func|Var|TextVar|StringSlice|StringArray|IntSlice)(?:Var)?P?\(\s*(?:&[\w.\[\]]+\s*,\s*)?"
    r"\"([\w][\w.-]*)\""
)
"""Go's flag package and pflag, on the global set or a FlagSet (`fs := flag.NewFlagSet(...)`)."""
COBRA = re.compile(r"Flags\(\)\.\w+\(\s*(?:&[\w.\[\]]+\s*,\s*)?\"([\w][\w.-]*)\"")
URFAVE = re.compile(r"cli\.\w+Flag\s*\{[^}]*?Name:\s*\"([\w][\w.-]*)\"")
KONG_FIELD = re.compile(r"^\s*([A-Z]\w*)\s+[\w.*\[\]]+\s+`[^`]*\bhelp:\"")
KONG_NAME = re.compile(r"\bname:\"([\w-]+)\"")
CLAP_LONG_VALUE = re.compile(r"\blong\s*=\s*\"([\w-]+)\"|\.long\(\s*\"([\w-]+)\"\s*\)")
CLAP_ATTRIBUTE = re.compile(r"#\[(?:arg|clap)\(([^\]]*)\)\]")
CLAP_FIELD = re.compile(r"^\s*(?:pub\s+)?(\w+)\s*:\s*[\w<>:,\s]+,?\s*$")
COMMANDER = re.compile(r"\.(?:option|requiredOption)\(\s*['\"`]([^'\"`]*)['\"`]")
YARGS = re.compile(r"\.option\(\s*['\"`]([\w-]+)['\"`]\s*,\s*\{")


def extract(context: CommitContext) -> Iterator[CliFlagFact]:
    for file in context.files:
        reader = READERS.get(file.language or "")
        if reader is None or file.role != FileRole.SOURCE:
            continue
        audience: Audience = "maintainer" if periphery_reason(file.path) else "user"
        added, removed = changed_names(file, reader, HINTS)
        renamed = list(pair_renames(added, removed))
        for gone, new in renamed:
            added.remove(new)
            removed.remove(gone)
            yield CliFlagFact(
                flag=new.name,
                framework=new.detail,
                change=Change.RENAMED,
                old_flag=gone.name,
                breaking=audience == "user",
                audience=audience,
                evidence=(new.evidence(file.path), gone.evidence(file.old_path)),
            )
        for found in added + removed:
            path = file.path if found in added else file.old_path
            yield CliFlagFact(
                flag=found.name,
                framework=found.detail,
                change=change_of(found),
                audience=audience,
                breaking=found in removed and audience == "user",
                evidence=(found.evidence(path),),
            )


def _python(line: str, _previous):
    call = PYTHON_CALL.search(line)
    if call:
        framework = PYTHON_FRAMEWORKS[call[1]]
        for flag in QUOTED_FLAG.findall(line[call.start() :]):
            yield flag, framework


def _go(line: str, _previous):
    for pattern, framework in ((GO_FLAG, "go-flag"), (COBRA, "cobra"), (URFAVE, "urfave-cli")):
        for name in pattern.findall(line):
            yield ("-" if framework == "go-flag" else "--") + name, framework
    field = KONG_FIELD.match(line)
    if field:
        named = KONG_NAME.search(line)
        yield "--" + (named[1] if named else _kebab(field[1])), "kong"


def _javascript(line: str, _previous):
    for spec in COMMANDER.findall(line):
        for flag in re.findall(r"--[A-Za-z][\w-]*", spec):
            yield flag, "commander"
    for name in YARGS.findall(line):
        yield "--" + name, "yargs"


def _rust(line: str, previous):
    """clap: `.long("x")`, `#[arg(long = "x")]`, or `#[arg(long)]` on the line before a field."""
    for explicit in CLAP_LONG_VALUE.findall(line):
        yield "--" + (explicit[0] or explicit[1]), "clap"
    field = CLAP_FIELD.match(line)
    if field:
        attribute = CLAP_ATTRIBUTE.search(previous())
        if attribute and re.search(r"(^|,)\s*long\s*(,|$)", attribute[1]):
            yield "--" + field[1].replace("_", "-"), "clap"


def _kebab(name: str) -> str:
    """Kong's flag name for a field: VRAMBudget → vram-budget, GRPCMaxPort → grpc-max-port."""
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1-\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", name).lower()


HINTS = (
    "add_argument",
    "option",
    "Option",
    "Argument",
    "flag.",
    "fs.",
    "flags.",
    "Set.",
    "f.String",
    "f.Bool",
    "f.Int",
    "f.Duration",
    "Flags()",
    "Flag{",
    'help:"',
    "#[arg",
    "#[clap",
    ".long(",
)
READERS = {
    "python": _python,
    "go": _go,
    "javascript": _javascript,
    "typescript": _javascript,
    "tsx": _javascript,
    "rust": _rust,
}
