"""The facts engine keeps only grounded facts and survives a failing extractor."""

from repodigest.facts.engine import FactsEngine
from repodigest.facts.extractors import EXTRACTORS
from repodigest.facts.models import EnvVarFact, Evidence, ExtractorFailure, FileNote
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
    assert facts.files[0].note is None  # the failure is the extractor's, not the file's


def _noting(context):
    yield FileNote(path=context.files[0].path, note="read by a toy")
    yield EnvVarFact(name="SEEN", change="added", evidence=(Evidence(path=context.files[0].path, line=1),))
    raise KeyError("toy bug")


def test_a_failure_is_recorded_once_on_the_commit_with_its_extractor_name(tmp_path):
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"a.py": "x = 1\n", "b.py": "y = 1\n"},
        {"a.py": "x = 2\n", "b.py": "y = 2\n"},
        extractors={"noting": lambda: _noting, "broken": lambda: _broken},
    )
    assert facts.failures == (
        ExtractorFailure(extractor="noting", error="KeyError"),
        ExtractorFailure(extractor="broken", error="RuntimeError"),
    )
    assert [f.note for f in facts.files] == ["read by a toy", None]  # what it yielded before failing stands
    assert summary(facts, "env_var") == {("SEEN", "added")}


def _first(context):
    yield FileNote(path="a.py", note="first", public_surface=True, surface_reason="toy")
    yield FileNote(path="a.py", parsed=True)


def _second(context):
    yield FileNote(path="a.py", note="second")


def test_notes_an_extractor_yields_reach_the_file_facts_in_order(tmp_path):
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"a.py": "x = 1\n", "b.py": "y = 1\n"},
        {"a.py": "x = 2\n", "b.py": "y = 2\n"},
        extractors={"first": lambda: _first, "second": lambda: _second},
    )
    by_path = {f.path: f for f in facts.files}
    assert by_path["a.py"].model_dump(include={"parsed", "note", "public_surface", "surface_reason"}) == {
        "parsed": True,
        "note": "second",
        "public_surface": True,
        "surface_reason": "toy",
    }
    assert (by_path["b.py"].parsed, by_path["b.py"].note) == (False, None)
    assert facts.failures == ()


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
