import json
from pathlib import Path

import pytest

from repodigest.render.json_document import JsonRepositoryReport
from support.day_fixture import DAY, build_day_repo
from support.reports import render_day

SCHEMA = Path(__file__).parents[2] / "docs" / "report.schema.json"


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    day_repo = build_day_repo(tmp_path_factory.mktemp("day") / "demo")
    edition = render_day(day_repo.path, DAY)
    return day_repo, json.loads(edition.document("json", "demo").content)


def test_published_schema_is_current():
    generated = JsonRepositoryReport.model_json_schema()
    assert json.loads(SCHEMA.read_text()) == generated, "run `repodigest schema > docs/report.schema.json`"


def test_document_validates_against_the_schema(document):
    _, data = document
    JsonRepositoryReport.model_validate(data)
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))


def test_required_fields(document):
    day_repo, data = document
    assert data["date"] == DAY and data["timezone"] == "Asia/Shanghai"
    assert data["repository"] == {
        "name": "acme/demo",
        "url": "https://github.com/acme/demo",
        "branch": "main",
        "key": "demo",
    }
    assert data["stats"]["total"] == len(day_repo.expected) == len(data["commits"])
    commit = next(c for c in data["commits"] if c["subject"].startswith("refactor: rename"))
    assert commit["committed_at"] == "2026-02-27T09:30:00+01:00"
    assert commit["files"] == [
        {
            "path": "src/new_name.py",
            "status": "renamed",
            "added": 0,
            "removed": 0,
            "old_path": "src/old_name.py",
            "binary": False,
            "role": "source",
            "language": "python",
            "public_surface": True,
            "surface_reason": "package module",
            "note": None,
            "note_kind": None,
        }
    ]
    for commit in data["commits"]:
        assert commit["importance"] in ("high", "medium", "low")
        assert commit["analysis"]["summary"]
        assert commit["change_type"] == commit["analysis"]["change_type"]


def test_message_keeps_trailers_that_the_markdown_drops(document):
    _, data = document
    feature = next(c for c in data["commits"] if c["subject"].startswith("feat(router)"))
    assert "Signed-off-by: Alice Chen" in feature["message"]
