"""Environment variables the code starts or stops reading: os.environ / os.getenv, std::env,
os.Getenv / LookupEnv, `env:"..."` struct tags, process.env, getenv, System.getenv."""

from __future__ import annotations

import re
from collections.abc import Iterator

from repodigest.facts.context import CommitContext
from repodigest.facts.extractors._lines import change_of, changed_names
from repodigest.facts.models import EnvVarFact, FileRole

NAME = r"([A-Za-z_][A-Za-z0-9_]*)"
PATTERNS = {
    "python": [rf"os\.environ\s*\[\s*['\"]{NAME}['\"]", rf"environ\.get\(\s*['\"]{NAME}['\"]",
               rf"os\.getenv\(\s*['\"]{NAME}['\"]", rf"environ\.setdefault\(\s*['\"]{NAME}['\"]"],
    "rust": [rf"env::var(?:_os)?\(\s*\"{NAME}\"", rf"\b(?:option_)?env!\(\s*\"{NAME}\""],
    "go": [rf"os\.(?:Getenv|LookupEnv)\(\s*\"{NAME}\"", rf"viper\.BindEnv\([^)]*\"{NAME}\"\s*\)"],
    "javascript": [rf"process\.env\.{NAME}", rf"process\.env\[\s*['\"`]{NAME}['\"`]\s*\]",
                   rf"import\.meta\.env\.{NAME}"],
    "c": [rf"\bgetenv\(\s*\"{NAME}\""],
    "java": [rf"System\.getenv\(\s*\"{NAME}\""],
}
PATTERNS["typescript"] = PATTERNS["tsx"] = PATTERNS["javascript"]
PATTERNS["cpp"] = PATTERNS["c"]
COMPILED = {language: [re.compile(p) for p in patterns] for language, patterns in PATTERNS.items()}
GO_ENV_TAG = re.compile(r"\benv:\"([A-Z0-9_,]+)\"")
HINTS = ("environ", "getenv", "Getenv", "LookupEnv", "env::var", "env!", "process.env", "import.meta.env", 'env:"',
         "BindEnv")


def extract(context: CommitContext) -> Iterator[EnvVarFact]:
    for file in context.files:
        patterns = COMPILED.get(file.language or "")
        if patterns is None or file.role != FileRole.SOURCE:
            continue
        added, removed = changed_names(file, _reader(patterns, file.language == "go"), HINTS)
        for found in added + removed:
            path = file.path if found in added else file.old_path
            yield EnvVarFact(name=found.name, change=change_of(found), breaking=found in removed,
                             evidence=(found.evidence(path),))


def _reader(patterns: list[re.Pattern], go_tags: bool):
    def read(line: str, previous):
        for pattern in patterns:
            for name in pattern.findall(line):
                yield name, ""
        if go_tags:
            for names in GO_ENV_TAG.findall(line):
                for name in names.split(","):
                    if name:
                        yield name, ""

    return read
