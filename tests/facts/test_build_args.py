"""Build-argument defaults of container builds as changed defaults of the image build."""

import pytest

from support.facts import commit_facts, summary

BEFORE = (
    'FROM base:1 AS build\nARG UCX_REF="v1.21.x"\nARG WITH_GDS=true\nARG PREFIX=/usr\n\n'
    'FROM build\nARG UCX_REF="v1.21.x"\n'
)


def test_a_changed_arg_default_is_a_changed_default(tmp_path):
    after = BEFORE.replace("v1.21.x", "v1.22.x").replace("WITH_GDS=true", "WITH_GDS=false")
    facts, _, _ = commit_facts(tmp_path / "r", {"contrib/Dockerfile": BEFORE}, {"contrib/Dockerfile": after})
    assert summary(facts, "changed_default") == {
        ("UCX_REF", "v1.21.x", "v1.22.x", False),
        ("WITH_GDS", "true", "false", True),
    }
    assert {f.source for f in facts.changed_defaults} == {"build-arg"}


@pytest.mark.parametrize(
    "after",
    [
        BEFORE.replace('ARG UCX_REF="v1.21.x"', "ARG UCX_REF=v1.21.x"),  # only the quoting
        BEFORE.replace("ARG PREFIX=/usr\n", "# the install prefix\nARG PREFIX=/usr\n"),  # a comment
        BEFORE.replace("ARG PREFIX=/usr", "ARG PREFIX=${BASE_PREFIX}"),  # computed: not known from the file
        BEFORE.replace('FROM build\nARG UCX_REF="v1.21.x"', 'FROM build\nARG UCX_REF="v1.23.x"').replace(
            'AS build\nARG UCX_REF="v1.21.x"', 'AS build\nARG UCX_REF="v1.22.x"'
        ),  # two stages given two defaults: which one ships is not known
    ],
    ids=["quoting", "comment", "computed", "two defaults"],
)
def test_reformatted_computed_or_ambiguous_defaults_are_nothing(tmp_path, after):
    facts, _, _ = commit_facts(tmp_path / "r", {"Dockerfile": BEFORE}, {"Dockerfile": after})
    assert summary(facts, "changed_default") == set()


@pytest.mark.parametrize("path", [".ci/dockerfiles/Dockerfile.base", "examples/Dockerfile", "test/Dockerfile"])
def test_builds_in_ci_example_and_test_trees_ship_nothing(tmp_path, path):
    facts, _, _ = commit_facts(tmp_path / "r", {path: BEFORE}, {path: BEFORE.replace("v1.21.x", "v1.22.x")})
    assert summary(facts, "changed_default") == set()
