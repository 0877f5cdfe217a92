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
        "dependencies",
        "protobuf",
        "openapi",
        "crds",
        "releases",
        "security",
    }
    assert FactsEngine().extractors.keys() == EXTRACTORS.keys()
