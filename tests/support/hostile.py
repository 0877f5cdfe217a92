"""A repository written by an attacker: payloads in file names, subjects, author names and the
origin URL, as issue 9 found them (newlines that end a code span, HTML that runs in a browser,
terminal escape sequences, bidi overrides, rich markup).

Every payload, if it ever ran, sets `data-pwned` on the page's root element: the browser test
looks for that attribute in the DOM after the page has loaded and its timers have run.
"""

from __future__ import annotations

from pathlib import Path

from support.gitrepo import GitRepo

DAY = "2026-02-27"
RUN = "document.documentElement.dataset.pwned=1"
"""The code every payload tries to run (no slash, so it fits in a file name)."""

PAYLOADS = (
    f"<img src=x onerror={RUN}>",
    f"<details open ontoggle={RUN}>x</details>",
    f"<svg onload={RUN}>",
    f"<script>{RUN}</script>",
    f"<iframe srcdoc='<script>parent.{RUN}</script>'></iframe>",
    f'"><img src=x onerror={RUN}>',
    f"[click](javascript:{RUN})",
    f"<javascript:{RUN}>",
)
CONTROLS = "\x1b[31m red \x1b]0;title\x07 \x07 bell \u202e evil \u2066 isolate \x08\x7f\x85"
"""NUL is left out: git refuses it in messages and paths."""


def build_hostile_repo(path: Path) -> GitRepo:
    repo = GitRepo.create(path)
    repo.commit("Initial import", "2026-02-20T10:00:00+08:00", files={"README.md": "# demo\n"})
    # A file name that ends the inline code span with blank lines and then holds raw HTML.
    escaping_name = f"a\n\n{PAYLOADS[0]}\n\n{PAYLOADS[1]}\n\nb".replace("/", "")
    repo.commit(
        f"feat: add files\r# not a heading {PAYLOADS[3]}",
        "2026-02-27T10:00:00+08:00",
        author=("demo[/] \x1b[2J \u202eevil", "evil@example.com"),  # git refuses < > in names
        files={escaping_name: "x\n", f"src/{PAYLOADS[2].replace('/', '')}.py": "X = 1\n"},
    )
    repo.commit(
        f"fix: {CONTROLS}\n\n{PAYLOADS[4]}\n\n{PAYLOADS[6]} {PAYLOADS[7]}\n",
        "2026-02-27T11:00:00+08:00",
        files={f"docs/{CONTROLS}.md": "doc\n", "src/api.py": "def handler(x):\n    return x\n"},
    )
    # An origin URL whose newline and quote would break out of the commit link's target.
    repo.git("config", "remote.origin.url", f"https://github.com/acme/demo\n{PAYLOADS[5]}")
    return repo


def hostile_strings() -> list[str]:
    return [*PAYLOADS, CONTROLS, "demo[/]", "a\r\nb", "`code` | cell", "# heading", "---", "1. list", "> quote"]
