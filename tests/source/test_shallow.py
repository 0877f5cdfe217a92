"""A shallow clone (a CI checkout with fetch-depth 1, `git clone --depth N`): the boundary commit
is not reported as adding the whole tree, and the report and the summary say the history is cut."""

import json
import subprocess

from support.cli import run_cli
from support.fault_server import FaultServer
from support.gitrepo import GitRepo

DAY = "2026-03-02"


def _shallow_clone(tmp_path, depth: int) -> tuple[GitRepo, list[str]]:
    origin = GitRepo.create(tmp_path / "origin")
    shas = [
        origin.commit(
            "feat: a big first tree",
            "2026-03-01T10:00:00+00:00",
            files={f"pkg/module_{i}.py": f"def api_{i}(token, password):\n    return {i}\n" for i in range(40)},
        ),
        origin.commit("fix: guard the zero case", "2026-03-02T09:00:00+00:00", files={"pkg/module_1.py": "x = 1\n"}),
        origin.commit("docs: explain it", "2026-03-02T11:00:00+00:00", files={"README.md": "# demo\n"}),
    ]
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", f"--depth={depth}", f"file://{origin.path}", str(clone)], check=True)
    return GitRepo(path=clone), shas


def _run(repo: GitRepo, tmp_path, day: str = DAY):
    out = tmp_path / "out"
    result = run_cli("run", "--repo", str(repo.path), "--date", day, "--tz", "UTC", "--lang", "en", "--out", str(out))
    assert result.code == 0, result.stderr
    document = json.loads((out / day[:4] / "clone" / f"{day}.json").read_text())
    markdown = (out / day[:4] / "clone" / f"{day}.md").read_text()
    return result, document, markdown


def test_the_boundary_commit_is_history_cut_with_no_files_and_no_facts(tmp_path):
    repo, shas = _shallow_clone(tmp_path, depth=2)  # the clone ends at "fix: guard the zero case"
    result, document, markdown = _run(repo, tmp_path)
    by_sha = {c["sha"]: c for c in document["commits"]}
    boundary = by_sha[shas[1]]
    assert boundary["files"] == [] and boundary["importance"] == "low"
    assert boundary["importance_reasons"] == ["history cut (shallow clone): diff unknown"]
    assert boundary["analysis"]["summary"].startswith("History cut: diff unknown.")
    assert by_sha[shas[2]]["files"][0]["path"] == "README.md"  # the commit after the cut is complete
    assert document["history_cut"] == [shas[1][:7]]
    assert f"history ends at {shas[1][:7]}" in markdown and "git fetch --unshallow" in markdown
    assert f"history cut at {shas[1][:7]}" in result.stderr
    assert "security" not in json.dumps(boundary).lower()  # nothing invented from the whole tree


def test_a_day_before_the_cut_says_it_may_be_missing_commits(tmp_path):
    repo, shas = _shallow_clone(tmp_path, depth=1)  # a CI checkout: only the newest commit
    result, document, markdown = _run(repo, tmp_path, day="2026-03-01")
    assert document["commits"] == []
    assert document["history_cut"] == [shas[2][:7]]
    assert "this day may lack some" in markdown
    assert f"history cut at {shas[2][:7]}" in result.stderr


def test_a_complete_clone_has_no_note_and_a_day_after_the_cut_neither(tmp_path):
    repo, _ = _shallow_clone(tmp_path, depth=5)  # deeper than the history: not shallow at all
    result, document, markdown = _run(repo, tmp_path)
    assert document["history_cut"] == [] and "shallow" not in markdown and "history cut" not in result.stderr
    shallow, _ = _shallow_clone(tmp_path / "again", depth=2)
    _, later, _ = _run(shallow, tmp_path / "again", day="2026-03-03")
    assert later["history_cut"] == []


def test_a_model_is_never_asked_about_the_boundary_commit(tmp_path):
    repo, shas = _shallow_clone(tmp_path, depth=2)
    with (server := FaultServer()).serve():
        config = tmp_path / "repodigest.toml"
        config.write_text(
            f'output = "{tmp_path / "out"}"\nanalyzer = "llm"\nlanguage = "en"\ntimezone = "UTC"\n'
            f'[[repositories]]\npath = "{repo.path}"\n[llm]\nbase_url = "{server.base_url}"\nmodel = "m"\n'
            'api_key_env = "KEY"\n',
            encoding="utf-8",
        )
        result = run_cli("run", "--config", str(config), "--date", DAY, env={"KEY": "sk-test-0000"})
    assert result.code == 0, result.stderr
    asked = [r for r in server.server.requests if r.path == "/v1/chat/completions"]
    assert len(asked) == 1 and shas[1][:7] not in asked[0].body.decode()  # only the commit after the cut
    document = json.loads((tmp_path / "out" / "2026" / "clone" / f"{DAY}.json").read_text())
    boundary = next(c for c in document["commits"] if c["sha"] == shas[1])
    assert boundary["analysis"]["summary"].startswith("History cut: diff unknown.")
