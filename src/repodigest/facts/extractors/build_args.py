"""Build-argument defaults of container builds: `ARG UCX_REF=v1.21.x` → `v1.22.x`.

An `ARG` default is the value every build that does not pass `--build-arg` gets, so the image
users pull changes with it: a changed default of the image build (a version argument is also a
dependency move, said by the dependencies extractor). Builds in CI, test, example, docs and
developer trees make nothing users install and are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from repodigest.facts.context import CommitContext, FileContext
from repodigest.facts.deps.containers import CONTAINER_BUILDS
from repodigest.facts.excerpts import excerpt
from repodigest.facts.globs import combined_pattern
from repodigest.facts.models import DefaultFact, Evidence, Side
from repodigest.facts.surface.model import build_periphery_reason

CONTAINER_BUILD = combined_pattern(CONTAINER_BUILDS)
ARG = re.compile(
    r"""^\s*ARG\s+(?P<name>[A-Za-z_]\w*)\s*=\s*(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)'|(?P<bare>\S+))"""
)
MAX_VALUE = 60


def extract(context: CommitContext) -> Iterator[DefaultFact]:
    for file in context.files:
        if CONTAINER_BUILD.match(file.path) and not file.diff.change.binary and not build_periphery_reason(file.path):
            yield from _changed_defaults(file)


def _changed_defaults(file: FileContext) -> Iterator[DefaultFact]:
    old, new = _defaults(file, "-"), _defaults(file, "+")
    for name, (value, line, text) in new.items():
        before = old.get(name)
        if before is None or before[0] == value:
            continue
        yield DefaultFact(
            key=name,
            old_value=excerpt(before[0], MAX_VALUE),
            new_value=excerpt(value, MAX_VALUE),
            source="build-arg",
            top_level=DefaultFact.flips(before[0], value),
            evidence=(Evidence(path=file.path, line=line, side=Side.NEW, excerpt=excerpt(text)),),
        )


def _defaults(file: FileContext, op: str) -> dict[str, tuple[str, int | None, str]]:
    """Name → (default, line, text) of the `ARG` lines on one side of the diff. A default made of
    other arguments (`${BASE}-slim`) is not known from the file alone; a name given two different
    defaults on one side (two stages) is left out rather than guessed."""
    found: dict[str, tuple[str, int | None, str] | None] = {}
    for line in file.lines:
        match = ARG.match(line.text) if line.op == op else None
        if not match:
            continue
        value = next(v for v in (match["double"], match["single"], match["bare"], "") if v is not None)
        name = match["name"]
        if "$" in value:
            continue
        number = line.new_line if op == "+" else line.old_line
        previous = found.get(name, (value, number, line.text))
        found[name] = (value, number, line.text) if previous is not None and previous[0] == value else None
    return {name: seen for name, seen in found.items() if seen is not None}
