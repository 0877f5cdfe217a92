"""The messages sent to the model: instructions, then the facts, then as much diff as fits."""

from __future__ import annotations

import json

from repodigest.analysis.base import AnalysisRequest
from repodigest.analysis.llm.budget import DiffExcerpt
from repodigest.analysis.llm.schema import ModelAnalysis, ModelBatch
from repodigest.analysis.models import Analysis
from repodigest.analysis.rules.labels import dependency_label, evidence_label

PROMPT_VERSION = "1"
MAX_MESSAGE_LINES = 30
MAX_FACT_LINES = 60
LANGUAGES = {"zh": "Simplified Chinese (简体中文)", "en": "English"}

SYSTEM = """You review commits for a daily engineering report read by the team over coffee.
Write in {language}. Answer with one JSON object that matches this JSON Schema, nothing else:
{schema}
Rules:
- The FACTS were extracted from the diff by tools and are correct. Use them; do not contradict them.
- Name only files, functions, flags, environment variables and packages that appear in the FACTS or
  the DIFF. Put such names in `backticks`. Never guess names, versions or paths.
- importance: "high" for breaking changes, security-sensitive changes and new user-facing features;
  "low" for docs, tests, CI and small maintenance; "medium" otherwise. Explain in importance_reason.
- Plain sentences only: no Markdown headings, lists, tables, bold or links.
- Keep it short: summary 1-3 sentences; at most 4 insights, 3 risks, 3 suggestions; omit a list
  when there is nothing true and useful to say."""


def system_message(language: str, batch: bool = False) -> dict:
    schema = (ModelBatch if batch else ModelAnalysis).model_json_schema()
    return {"role": "system", "content": SYSTEM.format(language=LANGUAGES.get(language, "English"),
                                                        schema=json.dumps(schema, ensure_ascii=False))}


def commit_block(request: AnalysisRequest, baseline: Analysis, excerpt: DiffExcerpt) -> str:
    commit, facts = request.commit, request.facts
    message = "\n".join(commit.message.splitlines()[:MAX_MESSAGE_LINES])
    roles = {f.path: f.role.value for f in facts.files}
    files = [f"  {c.path} [{roles.get(c.path, 'other')}, {c.status.value}, +{c.added}/-{c.removed}]" for c in commit.files]
    lines = [
        f"COMMIT {commit.short_sha} in {request.repository.name} by {commit.author.name}",
        "MESSAGE:", message,
        f"FILES ({len(commit.files)}):", *files[:80],
        *(["  ..."] if len(files) > 80 else []),
        "FACTS:", *(_fact_lines(facts) or ["  (none beyond the file list)"]),
        f"RULES-BASED VIEW: type {baseline.change_type}, importance {baseline.importance.value}"
        + (f" because {'; '.join(baseline.importance_reasons)}" if baseline.importance_reasons else ""),
    ]
    if excerpt.omitted or excerpt.partial:
        lines.append("NOT SHOWN (skipped or over budget): " + ", ".join(excerpt.omitted[:40])
                     + (" | PARTLY SHOWN: " + ", ".join(excerpt.partial) if excerpt.partial else ""))
    lines += ["DIFF:", excerpt.text or "  (no text diff)"]
    return "\n".join(lines)


def user_message(blocks: list[str]) -> dict:
    return {"role": "user", "content": "\n\n".join(blocks)}


def _fact_lines(facts) -> list[str]:
    lines = []
    for fact in facts.facts:
        where = evidence_label(fact.evidence[0])
        if fact.kind == "symbol":
            extra = " BREAKING" if fact.breaking else ""
            lines.append(f"  {fact.language} {fact.symbol_kind} `{fact.symbol}` {fact.change.value}"
                         f"{' (public)' if fact.public else ''}{extra} at {where}")
        elif fact.kind == "dependency":
            lines.append(f"  dependency {dependency_label(fact)} [{fact.ecosystem}, {'direct' if fact.direct else 'lockfile'}]")
        elif fact.kind == "security":
            lines.append(f"  security ({fact.severity}) {fact.title} at {where}")
        elif fact.kind == "change_kind":
            lines.append(f"  kind: {fact.category}" + (f" of {fact.reverts}" if fact.reverts else ""))
        else:
            lines.append(f"  {fact.kind.replace('_', ' ')} `{fact.label}` {fact.change.value}"
                         f"{' BREAKING' if getattr(fact, 'breaking', False) else ''} at {where}")
        if len(lines) >= MAX_FACT_LINES:
            lines.append(f"  ... and {len(facts.facts) - MAX_FACT_LINES} more facts")
            break
    return lines
