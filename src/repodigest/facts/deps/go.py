"""Go modules: go.mod (direct requirements; `// indirect` ones count as transitive) and go.sum."""

from __future__ import annotations

import re

from repodigest.facts.deps.pin import Pin

REQUIRE_LINE = re.compile(r"^\s*(?:require\s+)?([^\s()]+)\s+(v[^\s]+)(\s*//\s*indirect)?")


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
        if in_block or stripped.startswith("require "):
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
