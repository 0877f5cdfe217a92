"""A file whose facts may be missing (configuration that no longer parses) is said so in the
section and in the JSON, never skipped silently (issue 8)."""

import json

import pytest

from support.gitrepo import GitRepo
from support.reports import render_day

DAY = "2026-03-02"


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    repo = GitRepo.create(tmp_path_factory.mktemp("unread") / "demo")
    repo.commit(
        "Initial import",
        "2026-03-01T10:00:00+08:00",
        files={"config/config.yaml": "server:\n  port: 8080\n", "src/app.py": "def serve():\n    return 1\n"},
    )
    repo.commit(
        "feat: new server options",
        "2026-03-02T10:00:00+08:00",
        files={"config/config.yaml": "server:\n  port: [8080\n", "src/app.py": "def serve():\n    return 2\n"},
    )
    repo.commit(
        "fix: serve returns 3", "2026-03-02T11:00:00+08:00", files={"src/app.py": "def serve():\n    return 3\n"}
    )
    return repo


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("zh", "**⚠️ 未完整解析**：`config/config.yaml`（无法按配置文件读取，其中的配置项未比较）"),
        (
            "en",
            "**⚠️ Not fully read**: `config/config.yaml` "
            "(could not be read as configuration: its keys are not compared)",
        ),
    ],
)
def test_the_section_names_a_file_that_could_not_be_read(repo, language, line):
    markdown = render_day(repo.path, DAY, language=language).document("md", "demo").content
    assert markdown.count(line) == 1
    assert markdown.count("⚠️") == 1  # only the commit that broke the file, not the one that did not touch it


def test_the_json_gives_the_note_and_its_kind(repo):
    document = json.loads(render_day(repo.path, DAY).document("json", "demo").content)
    files = {f["path"]: f for commit in document["commits"] for f in commit["files"]}
    assert files["config/config.yaml"]["note_kind"] == "unreadable_configuration"
    assert files["config/config.yaml"]["note"] == "could not be read as configuration"
    assert files["src/app.py"]["note_kind"] is None
