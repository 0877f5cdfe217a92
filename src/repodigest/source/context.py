"""What a project is, in a few lines, for a model reading one of its commits: the README's first
paragraph, the package manifest's description and the top-level layout, read from the branch tip.
Built once per repository and run; a few hundred characters at most."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from repodigest.source.gitcli import run_git

READMES = ("README.md", "README.rst", "README.txt", "README", "readme.md")
MAX_PARAGRAPH = 400
MAX_ENTRIES = 25
NOISE = re.compile(r"^\s*(?:!\[|\[!\[|<|#|=+$|-+$|\.\. |\||>)")
"""Badges, images, HTML, headings, rules, directives, tables and quotes are not the description."""


def project_context(git_dir: Path, ref: str) -> str:
    entries = run_git(git_dir, "ls-tree", "--name-only", ref, check=False).split()
    lines = []
    if description := _manifest_description(git_dir, ref, entries):
        lines.append(f"description: {description}")
    if paragraph := _readme_paragraph(git_dir, ref, entries):
        lines.append(f"readme: {paragraph}")
    if entries:
        lines.append("top level: " + ", ".join(entries[:MAX_ENTRIES]) + (" …" if len(entries) > MAX_ENTRIES else ""))
    return "\n".join(lines)


def _show(git_dir: Path, ref: str, path: str) -> str:
    return run_git(git_dir, "show", f"{ref}:{path}", check=False)


def _readme_paragraph(git_dir: Path, ref: str, entries: list[str]) -> str:
    name = next((r for r in READMES if r in entries), None)
    if name is None:
        return ""
    paragraph: list[str] = []
    for line in _show(git_dir, ref, name).splitlines():
        if not line.strip() or NOISE.match(line):
            if paragraph:
                break
            continue
        paragraph.append(line.strip())
    text = " ".join(paragraph)
    return text if len(text) <= MAX_PARAGRAPH else text[:MAX_PARAGRAPH].rsplit(" ", 1)[0] + " …"


def _manifest_description(git_dir: Path, ref: str, entries: list[str]) -> str:
    try:
        if "pyproject.toml" in entries:
            return str(tomllib.loads(_show(git_dir, ref, "pyproject.toml")).get("project", {}).get("description", ""))
        if "package.json" in entries:
            return str(json.loads(_show(git_dir, ref, "package.json")).get("description", ""))
        if "Cargo.toml" in entries:
            return str(tomllib.loads(_show(git_dir, ref, "Cargo.toml")).get("package", {}).get("description", ""))
    except (ValueError, AttributeError):
        return ""
    return ""
