"""A failed step is named: an extractor that raises (a bug) costs the commit some facts, and its
section, the JSON, the run summary and the exit code all say so; the other commits are whole."""

import json
import subprocess
import sys

from support.gitrepo import GitRepo

RUN_WITH_A_BROKEN_EXTRACTOR = """
import sys
from repodigest.facts import extractors

def broken():
    def extract(context):
        if any(f.path == "src/broken.py" for f in context.files):
            raise RuntimeError("boom")
        return []
    return extract

extractors.EXTRACTORS["broken"] = broken
from repodigest.cli import main
sys.argv = ["repodigest", *sys.argv[1:]]
main()
"""


def test_a_failing_extractor_is_named_in_the_section_json_summary_and_exit_code(tmp_path):
    repo = GitRepo.create(tmp_path / "demo")
    repo.commit("init", "2026-03-01T10:00:00+08:00", files={"src/app.py": "def a():\n    return 1\n"})
    repo.commit("feat: broken", "2026-03-02T10:00:00+08:00", files={"src/broken.py": "def b():\n    return 1\n"})
    repo.commit("feat: fine", "2026-03-02T11:00:00+08:00", files={"src/app.py": "def a():\n    return 2\n"})
    out = tmp_path / "out"
    arguments = ["run", "--repo", str(repo.path), "--date", "2026-03-02", "--out", str(out), "--lang", "en"]
    done = subprocess.run(
        [sys.executable, "-c", RUN_WITH_A_BROKEN_EXTRACTOR, *arguments],
        capture_output=True,
        text=True,
        env={"REPODIGEST_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin", "REPODIGEST_WORKERS": "0"},
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "facts of 1 of 2 commits incomplete" in done.stderr
    assert "Traceback" not in done.stderr
    (markdown,) = out.rglob("*.md")
    assert markdown.read_text("utf-8").count("⚠️ Facts incomplete: `broken` failed") == 1
    (document,) = out.rglob("*.json")
    failures = {c["subject"]: c["facts_failures"] for c in json.loads(document.read_text("utf-8"))["commits"]}
    assert failures == {"feat: broken": [{"extractor": "broken", "error": "RuntimeError"}], "feat: fine": []}
