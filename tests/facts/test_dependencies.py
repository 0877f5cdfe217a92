"""Dependency facts from every manifest and lockfile format: name, old → new, direction, and
direct or transitive — and no dependency invented from a comment or a version in prose."""

import json
from datetime import UTC

import pytest

from support.facts import commit_facts, summary


def PACKAGE_LOCK(qs):
    return (
        json.dumps(
            {
                "lockfileVersion": 3,
                "packages": {
                    "": {"name": "site"},
                    "node_modules/qs": {"version": "6.11.0"},
                    "node_modules/body-parser/node_modules/qs": {"version": qs},
                },
            },
            indent=2,
        )
        + "\n"
    )


CASES = {
    "requirements": (
        "requirements.txt",
        "requests==2.31.0\nflask>=2.0\n# torch==1.0 is a comment\n",
        "requests==2.32.3\nflask>=2.0\nhttpx==0.27.0\n# torch==2.0 is a comment\n",
        {("pypi", "requests", "upgraded", "2.31.0", "2.32.3", True), ("pypi", "httpx", "added", None, "0.27.0", True)},
    ),
    "pyproject": (
        "pyproject.toml",
        '[project]\nname="x"\ndependencies=["pydantic>=2.5", "rich==13.0"]\n',
        '[project]\nname="x"\ndependencies=["pydantic>=2.7", "rich==12.0"]\n',
        {
            ("pypi", "pydantic", "upgraded", ">=2.5", ">=2.7", True),
            ("pypi", "rich", "downgraded", "13.0", "12.0", True),
        },
    ),
    "poetry": (
        "pyproject.toml",
        '[tool.poetry.dependencies]\npython="^3.11"\nfastapi="^0.110"\n',
        '[tool.poetry.dependencies]\npython="^3.12"\nfastapi="^0.111"\n',
        {("pypi", "fastapi", "upgraded", "^0.110", "^0.111", True)},
    ),
    "cargo": (
        "Cargo.toml",
        '[dependencies]\nserde = "1.0"\ntokio = { version = "1.36", features = ["full"] }\n',
        '[dependencies]\nserde = "1.0"\ntokio = { version = "1.37", features = ["full"] }\n',
        {("cargo", "tokio", "upgraded", "1.36", "1.37", True)},
    ),
    "cargo lock": (
        "Cargo.lock",
        '[[package]]\nname = "itoa"\nversion = "1.0.9"\n',
        '[[package]]\nname = "itoa"\nversion = "1.0.11"\n',
        {("cargo", "itoa", "upgraded", "1.0.9", "1.0.11", False)},
    ),
    "go.mod": (
        "go.mod",
        "module x\n\ngo 1.22\n\nrequire (\n\tgithub.com/a/b v1.2.3\n\tgolang.org/x/net v0.20.0 // indirect\n)\n",
        "module x\n\ngo 1.22\n\nrequire (\n\tgithub.com/a/b v1.3.0\n\tgolang.org/x/net v0.23.0 // indirect\n)\n",
        {
            ("go", "github.com/a/b", "upgraded", "v1.2.3", "v1.3.0", True),
            ("go", "golang.org/x/net", "upgraded", "v0.20.0", "v0.23.0", False),
        },
    ),
    "package.json": (
        "web/package.json",
        '{"dependencies": {"react": "^18.2.0"}, "devDependencies": {"vite": "^5.0.0"}}\n',
        '{"dependencies": {"react": "^19.0.0"}, "devDependencies": {}}\n',
        {("npm", "react", "upgraded", "^18.2.0", "^19.0.0", True), ("npm", "vite", "removed", "^5.0.0", None, True)},
    ),
    "package-lock nested copy": (
        "website/package-lock.json",
        PACKAGE_LOCK("6.14.1"),
        PACKAGE_LOCK("6.14.2"),
        {("npm", "qs", "upgraded", "6.14.1", "6.14.2", False)},
    ),
    "yarn.lock": (
        "yarn.lock",
        '"@babel/core@^7.0.0":\n  version "7.24.0"\n',
        '"@babel/core@^7.0.0":\n  version "7.24.5"\n',
        {("npm", "@babel/core", "upgraded", "7.24.0", "7.24.5", False)},
    ),
    "pnpm": (
        "pnpm-lock.yaml",
        "lockfileVersion: '9.0'\npackages:\n  left-pad@1.0.0:\n    resolution: {}\n",
        "lockfileVersion: '9.0'\npackages:\n  left-pad@1.3.0:\n    resolution: {}\n",
        {("npm", "left-pad", "upgraded", "1.0.0", "1.3.0", False)},
    ),
    "dockerfile": (
        "Dockerfile",
        "FROM python:3.11-slim AS build\nFROM build\nFROM ${BASE}\n",
        "FROM python:3.12-slim AS build\nFROM build\nFROM ${BASE}\n",
        {("docker", "python", "upgraded", "3.11-slim", "3.12-slim", True)},
    ),
    "dockerfile version argument": (
        "Dockerfile",
        'ARG ENGINE_VERSION=1.4.2\nARG IMAGE_TAG="v2"\nARG BASE_TAG=${ENGINE_VERSION}-slim\nARG USER=app\nFROM x:1\n',
        'ARG ENGINE_VERSION=1.6.0\nARG IMAGE_TAG="v2"\nARG BASE_TAG=${ENGINE_VERSION}-slim\nARG USER=web\nFROM x:1\n',
        {("docker", "ENGINE_VERSION", "upgraded", "1.4.2", "1.6.0", True)},
    ),
    "dockerfile git ref argument": (
        "contrib/Dockerfile",
        'ARG UCX_REF="v1.21.x"\nARG UCX_PREFIX=/usr\nFROM x:1\n',
        'ARG UCX_REF="v1.22.x"\nARG UCX_PREFIX=/opt\nFROM x:1\n',
        {("docker", "UCX_REF", "upgraded", "v1.21.x", "v1.22.x", True)},
    ),
    "go.mod go and toolchain lines": (
        "go.mod",
        "module x\n\ngo 1.22\n\ntoolchain go1.22.3\n",
        "module x\n\ngo 1.23.0 // needs iterators\n\ntoolchain go1.23.4\n",
        {
            ("go", "go", "upgraded", "1.22", "1.23.0", True),
            ("go", "toolchain", "upgraded", "go1.22.3", "go1.23.4", True),
        },
    ),
    "cargo patch and replace": (
        "Cargo.toml",
        '[dependencies]\nserde = "1.0"\n\n[patch.crates-io]\nserde = { git = "https://x/serde", rev = "abc" }\n',
        '[dependencies]\nserde = "1.0"\n\n[patch.crates-io]\nserde = { git = "https://x/serde", rev = "def" }\n'
        '\n[replace]\n"log:0.4.20" = { path = "vendor/log" }\n',
        {
            ("cargo", "serde", "changed", "patch git abc", "patch git def", True),
            ("cargo", "log", "added", None, "replace path vendor/log", True),
        },
    ),
    "github actions": (
        ".github/workflows/ci.yml",
        "jobs:\n  t:\n    steps:\n      - uses: actions/checkout@v4\n      - uses: "
        "actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020 # v4.3.0\n",
        "jobs:\n  t:\n    steps:\n      - uses: actions/checkout@v5\n      - uses: "
        "actions/setup-node@6044e13b5dc448c55e2357c09f80417699197238 # v6.2.0\n",
        {
            ("github-actions", "actions/checkout", "upgraded", "v4", "v5", True),
            (
                "github-actions",
                "actions/setup-node",
                "upgraded",
                "v4.3.0 (49933ea5288c)",
                "v6.2.0 (6044e13b5dc4)",
                True,
            ),
        },
    ),
    "helm": (
        "charts/app/Chart.yaml",
        "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: redis\n    version: 17.0.0\n",
        "apiVersion: v2\nname: app\nversion: 1.1.0\ndependencies:\n  - name: redis\n    version: 18.1.0\n",
        {("helm", "redis", "upgraded", "17.0.0", "18.1.0", True)},
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_dependency_changes(tmp_path, case):
    path, before, after, expected = CASES[case]
    facts, _, _ = commit_facts(tmp_path / "r", {path: before}, {path: after})
    assert summary(facts, "dependency") == expected


def test_evidence_is_the_line_with_the_new_version(tmp_path):
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"requirements.txt": "a==1\nrequests==2.31.0\n"},
        {"requirements.txt": "a==1\nrequests==2.32.3\n"},
    )
    (fact,) = [f for f in facts.facts if f.kind == "dependency"]
    assert (fact.evidence[0].line, fact.evidence[0].excerpt) == (2, "requests==2.32.3")


def test_a_new_lockfile_does_not_list_every_package(tmp_path):
    facts, _, _ = commit_facts(tmp_path / "r", {}, {"Cargo.lock": '[[package]]\nname = "a"\nversion = "1.0.0"\n'})
    assert summary(facts, "dependency") == set()


def test_a_version_mentioned_in_docs_is_not_a_dependency(tmp_path):
    facts, _, _ = commit_facts(
        tmp_path / "r", {"README.md": "Needs requests==2.31\n"}, {"README.md": "Needs requests==2.32\n"}
    )
    assert summary(facts, "dependency") == set()


def test_an_unreadable_manifest_gets_a_note(tmp_path):
    facts, _, _ = commit_facts(tmp_path / "r", {"package.json": "{}\n"}, {"package.json": "{not json\n"})
    assert facts.files[0].note == "could not be read as a dependency manifest"
    assert summary(facts, "dependency") == set()


def test_submodule_pointer_move(tmp_path):
    from support.gitrepo import GitRepo

    library = GitRepo.create(tmp_path / "library")
    first = library.commit("one", "2026-01-01T00:00:00+00:00", files={"a": "1\n"})
    second = library.commit("two", "2026-01-02T00:00:00+00:00", files={"a": "2\n"})
    before = {".gitmodules": '[submodule "vendor/lib"]\n\tpath = vendor/lib\n\turl = ../library\n'}
    _facts, _, repo = commit_facts(tmp_path / "r", before, {}, message="placeholder")
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{first},vendor/lib")
    repo.git(
        "commit",
        "-q",
        "-m",
        "add submodule",
        env={"GIT_COMMITTER_DATE": "2026-03-03T00:00:00+00:00", "GIT_AUTHOR_DATE": "2026-03-03T00:00:00+00:00"},
    )
    repo.git("update-index", "--cacheinfo", f"160000,{second},vendor/lib")
    repo.git(
        "commit",
        "-q",
        "-m",
        "bump submodule",
        env={"GIT_COMMITTER_DATE": "2026-03-04T00:00:00+00:00", "GIT_AUTHOR_DATE": "2026-03-04T00:00:00+00:00"},
    )
    from datetime import datetime

    from repodigest.facts.engine import FactsEngine
    from repodigest.source.blobs import GitBlobReader
    from repodigest.source.walk import walk

    (change,) = walk(repo.path / ".git", "HEAD", datetime(2026, 3, 4, tzinfo=UTC), datetime(2026, 3, 5, tzinfo=UTC))
    with GitBlobReader(repo.path / ".git") as blobs:
        result = FactsEngine(blobs=blobs).extract(change)
    assert summary(result, "dependency") == {("git-submodule", "vendor/lib", "changed", first[:12], second[:12], True)}


def test_the_projects_own_version_bump_is_a_release_not_a_dependency(tmp_path):
    before = '[project]\nname = "demo"\nversion = "0.8.0"\ndependencies = ["httpx>=0.27"]\n'
    facts, _, _ = commit_facts(
        tmp_path / "r", {"pyproject.toml": before}, {"pyproject.toml": before.replace("0.8.0", "0.9.0")}
    )
    (release,) = [f for f in facts.facts if f.kind == "release"]
    assert release.label == "0.8.0 → 0.9.0" and release.evidence[0].line == 3
    assert not [f for f in facts.facts if f.kind == "dependency"]


def test_a_version_argument_evidence_is_its_arg_line(tmp_path):
    before = "FROM python:3.12-slim\nARG ENGINE_VERSION=1.4.2\nRUN pip install engine==${ENGINE_VERSION}\n"
    facts, _, _ = commit_facts(
        tmp_path / "r", {"docker/Dockerfile": before}, {"docker/Dockerfile": before.replace("1.4.2", "1.6.0")}
    )
    (fact,) = [f for f in facts.facts if f.kind == "dependency"]
    assert (fact.label, fact.evidence[0].line) == ("ENGINE_VERSION 1.4.2 → 1.6.0", 2)


def test_a_reformatted_dockerfile_argument_is_no_change(tmp_path):
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"Dockerfile": "ARG ENGINE_VERSION=1.4.2\nFROM x:1\n"},
        {"Dockerfile": '# the engine\nARG ENGINE_VERSION="1.4.2"\nFROM x:1\n'},
    )
    assert summary(facts, "dependency") == set()
