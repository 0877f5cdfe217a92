"""`repodigest run --analyzer llm` end to end: cached re-runs cost nothing, failures show in the
report and the exit code, and the key never leaves the environment."""

import json
import os
from pathlib import Path

from support.cli import run_cli
from support.day_fixture import DAY, build_day_repo
from support.fault_server import FaultServer

KEY = "sk-live-" + "k" * 40


def _config(tmp_path: Path, repo: Path, base_url: str, **llm) -> Path:
    extra = "".join(f"{k} = {json.dumps(v)}\n" for k, v in llm.items())
    config = tmp_path / "repodigest.toml"
    config.write_text(
        f'output = "{tmp_path / "out"}"\nanalyzer = "llm"\nlanguage = "en"\n'
        f'[[repositories]]\npath = "{repo}"\nname = "acme/demo"\n'
        f'[llm]\nbase_url = "{base_url}"\nmodel = "test-model"\napi_key_env = "TEST_LLM_KEY"\n'
        f"timeout = 1.0\nmax_retries = 1\nbatch_small_commits = false\n{extra}"
    )
    return config


def test_a_rerun_makes_no_call_and_the_footer_counts_tokens(tmp_path):
    day_repo = build_day_repo(tmp_path / "demo")
    with (server := FaultServer()).serve():
        config = _config(tmp_path, day_repo.path, server.base_url)
        first = run_cli("run", "--config", str(config), "--date", DAY, env={"TEST_LLM_KEY": KEY})
        calls = len(server.server.requests)
        second = run_cli("run", "--config", str(config), "--date", DAY, env={"TEST_LLM_KEY": KEY})
    assert first.code == 0 and second.code == 0, first.stderr + second.stderr
    assert calls == len(day_repo.expected) and len(server.server.requests) == calls
    assert f"llm: {calls} calls" in first.stderr
    assert "9 cached" in second.stderr
    markdown = (tmp_path / "out/2026/demo/2026-02-27.md").read_text()
    assert "LLM calls" in markdown and "🤖 Model: `test-model`" in markdown


def test_failures_over_the_allowed_share_exit_1_and_are_marked(tmp_path):
    day_repo = build_day_repo(tmp_path / "demo")
    with (server := FaultServer(["500"] * 100)).serve():
        config = _config(tmp_path, day_repo.path, server.base_url, max_failure_share=0.2)
        result = run_cli("run", "--config", str(config), "--date", DAY, env={"TEST_LLM_KEY": KEY})
    assert result.code == 1
    markdown = (tmp_path / "out/2026/demo/2026-02-27.md").read_text()
    assert markdown.count("The LLM analysis did not complete") == len(day_repo.expected)
    data = json.loads((tmp_path / "out/2026/demo/2026-02-27.json").read_text())
    assert all(
        c["analysis"]["fallback"] == "the model server answered HTTP 500, also on retries" for c in data["commits"]
    )
    assert data["accounting"]["failures"] == len(day_repo.expected)
    count = len(day_repo.expected)
    assert f"{count} of {count} analyses fell back: over the 20% failure share" in result.stderr


def test_the_key_never_appears_in_logs_reports_or_state(tmp_path):
    day_repo = build_day_repo(tmp_path / "demo")
    with (server := FaultServer(["500", "ok"] * 20)).serve():
        config = _config(tmp_path, day_repo.path, server.base_url, day_summary=True)
        result = run_cli("run", "--config", str(config), "--date", DAY, "-v", env={"TEST_LLM_KEY": KEY})
    assert server.server.requests[0].headers["authorization"] == f"Bearer {KEY}"  # it was used...
    everything = result.stdout + result.stderr
    files = b"".join(p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file())
    state = b"".join(p.read_bytes() for p in Path(os.environ["REPODIGEST_HOME"]).rglob("*") if p.is_file())
    assert KEY not in everything and KEY.encode() not in files and KEY.encode() not in state  # ...and never shown


def test_a_remote_endpoint_without_a_key_is_bad_input(tmp_path):
    day_repo = build_day_repo(tmp_path / "demo")
    config = _config(tmp_path, day_repo.path, "https://api.deepseek.com/v1")
    result = run_cli("run", "--config", str(config), "--date", DAY, env={"TEST_LLM_KEY": ""})
    assert result.code == 2
    assert "needs an API key in the environment variable TEST_LLM_KEY" in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_day_summary_is_written_from_the_analyses_and_cached(tmp_path):
    day_repo = build_day_repo(tmp_path / "demo")
    with (server := FaultServer()).serve():
        config = _config(tmp_path, day_repo.path, server.base_url, day_summary=True)
        result = run_cli("run", "--config", str(config), "--date", DAY, env={"TEST_LLM_KEY": KEY})
        assert result.code == 0, result.stderr
        last = server.server.requests[-1].json()
        calls = len(server.server.requests)
        again = run_cli("run", "--config", str(config), "--date", DAY, env={"TEST_LLM_KEY": KEY})
    assert "opening paragraph of a daily engineering report" in last["messages"][0]["content"]
    assert "@@" not in last["messages"][1]["content"]  # analyses, not diffs
    assert "> **🗞️ The day in brief**" in (tmp_path / "out/2026/demo/2026-02-27.md").read_text()
    assert again.code == 0 and len(server.server.requests) == calls  # the re-run asked nothing, summary included


def test_the_day_summary_cites_commits_by_sha_and_every_request_is_counted(tmp_path):
    day_repo = build_day_repo(tmp_path / "demo")
    with (server := FaultServer()).serve():
        config = _config(tmp_path, day_repo.path, server.base_url, day_summary=True)
        result = run_cli("run", "--config", str(config), "--date", DAY, env={"TEST_LLM_KEY": KEY})
    assert result.code == 0, result.stderr
    data = json.loads((tmp_path / "out/2026/demo/2026-02-27.json").read_text())
    summary = (tmp_path / "out/2026/demo/2026-02-27.md").read_text().split("The day in brief**")[1].splitlines()[0]
    assert any(f"`{c['sha'][:7]}`" in summary for c in data["commits"])
    assert f"llm: {len(server.server.requests)} calls" in result.stderr


def test_a_day_summary_with_nothing_grounded_is_cached_and_a_cut_off_one_is_logged(tmp_path):
    day_repo = build_day_repo(tmp_path / "demo")
    analyses = len(day_repo.expected)
    with (server := FaultServer(["ok"] * analyses + ["ungrounded"])).serve():
        config = _config(tmp_path, day_repo.path, server.base_url, day_summary=True)
        first = run_cli("run", "--config", str(config), "--date", DAY, env={"TEST_LLM_KEY": KEY})
        asked = len(server.server.requests)
        again = run_cli("run", "--config", str(config), "--date", DAY, env={"TEST_LLM_KEY": KEY})
    assert first.code == again.code == 0 and asked == analyses + 1 and len(server.server.requests) == asked
    assert "the day summary was not written: every sentence named something not in the day" in first.stderr


def test_a_cut_off_day_summary_is_logged_with_its_reason(tmp_path):
    day_repo = build_day_repo(tmp_path / "demo")
    analyses = len(day_repo.expected)
    with (server := FaultServer(["ok"] * analyses + ["length", "length"])).serve():
        config = _config(tmp_path, day_repo.path, server.base_url, day_summary=True)
        cut = run_cli("run", "--config", str(config), "--date", DAY, env={"TEST_LLM_KEY": KEY})
    assert "the day summary was not written: the answer was cut off, also with 1050 tokens of room" in cut.stderr
    summaries = [r.json() for r in server.server.requests if "opening paragraph" in r.json()["messages"][0]["content"]]
    assert [r["max_tokens"] for r in summaries] == [700, 1050]
    assert f"llm: {len(server.server.requests)} calls" in cut.stderr
