"""The JSON digest: its schema is published and current, and documents validate against it."""

import json
from pathlib import Path

import pytest

from repodigest.render.digest_json import JsonDigest

SCHEMA = Path(__file__).parents[2] / "docs" / "digest.schema.json"
GOLDEN = Path(__file__).parents[1] / "golden" / "week-2026-W09.en.json"


def test_published_schema_is_current():
    assert json.loads(SCHEMA.read_text()) == JsonDigest.model_json_schema(), (
        "run `repodigest schema --digest > docs/digest.schema.json`"
    )


def test_the_golden_digest_validates_and_says_what_it_is():
    jsonschema = pytest.importorskip("jsonschema")
    data = json.loads(GOLDEN.read_text())
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    assert data["kind"] == "digest"
    assert data["period"] == {"kind": "week", "start": "2026-02-23", "end": "2026-03-01", "label": "2026-W09"}
    assert data["repositories"][0]["days"][0]["report"] == "2026-02-23.json"
