"""Go modules: go.mod (direct requirements, `// indirect` ones as transitive, and the `go` and
`toolchain` lines) and go.sum."""

from __future__ import annotations

import re

from repodigest.facts.deps.pin import Pin

REQUIRE_LINE = re.compile(r"^\s*(?:require\s+)?([^\s()]+)\s+(v[^\s]+)(\s*//\s*indirect)?")
GO_LINE = re.compile(r"^(go|toolchain)\s+(\S+)\s*(?://.*)?$")


def go_mod(text: str) -> list[Pin]:
    found: list[Pin] = []
    in_block = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("require ("):
            in_block = True
            continue
        if in_block and stripped == ")":
            in_block = False
            continue
        go_line = GO_LINE.match(stripped) if not in_block else None
        if go_line:
            # `go` is the least Go every user of the module must build with; `toolchain` is the Go
            # that builds (and whose standard library runs in) the project's binaries.
            found.append(Pin(go_line[1], go_line[2]))
        elif in_block or stripped.startswith("require "):
            match = REQUIRE_LINE.match(stripped)
            if match:
                found.append(Pin(match[1], match[2], direct=not match[3]))
    return found


def go_sum(text: str) -> list[Pin]:
    found = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and not parts[1].endswith("/go.mod"):
            found.append(Pin(parts[0], parts[1], direct=False))
    return found
