"""Keeping secrets out of facts: any excerpt or value that looks like a credential is redacted
before a fact leaves the facts stage, whichever extractor produced it."""

from __future__ import annotations

from functools import cache

from repodigest.facts.models import Evidence, Fact
from repodigest.facts.security_rules import rules

REDACTED = "‹redacted›"
TEXT_FIELDS = ("old_value", "new_value", "old_signature", "new_signature")


@cache
def _secret_rules():
    return [rule for rule in rules() if rule.secret and rule.added is not None]


def redact(text: str | None) -> str | None:
    if not text:
        return text
    for rule in _secret_rules():
        if rule.hint is not None and not rule.hint.search(text.lower()):
            continue
        for match in rule.added.finditer(text):
            secret = next((g for g in reversed(match.groups()) if g and len(g) >= 8), match.group(0))
            text = text.replace(secret, REDACTED)
    return text


def redact_fact(fact: Fact) -> Fact:
    changes: dict[str, object] = {
        name: redact(getattr(fact, name))
        for name in TEXT_FIELDS
        if getattr(fact, name, None) and redact(getattr(fact, name)) != getattr(fact, name)
    }
    evidence: tuple[Evidence, ...] = tuple(
        e.model_copy(update={"excerpt": redact(e.excerpt)}) if e.excerpt and redact(e.excerpt) != e.excerpt else e
        for e in fact.evidence
    )
    if evidence != fact.evidence:
        changes["evidence"] = evidence
    return fact.model_copy(update=changes) if changes else fact
