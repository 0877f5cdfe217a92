"""The messages sent to the model: instructions, then the facts, then as much diff as fits."""

from __future__ import annotations

from collections import Counter

from repodigest.analysis.base import AnalysisRequest
from repodigest.analysis.llm.budget import DiffExcerpt
from repodigest.analysis.llm.schema import ModelAnalysis, ModelBatch
from repodigest.analysis.models import Analysis
from repodigest.analysis.rules.labels import dependency_label, evidence_label
from repodigest.wording import Catalog

PROMPT_VERSION = "2"
MAX_MESSAGE_LINES = 30
MAX_FACT_LINES = 60
MAX_PULL_BODY_CHARS = 1200
"""Of a pull request's description in the prompt: its why is at the top, and the diff needs the room."""
MAX_LISTED_FILES = 25
"""Above this many files, only those whose diff is shown are listed; the rest are counted by folder."""
FOLDER_DEPTH = 2
MAX_FOLDERS = 12

SYSTEM = """You review commits for a daily engineering report. Maintainers, operators and users read it
to decide what to act on. Write every text value in {language}.
{answer_shape}
Fields:
- change_types: the kinds of change, the main one first (feat, fix, perf, refactor, docs, test, ci,
  build, deps, chore, style, revert, security, change).
- importance: "high" for breaking changes, security-sensitive changes and new user-facing features;
  "low" for docs, tests, CI and small maintenance; "medium" otherwise. importance_reason: why, in one
  sentence.
- summary: 1-4 sentences: what changed, how, and why it matters.
- impact_scope: the components affected, one item each, in words, naming files or modules.
- insights: one entry per dimension (architecture, performance, security, compatibility,
  maintainability, operations, testing) where something true and useful can be said, each with one
  or more points.
- risks: what could go wrong: severity (high, medium, low), a title of a few words, the text (what
  happens, to whom, when), and optional points (the cases, conditions or things to check).
- suggestions: what a reader should do: audience (users, operators, developers, reviewers,
  security), the text, and why in a few words.
- conclusion: for high-importance commits, 1-3 sentences weighing the change as a whole; else "".
How much to write follows the DEPTH line of each commit:
- DEPTH high: impact scope per component; insights in every dimension that applies, 2-3 points each;
  every real risk with its points; suggestions for each audience concerned; a conclusion.
- DEPTH medium: a 2-3 sentence summary, impact scope, the 2-4 insights that matter, real risks,
  suggestions.
- DEPTH low: a 1-2 sentence summary; the lists only when something is worth saying.
Write as much as is true and useful, never filler: an empty list is better than a guess.
Rules:
- The FACTS were extracted from the diff by tools and are correct. Use them; do not contradict them.
- Name only files, functions, types, flags, environment variables and packages that appear in the
  FACTS, the MESSAGE or the DIFF, and put them in `backticks`. Never guess names, paths or versions.
- State no number (version, percentage, size, duration, count) that is not in the commit.
- Plain sentences inside every string: no Markdown headings, lists, tables, bold or links."""

SINGLE_SHAPE = "Answer with one JSON object with the fields below, nothing else."
BATCH_SHAPE = (
    'Answer with one JSON object {"analyses": [...]}, nothing else: one entry per COMMIT, '
    "with its short sha in `sha` and the fields below."
)

OUTPUT_TOKENS = {"high": 2200, "medium": 1300, "low": 500}
"""Room to answer by the rules' importance: the reference's high sections are 1,000-2,100 tokens
of prose, plus the JSON around it."""
LANGUAGE_FACTOR = {"zh": 1.5, "en": 1.0}
"""Chinese needs more tokens for the same content in most tokenizers."""


def output_room(language: str, importance: str, configured: int | None) -> int:
    """The max_tokens of the first attempt: the configured figure, else sized by importance and
    language so that a faithful answer is not cut off."""
    if configured:
        return configured
    return int(OUTPUT_TOKENS.get(importance, OUTPUT_TOKENS["medium"]) * LANGUAGE_FACTOR.get(language, 1.0))


def system_message(language: str, batch: bool = False) -> dict:
    shape = BATCH_SHAPE if batch else SINGLE_SHAPE
    return {"role": "system", "content": SYSTEM.format(language=language_name(language), answer_shape=shape)}


def answer_schema(batch: bool = False) -> dict:
    """Sent once per request, as `response_format` (or added to the system message by the client
    when the server takes no schema)."""
    return (ModelBatch if batch else ModelAnalysis).model_json_schema()


def commit_block(request: AnalysisRequest, baseline: Analysis, excerpt: DiffExcerpt) -> str:
    commit, facts = request.commit, request.facts
    message = "\n".join(commit.message.splitlines()[:MAX_MESSAGE_LINES])
    lines = [
        f"COMMIT {commit.short_sha} in {request.repository.name} by {commit.author.name}",
        *(
            ["PROJECT (for orientation; name only what the commit contains):", request.context]
            if request.context
            else []
        ),
        "MESSAGE:",
        message,
        *_pull_lines(commit.pull_requests),
        f"FILES ({len(commit.files)}):",
        *_file_lines(commit, {f.path: f.role.value for f in facts.files}, excerpt),
        "FACTS:",
        *(_fact_lines(facts) or ["  (none beyond the file list)"]),
        f"RULES-BASED VIEW: type {baseline.change_type}, importance {baseline.importance.value}"
        + (f" because {'; '.join(baseline.importance_reasons)}" if baseline.importance_reasons else ""),
        f"DEPTH: {baseline.importance.value}",
    ]
    if excerpt.omitted or excerpt.partial:
        lines.append(
            "NOT SHOWN (skipped or over budget): "
            + _names_or_folders(excerpt.omitted)
            + (" | PARTLY SHOWN: " + _names_or_folders(excerpt.partial) if excerpt.partial else "")
        )
    lines += ["DIFF:", excerpt.text or "  (no text diff)"]
    return "\n".join(lines)


def _pull_lines(pulls) -> list[str]:
    """The pull requests the commit came from (only with pull-request context): why it was made."""
    lines = []
    for pull in pulls:
        lines.append(f"PULL REQUEST #{pull.number}: {pull.title}")
        if pull.labels:
            lines.append(f"  labels: {', '.join(pull.labels)}")
        if pull.linked_issues:
            lines.append(f"  closes issues: {', '.join(f'#{n}' for n in pull.linked_issues)}")
        body = " ".join(pull.body.split())
        if body:
            lines.append(
                f"  description: {body[:MAX_PULL_BODY_CHARS]}" + (" …" if len(body) > MAX_PULL_BODY_CHARS else "")
            )
    return lines


def _file_lines(commit, roles: dict, excerpt: DiffExcerpt) -> list[str]:
    """Every file on its own line for a small commit; for a large one the files whose diff is
    shown, and the others counted by folder, so that the list does not eat the budget."""

    def line(c) -> str:
        return f"  {c.path} [{roles.get(c.path, 'other')}, {c.status.value}, +{c.added}/-{c.removed}]"

    if len(commit.files) <= MAX_LISTED_FILES:
        return [line(c) for c in commit.files]
    shown = set(excerpt.seen + excerpt.partial)
    listed = [c for c in commit.files if c.path in shown][:MAX_LISTED_FILES]
    rest = [c for c in commit.files if c not in listed]
    return [line(c) for c in listed] + [f"  {folder}/ ({summary})" for folder, summary in _by_folder(rest)]


def _by_folder(changes) -> list[tuple[str, str]]:
    """(folder, "n files: k modified, ..., +a/-r"), largest first; folders of two levels, or of
    one when two would make too many lines."""
    groups = _grouped(changes, FOLDER_DEPTH)
    if len(groups) > MAX_FOLDERS:
        groups = _grouped(changes, 1)
    rows = []
    for folder, members in sorted(groups.items(), key=lambda item: -len(item[1])):
        statuses = Counter(c.status.value for c in members)
        kinds = ", ".join(f"{n} {status}" for status, n in statuses.most_common())
        rows.append(
            (
                folder,
                f"{len(members)} files: {kinds}, +{sum(c.added for c in members)}/-{sum(c.removed for c in members)}",
            )
        )
    return rows


def _grouped(changes, depth: int) -> dict[str, list]:
    groups: dict[str, list] = {}
    for change in changes:
        groups.setdefault("/".join(change.path.split("/")[:-1][:depth]) or ".", []).append(change)
    return groups


def _names_or_folders(paths: list[str]) -> str:
    if len(paths) <= MAX_LISTED_FILES:
        return ", ".join(paths)
    counts = Counter("/".join(p.split("/")[:-1][:FOLDER_DEPTH]) or "." for p in paths)
    if len(counts) > MAX_FOLDERS:
        counts = Counter(p.split("/")[0] if "/" in p else "." for p in paths)
    return f"{len(paths)} files in " + ", ".join(f"{folder}/ ({n})" for folder, n in counts.most_common())


def user_message(blocks: list[str]) -> dict:
    return {"role": "user", "content": "\n\n".join(blocks)}


def _fact_lines(facts) -> list[str]:
    lines = []
    for fact in facts.facts:
        where = evidence_label(fact.evidence[0])
        if fact.kind == "symbol":
            extra = " BREAKING" if fact.breaking else ""
            lines.append(
                f"  {fact.language} {fact.symbol_kind} `{fact.symbol}` {fact.change.value}"
                f"{' (public)' if fact.public else ''}{extra} at {where}"
            )
        elif fact.kind == "dependency":
            lines.append(
                f"  dependency {dependency_label(fact)} [{fact.ecosystem}, {'direct' if fact.direct else 'lockfile'}]"
            )
        elif fact.kind == "security":
            lines.append(f"  security ({fact.severity}) {fact.title} at {where}")
        elif fact.kind == "change_kind":
            lines.append(f"  kind: {fact.category}" + (f" of {fact.reverts}" if fact.reverts else ""))
        elif fact.kind == "changed_default":
            lines.append(
                f"  changed default ({fact.source}) `{fact.key}`: {fact.old_value} → {fact.new_value} at {where}"
            )
        else:  # every other kind; not all of them have a `change`
            change = getattr(fact, "change", None)
            lines.append(
                f"  {fact.kind.replace('_', ' ')} `{fact.label}`{f' {change.value}' if change else ''}"
                f"{' BREAKING' if getattr(fact, 'breaking', False) else ''} at {where}"
            )
        if len(lines) >= MAX_FACT_LINES:
            lines.append(f"  ... and {len(facts.facts) - MAX_FACT_LINES} more facts")
            break
    return lines


def language_name(language: str) -> str:
    """The report's language as the model is told it (wording: [llm] language_name)."""
    return Catalog(language).text("llm", "language_name")
