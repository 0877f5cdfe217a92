"""Security-sensitive changes, each naming its rule and the line that triggered it.

The rules are data (facts/security.toml): patterns over added or removed lines, limited to
files by role, language or path. Secrets are never repeated: their excerpt is redacted.
"""

from __future__ import annotations

from collections.abc import Iterator

from repodigest.facts.context import CommitContext, FileContext
from repodigest.facts.excerpts import excerpt
from repodigest.facts.models import Evidence, SecurityFact, Side
from repodigest.facts.redaction import redact
from repodigest.facts.security_rules import Rule, rules

MAX_FINDINGS_PER_RULE = 5


def extract(context: CommitContext) -> Iterator[SecurityFact]:
    found: dict[str, int] = {}
    for file in context.files:
        applicable = [rule for rule in rules() if rule.applies_to(file)]
        if not applicable:
            continue
        lowered = file.patch.lower()
        for rule in applicable:
            if rule.hint is not None and not rule.hint.search(lowered):
                continue  # none of the rule's words occur anywhere in this file's diff
            for evidence in _matches(rule, file):
                if found.get(rule.id, 0) >= MAX_FINDINGS_PER_RULE:
                    break
                found[rule.id] = found.get(rule.id, 0) + 1
                yield SecurityFact(rule=rule.id, title=rule.titles["en"], severity=rule.severity, evidence=(evidence,))


def _matches(rule: Rule, file: FileContext) -> Iterator[Evidence]:
    if rule.changed_paths is not None:
        if rule.changed_paths.match(file.path) and (file.diff.change.added or file.diff.change.removed):
            line = next((row for row in file.lines if row.op == "+"), None)
            yield Evidence(
                path=file.path,
                line=line.new_line if line else None,
                side=Side.NEW,
                excerpt=excerpt(line.text) if line else None,
            )
        return
    in_context = None
    for line, lowered in file.lowered_lines:
        pattern = rule.added if line.op == "+" else rule.removed
        if pattern is None or (rule.hint is not None and not rule.hint.search(lowered)):
            continue
        match = pattern.search(line.text)
        if match and rule.context is not None and in_context is None:
            # Read the whole file only once a line matched: most files never need it.
            in_context = bool(file.new_text and rule.context.search(file.new_text))
        if match and in_context is not False:
            text = redact(line.text) if rule.secret else line.text
            if line.op == "+":
                yield Evidence(path=file.path, line=line.new_line, side=Side.NEW, excerpt=excerpt(text or ""))
            else:
                yield Evidence(path=file.old_path, line=line.old_line, side=Side.OLD, excerpt=excerpt(text or ""))
