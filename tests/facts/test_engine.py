"""The facts engine keeps only grounded facts and survives a failing extractor."""

from repodigest.facts.engine import FactsEngine
from repodigest.facts.extractors import EXTRACTORS
from repodigest.facts.models import EnvVarFact, Evidence
from support.facts import commit_facts, summary


def _phantom(context):
    yield EnvVarFact(name="PHANTOM", change="added", evidence=(Evidence(path="not/in/the/commit.py", line=1),))
    yield EnvVarFact(name="REAL", change="added", evidence=(Evidence(path=context.files[0].path, line=1),))


def _broken(context):
    raise RuntimeError("extractor bug")
    yield  # pragma: no cover


def test_facts_naming_paths_outside_the_commit_are_dropped(tmp_path):
    facts, _, _ = commit_facts(
        tmp_path / "r", {"a.py": "x = 1\n"}, {"a.py": "x = 2\n"}, extractors={"phantom": lambda: _phantom}
    )
    assert summary(facts, "env_var") == {("REAL", "added")}


def test_a_failing_extractor_loses_nothing_else_and_is_noted(tmp_path):
    extractors = {**EXTRACTORS, "broken": lambda: _broken}
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"src/a.py": "def f():\n    pass\n"},
        {"src/a.py": "def f():\n    pass\n\n\ndef g():\n    pass\n"},
        extractors=extractors,
    )
    assert ("g", "added", True, False) in summary(facts, "symbol")
    assert facts.files[0].note == "broken failed: RuntimeError"


def test_default_registry_has_every_extractor():
    assert set(EXTRACTORS) == {
        "change_kinds",
        "symbols",
        "cli_flags",
        "env_vars",
        "routes",
        "config_keys",
        "code_defaults",
        "python_defaults",
        "build_args",
        "dependencies",
        "protobuf",
        "openapi",
        "crds",
        "releases",
        "security",
    }
    assert FactsEngine().extractors.keys() == EXTRACTORS.keys()


def test_a_break_of_what_the_last_release_lacked_is_only_a_possible_one(tmp_path):
    from datetime import UTC, datetime

    from repodigest.source.blobs import GitBlobReader
    from repodigest.source.releases import read_tags
    from repodigest.source.walk import walk
    from support.gitrepo import GitRepo

    proto = 'syntax = "proto3";\npackage p;\nmessage Order {\n  string id = 1;\n%s}\n'
    repo = GitRepo.create(tmp_path / "r")
    repo.commit("released", "2026-03-01T10:00:00+00:00", files={"api/p.proto": proto % ""})
    repo.git("tag", "-a", "v1.0.0", "-m", "v1.0.0", env={"GIT_COMMITTER_DATE": "2026-03-01T11:00:00+00:00"})
    repo.commit("add note", "2026-03-02T10:00:00+00:00", files={"api/p.proto": proto % "  string note = 2;\n"})
    repo.commit(
        "drop both", "2026-03-03T10:00:00+00:00", files={"api/p.proto": proto.replace("  string id = 1;\n", "") % ""}
    )
    (change,) = walk(repo.path / ".git", "HEAD", datetime(2026, 3, 3, tzinfo=UTC), datetime(2026, 3, 4, tzinfo=UTC))
    tags = read_tags(repo.path / ".git")
    assert [t.name for t in tags] == ["v1.0.0"]
    with GitBlobReader(repo.path / ".git") as blobs:
        facts = FactsEngine(blobs=blobs, releases=tags).extract(change)
    assert {f.label: f.confidence for f in facts.facts if f.kind == "wire"} == {"Order.id": "high", "Order.note": "low"}
    assert [f.label for f in facts.breaking] == ["Order.id"]
