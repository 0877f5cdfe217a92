"""A run killed at the worst moments: the next run finishes the job with exactly one
publication per target and without analysing again what was already analysed."""

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from repodigest.state.store import StateStore
from support.day_fixture import DAY, build_day_repo
from support.fault_server import FaultServer
from support.github_api import FakeGitHub
from support.http_server import LocalServer, Response

TOKEN = "ghp_" + "C" * 36
KILLS = 10


def _start(config: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "repodigest", "run", "--config", str(config), "--date", DAY],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _kill_when(process: subprocess.Popen, condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, process.stderr.read().decode()
        assert time.monotonic() < deadline, "the run never reached the point to be killed at"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()


def test_killed_during_analysis_the_next_run_does_not_analyse_again(tmp_path):
    day_repo = build_day_repo(tmp_path / "demo")
    with (server := FaultServer(delay=0.3)).serve():
        config = tmp_path / "repodigest.toml"
        config.write_text(
            f'output = "{tmp_path / "out"}"\nanalyzer = "llm"\n[[repositories]]\npath = "{day_repo.path}"\n'
            f'[llm]\nbase_url = "{server.base_url}"\nmodel = "m"\nconcurrency = 1\n'
            f"batch_small_commits = false\n"
        )
        first = _start(config, {})
        _kill_when(first, lambda: server.completions >= 5)  # the 3rd answer arrived 0.3 s before the 5th request
        saved = StateStore.open().count_analyses()
        assert 3 <= saved < len(day_repo.expected)  # finished analyses were saved before the kill
        assert not (tmp_path / "out").exists()
        answered_before = server.completions
        second = subprocess.run(
            [sys.executable, "-m", "repodigest", "run", "--config", str(config), "--date", DAY],
            capture_output=True,
            text=True,
        )
    assert second.returncode == 0, second.stderr
    assert server.completions - answered_before == len(day_repo.expected) - saved
    assert f"{saved} cached" in second.stderr
    assert StateStore.open().count_analyses() == len(day_repo.expected)


def test_killed_between_two_publishers_each_target_ends_with_exactly_one_publication(tmp_path):
    day_repo = build_day_repo(tmp_path / "demo")
    github = FakeGitHub(token=TOKEN)
    reached_slack = threading.Event()
    release = threading.Event()

    def slack_handler(request):
        reached_slack.set()
        release.wait(timeout=30)  # hold the request open while the run is killed
        return Response(200, "ok")

    with github.serve(), LocalServer(slack_handler) as slack:
        config = tmp_path / "repodigest.toml"
        config.write_text(
            f'output = "{tmp_path / "out"}"\n[[repositories]]\npath = "{day_repo.path}"\n'
            f'[[publish]]\nkind = "github"\nrepository = "acme/reports"\napi_url = "{github.server.url}"\n'
            f'[[publish]]\nkind = "slack"\nurl_env = "HOOK"\n'
        )
        env = {"GITHUB_TOKEN": TOKEN, "HOOK": f"{slack.url}/services/x"}
        first = _start(config, env)
        _kill_when(first, reached_slack.is_set)
        release.set()
        assert len(github.issues) == 1  # the first target was published before the kill
        for _ in range(2):
            again = subprocess.run(
                [sys.executable, "-m", "repodigest", "run", "--config", str(config), "--date", DAY],
                capture_output=True,
                text=True,
                env={**os.environ, **env},
            )
            # The message may have gone out before the kill: it is not sent again, and every run
            # says so (exit 1) until an operator retries or dismisses it.
            assert again.returncode == 1, again.stderr
            assert "slack: the message for 2026-02-27 may or may not have been delivered" in again.stderr
    assert len(github.issues) == 1
    assert len(slack.requests) == 1
    assert sorted(p.name for p in (tmp_path / "out/2026/demo").iterdir()) == [f"{DAY}.json", f"{DAY}.md"]
    assert not list((tmp_path / "out").rglob("*.tmp"))


# A real `repodigest run` whose rename of the finished temporary file blocks, so that it can be
# killed exactly inside its write phase: the temporary exists, the report does not yet.
BLOCKED_WRITER = """
import os, sys, time
real_replace = os.replace
def blocked(source, target, *args, **kwargs):
    if str(source).endswith(".tmp"):
        time.sleep(3600)
    return real_replace(source, target, *args, **kwargs)
os.replace = blocked
from repodigest.cli import main
sys.argv = ["repodigest", *sys.argv[1:]]
main()
"""


def _run_args(day_repo, out: Path) -> list[str]:
    return ["run", "--repo", str(day_repo.path), "--date", DAY, "--out", str(out), "--format", "md,json,html"]


def _no_debris(out: Path) -> None:
    assert not list(out.rglob("*.tmp")), sorted(p.name for p in out.rglob("*.tmp"))
    assert [run.status for run in StateStore.open().runs() if run.status == "running"] == []


def test_killed_while_writing_the_next_run_removes_its_temporaries_and_marks_it_crashed(tmp_path):
    day_repo = build_day_repo(tmp_path / "demo")
    out = tmp_path / "out"
    killed = subprocess.Popen(
        [sys.executable, "-c", BLOCKED_WRITER, *_run_args(day_repo, out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _kill_when(killed, lambda: bool(list(out.rglob("*.tmp"))))
    assert list(out.rglob("*.tmp")) and [r.status for r in StateStore.open().runs()] == ["running"]
    foreign = out / "2026" / "demo" / ".notes.txt.tmp"  # not written by repodigest: left alone
    foreign.write_text("someone else's")
    again = subprocess.run([sys.executable, "-m", "repodigest", *_run_args(day_repo, out)], capture_output=True)
    assert again.returncode == 0, again.stderr
    assert [p for p in out.rglob("*.tmp")] == [foreign]
    assert [r.status for r in StateStore.open().runs()] == ["crashed", "ok"]
    assert "marked crashed" in again.stderr.decode()
    assert sorted(p.name for p in (out / "2026/demo").iterdir() if p != foreign) == [
        f"{DAY}.html",
        f"{DAY}.json",
        f"{DAY}.md",
    ]


def _until_running(process: subprocess.Popen, runs_before: int) -> None:
    """Until the run has recorded itself in the state (past Python's start-up)."""
    while len(StateStore.open().runs()) == runs_before and process.poll() is None:
        time.sleep(0.01)


def test_killed_at_random_points_no_temporary_file_and_no_run_left_running(tmp_path):
    day_repo = build_day_repo(tmp_path / "demo")
    out = tmp_path / "out"
    subprocess.run([sys.executable, "-m", "repodigest", *_run_args(day_repo, out)], check=True, capture_output=True)
    # How long a warm run (state created, analyses cached), as the victims are, lives once recorded.
    warm = subprocess.Popen([sys.executable, "-m", "repodigest", *_run_args(day_repo, out)], stdout=subprocess.DEVNULL)
    _until_running(warm, 1)
    started = time.monotonic()
    warm.wait()
    lifetime = time.monotonic() - started
    chooser = random.Random(20261201)  # reproducible points, spread over the recorded run
    for _ in range(KILLS):
        victim = subprocess.Popen(
            [sys.executable, "-m", "repodigest", *_run_args(day_repo, out)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _until_running(victim, len(StateStore.open().runs()))
        time.sleep(chooser.uniform(0.0, 1.0) * lifetime)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        again = subprocess.run([sys.executable, "-m", "repodigest", *_run_args(day_repo, out)], capture_output=True)
        assert again.returncode == 0, again.stderr
        _no_debris(out)
    statuses = [r.status for r in StateStore.open().runs()]
    assert statuses.count("running") == 0 and statuses.count("ok") >= KILLS + 2
    assert statuses.count("crashed") >= KILLS // 3, statuses  # the kills did land inside runs
    print(f"{statuses.count('crashed')} of {KILLS} kills landed inside a run")
