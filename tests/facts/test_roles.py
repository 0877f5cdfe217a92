"""The periphery's one list (roles.toml [[periphery]]): what the surface judges, the extractors
and highlights read through `periphery_reason`, and what the ranking takes as its default."""

from pathlib import Path

from repodigest.analysis.rules.importance import ImportanceRules
from repodigest.facts.roles import build_periphery_reason, periphery_folders, periphery_reason, ranked_periphery
from repodigest.facts.surface import model


def test_a_path_is_periphery_by_whole_folder_names_at_any_depth():
    assert periphery_reason("examples/demo.py") == "example code (examples/)"
    assert periphery_reason("pkg/Tools/gen.go") == "developer tooling (Tools/)"
    assert periphery_reason("tests/test_a.py") == "test code (tests/)"
    assert periphery_reason("src/author.py") is None  # not under auth/
    assert periphery_reason("testing_utils.py") is None  # a file, not a folder
    assert periphery_reason("docs") is None


def test_the_surface_judges_read_the_same_list():
    assert model.periphery_reason is periphery_reason


def test_the_ranking_defaults_to_the_list_less_the_trees_judged_by_their_role_or_that_ship():
    ranked = ranked_periphery()
    assert {"website/", "tools/", ".github/", "benchmarks/", "ci/"} <= set(ranked)
    assert not {"tests/", "testdata/", "mocks/", "contrib/"} & set(ranked)
    kept_out = {
        f
        for f, reason in periphery_folders().items()
        if reason in ("test code", "test data", "mocks", "contributed extras")
    }
    assert len(ranked) == len(periphery_folders()) - len(kept_out)


def test_packaging_trees_are_never_api_but_their_build_inputs_ship():
    assert periphery_reason("contrib/Dockerfile") == "contributed extras (contrib/)"
    assert build_periphery_reason("contrib/Dockerfile") is None
    assert build_periphery_reason(".ci/dockerfiles/Dockerfile") == "CI (.ci/)"
    assert build_periphery_reason("Dockerfile") is None
    rules = ImportanceRules.load()
    assert not rules.is_core("website/src/app.ts") and not rules.is_core("hack/gen.sh")
    assert rules.is_core("src/app.py") and rules.is_core("tests/test_a.py")


def test_a_rules_file_replaces_the_ranked_periphery_and_may_empty_it(tmp_path: Path):
    rules = tmp_path / "rules.toml"
    rules.write_text('[paths]\nperiphery = ["generated_docs/"]\n')
    custom = ImportanceRules.load(rules)
    assert custom.is_core("website/src/app.ts") and not custom.is_core("generated_docs/a.py")
    rules.write_text("[paths]\nperiphery = []\n")
    assert ImportanceRules.load(rules).is_core("examples/demo.py")
