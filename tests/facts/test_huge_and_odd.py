"""Huge and odd commits neither break nor stall the run: facts degrade to file level."""

import json

from support.facts import commit_facts, summary


def test_a_half_million_line_commit_with_odd_files(tmp_path):
    huge_json = json.dumps([{"id": i, "name": f"item-{i}"} for i in range(250_000)], indent=0)  # ~500k lines
    huge_python = "".join(f"def f{i}(x):\n    return x + {i}\n" for i in range(60_000))  # 120k lines, > 1 MB
    minified = "function a(b){return b*2}var c=" + ",".join(str(i) for i in range(50_000)) + ";\n"
    broken = "def ok():\n    pass\n\ndef broken(:\n    ((((\n"
    after = {
        "data/items.json": huge_json + "\n",
        "src/huge.py": huge_python,
        "static/app.min.js": minified,
        "static/app.js": minified,
        "src/broken.py": broken,
        "assets/model.bin": bytes(range(256)) * 4096,
    }
    facts, change, _ = commit_facts(tmp_path / "r", {"README.md": "x\n"}, after)
    assert sum(f.added for f in change.commit.files) > 600_000
    notes = {f.path: f.note for f in facts.files}
    assert notes["src/huge.py"] == "too large to parse"
    assert notes["static/app.js"] == "minified"
    roles = {f.path: f.role.value for f in facts.files}
    assert roles["static/app.min.js"] == "generated" and roles["assets/model.bin"] == "binary"
    assert ("ok", "added", True, False) in summary(facts, "symbol")  # the readable part of a broken file
    assert {"generated", "binary"} <= summary(facts, "change_kind")
