"""Facts for one commit of a real fixture repository, and a check that they are grounded."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from repodigest.facts.engine import FactsEngine
from repodigest.facts.models import CommitFacts, Side
from repodigest.source.blobs import GitBlobReader
from repodigest.source.models import CommitChange
from repodigest.source.walk import walk
from support.gitrepo import GitRepo

BEFORE = "2026-03-01T10:00:00+00:00"
AFTER = "2026-03-02T10:00:00+00:00"


def commit_facts(
    root: Path,
    before: dict[str, str | bytes],
    after: dict[str, str | bytes | None],
    message: str = "change",
    renames: dict[str, str] | None = None,
    **engine,
) -> tuple[CommitFacts, CommitChange, GitRepo]:
    """Commit `before`, then apply `after` (None deletes a file) and `renames`; return the
    second commit's facts, its change, and the repository."""
    repo = GitRepo.create(root)
    repo.commit("before", BEFORE, files=before or {".keep": ""})
    for old, new in (renames or {}).items():
        repo.rename(old, new)
    for path, content in after.items():
        if content is None:
            repo.remove(path)
        else:
            repo.write(path, content)
    repo.commit(message, AFTER, allow_empty=True)
    (change,) = list(walk(root / ".git", "HEAD", datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 3, tzinfo=UTC)))
    with GitBlobReader(root / ".git") as blobs:
        facts = FactsEngine(blobs=blobs, **engine).extract(change)
    assert_grounded(facts, change, repo)
    return facts, change, repo


def assert_grounded(facts: CommitFacts, change: CommitChange, repo: GitRepo) -> None:
    """Every evidence path was touched by the commit; every line exists on its side and, when
    an excerpt is given, reads as the excerpt says."""
    touched = {d.change.path for d in change.diffs} | {d.change.old_path for d in change.diffs if d.change.old_path}
    for fact in facts.facts:
        for evidence in fact.evidence:
            assert evidence.path in touched, f"{fact.kind}: {evidence.path} not in the commit"
            if evidence.line is None:
                continue
            revision = change.commit.sha if evidence.side == Side.NEW else change.commit.parents[0]
            text = repo.show(revision, evidence.path)
            lines = text.split("\n")
            assert 1 <= evidence.line <= len(lines), f"{fact.kind}: line {evidence.line} of {evidence.path}"
            if evidence.excerpt and "‹redacted›" not in evidence.excerpt:
                assert evidence.excerpt.rstrip("…").strip() in lines[evidence.line - 1], (
                    fact,
                    lines[evidence.line - 1],
                )


def summary(facts: CommitFacts, kind: str) -> set[tuple]:
    """A compact set of what facts of one kind say, for equality assertions."""
    rows = set()
    for fact in facts.facts:
        if fact.kind != kind:
            continue
        if kind == "symbol":
            rows.add((fact.symbol, fact.change.value, fact.public, fact.breaking))
        elif kind == "cli_flag":
            rows.add((fact.flag, fact.change.value, fact.framework))
        elif kind == "env_var":
            rows.add((fact.name, fact.change.value))
        elif kind == "http_route":
            rows.add((fact.method, fact.route, fact.change.value))
        elif kind == "config_key":
            rows.add((fact.key, fact.change.value))
        elif kind == "changed_default":
            rows.add((fact.key, fact.old_value, fact.new_value, fact.top_level))
        elif kind == "dependency":
            rows.add((fact.ecosystem, fact.name, fact.change.value, fact.old_version, fact.new_version, fact.direct))
        elif kind == "security":
            rows.add(fact.rule)
        elif kind == "change_kind":
            rows.add(fact.category)
    return rows
