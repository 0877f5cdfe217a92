"""Environment variables the code starts or stops reading: os.environ / os.getenv, std::env,
os.Getenv / LookupEnv, `env:"..."` struct tags, process.env, getenv, System.getenv."""

from __future__ import annotations

import re
from collections.abc import Iterator

from repodigest.facts.context import CommitContext
from repodigest.facts.extractors._lines import change_of, changed_names
from repodigest.facts.models import Audience, EnvVarFact, FileRole
from repodigest.facts.surface.model import periphery_reason

NAME = r"([A-Za-z_][A-Za-z0-9_]*)"
PATTERNS = {
    "python": [
        rf"os\.environ\s*\[\s*['\"]{NAME}['\"]",
        rf"environ\.get\(\s*['\"]{NAME}['\"]",
        rf"os\.getenv\(\s*['\"]{NAME}['\"]",
        rf"environ\.setdefault\(\s*['\"]{NAME}['\"]",
    ],
    "rust": [rf"env::var(?:_os)?\(\s*\"{NAME}\"", rf"\b(?:option_)?env!\(\s*\"{NAME}\""],
    "go": [rf"os\.(?:Getenv|LookupEnv)\(\s*\"{NAME}\"", rf"viper\.BindEnv\([^)]*\"{NAME}\"\s*\)"],
    "javascript": [
        rf"process\.env\.{NAME}",
        rf"process\.env\[\s*['\"`]{NAME}['\"`]\s*\]",
        rf"import\.meta\.env\.{NAME}",
    ],
    "c": [rf"\bgetenv\(\s*\"{NAME}\""],
    "java": [rf"System\.getenv\(\s*\"{NAME}\""],
}
PATTERNS["typescript"] = PATTERNS["tsx"] = PATTERNS["javascript"]
PATTERNS["cpp"] = PATTERNS["c"]
COMPILED = {language: [re.compile(p) for p in patterns] for language, patterns in PATTERNS.items()}
GO_ENV_TAG = re.compile(r"\benv:\"([A-Z0-9_,]+)\"")
HINTS = (
    "environ",
    "getenv",
    "Getenv",
    "LookupEnv",
    "env::var",
    "env!",
    "process.env",
    "import.meta.env",
    'env:"',
    "BindEnv",
)


def extract(context: CommitContext) -> Iterator[EnvVarFact]:
    for file in context.files:
        patterns = COMPILED.get(file.language or "")
        if patterns is None or file.role != FileRole.SOURCE:
            continue
        added, removed = changed_names(file, _reader(patterns, file.language == "go"), HINTS)
        for found in added + removed:
            path = file.path if found in added else file.old_path
            audience = _audience(file.path, found)
            yield EnvVarFact(
                name=found.name,
                change=change_of(found),
                breaking=found in removed and audience == "user",
                audience=audience,
                evidence=(found.evidence(path),),
            )


BUILD_TIME = re.compile(
    r"^(?:CARGO_\w*|CI|GITHUB_\w+|RUNNER_\w+|OUT_DIR|TARGET|HOST|PROFILE|RUSTC\w*|PYTEST_\w+|"
    r"BUILDKITE\w*|GITLAB_\w+|TRAVIS\w*|JENKINS\w*|DEBIAN_FRONTEND)$"
)
TEST_CODE = re.compile(r"#\[cfg\(test\)\]|#\[test\]|\bdef test_|\bfunc Test|\bdescribe\(|\bit\(")


def _audience(path: str, found) -> Audience:
    """Build-time, CI and test variables, and anything read by developer tooling, are the
    maintainers' business: users never set them."""
    if periphery_reason(path) or BUILD_TIME.match(found.name) or "env!(" in found.text or TEST_CODE.search(found.text):
        return "maintainer"
    return "user"


def _reader(patterns: list[re.Pattern], go_tags: bool):
    def read(line: str, _previous):
        for pattern in patterns:
            for name in pattern.findall(line):
                yield name, ""
        if go_tags:
            for names in GO_ENV_TAG.findall(line):
                for name in names.split(","):
                    if name:
                        yield name, ""

    return read
