"""The security rules (facts/security.toml) as data: read by the security extractor, which
reports what they find, and by redaction, which hides what the secret rules match."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Literal

from repodigest.facts.globs import combined_pattern
from repodigest.facts.models import FileRole
from repodigest.wording import Catalog, languages

if TYPE_CHECKING:
    from repodigest.facts.context import FileContext


@dataclass(frozen=True)
class Rule:
    id: str
    titles: dict[str, str]
    severity: Literal["high", "medium", "low"]
    roles: frozenset[FileRole] | None
    languages: frozenset[str] | None
    paths: re.Pattern | None
    context: re.Pattern | None
    added: re.Pattern | None
    removed: re.Pattern | None
    changed_paths: re.Pattern | None
    secret: bool
    hint: re.Pattern | None
    """Words (lower case) one of which a line must contain for the rule to be tried on it."""

    def applies_to(self, file: FileContext) -> bool:
        if self.roles is not None and file.role not in self.roles:
            return False
        if self.languages is not None and file.language not in self.languages:
            return False
        return self.paths is None or bool(self.paths.match(file.path))


@cache
def rules() -> tuple[Rule, ...]:
    data = tomllib.loads(resources.files("repodigest.facts").joinpath("security.toml").read_text("utf-8"))
    return tuple(_rule(table) for table in data["rule"])


def title_of(rule_id: str, language: str) -> str | None:
    for rule in rules():
        if rule.id == rule_id:
            return rule.titles.get(language) or rule.titles.get("en")
    return None


def _titles(rule_id: str) -> dict[str, str]:
    """The rule's title in every language the wording has ([security_titles])."""
    return {language: title for language in languages() if (title := Catalog(language).security_title(rule_id))}


def _rule(table: dict) -> Rule:
    def pattern(key: str) -> re.Pattern | None:
        return re.compile(table[key]) if key in table else None

    return Rule(
        id=table["id"],
        titles=_titles(table["id"]),
        severity=table.get("severity", "medium"),
        roles=frozenset(FileRole(r) for r in table["roles"]) if "roles" in table else None,
        languages=frozenset(table["languages"]) if "languages" in table else None,
        paths=combined_pattern(table["paths"]) if "paths" in table else None,
        context=pattern("context"),
        added=pattern("added"),
        removed=pattern("removed"),
        changed_paths=combined_pattern(table["changed_paths"]) if "changed_paths" in table else None,
        secret=table.get("secret", False),
        hint=re.compile("|".join(re.escape(h) for h in table["hints"])) if table.get("hints") else None,
    )
