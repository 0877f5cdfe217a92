"""Remote sources that fail fail loudly; a failure never turns into a wrong report that looks right."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from support.cli import run_cli
from support.day_fixture import DAY, build_day_repo


def git(*args: str) -> None:
    subprocess.run(["git", *args], check=True, capture_output=True)


def serving_copy(source: Path, target: Path) -> Path:
    """A bare repository that allows blob-less clones, as GitHub does."""
    git("clone", "-q", "--bare", str(source), str(target))
    git("-C", str(target), "config", "uploadpack.allowFilter", "true")
    return target


def test_a_server_that_refuses_lazy_blob_fetches_fails_the_repository(tmp_path):
    day_repo = build_day_repo(tmp_path / "demo")
    full = serving_copy(day_repo.path, tmp_path / "full.git")
    # A server that has the history but not the file contents, and cannot get them: every lazy
    # fetch of a blob is refused ("not our ref").
    server = tmp_path / "server.git"
    git("clone", "-q", "--bare", "--filter=blob:none", full.as_uri(), str(server))
    for key in ("remote.origin.promisor", "remote.origin.partialclonefilter", "extensions.partialclone"):
        subprocess.run(["git", "-C", str(server), "config", "--unset", key], capture_output=True)  # absent is fine
    git("-C", str(server), "config", "uploadpack.allowFilter", "true")

    result = run_cli("run", "--repo", server.as_uri(), "--date", DAY, "--out", str(tmp_path / "out"))
    assert result.code == 1, result.stderr
    assert "9 of 9 commits could not be read" in result.stderr and "not our ref" in result.stderr
    report = json.loads(next((tmp_path / "out").rglob("*.json")).read_text())
    assert report["commits"] == [] and "could not be read" in report["error"]


def test_a_failed_fetch_reports_from_the_cached_clone_with_git_s_whole_error(tmp_path):
    day_repo = build_day_repo(tmp_path / "demo")
    server = serving_copy(day_repo.path, tmp_path / "server.git")
    out = tmp_path / "out"
    first = run_cli("run", "--repo", server.as_uri(), "--date", DAY, "--out", str(out), "--lang", "en")
    assert first.code == 0, first.stderr
    report_file = next(out.rglob("*.json"))
    good = json.loads(report_file.read_text())
    assert len(good["commits"]) == 9

    server.rename(tmp_path / "gone.git")  # the network, or the server, is gone on the re-run
    second = run_cli("run", "--repo", server.as_uri(), "--date", DAY, "--out", str(out), "--lang", "en")
    assert second.code == 0, second.stderr
    again = json.loads(report_file.read_text())
    assert [c["sha"] for c in again["commits"]] == [c["sha"] for c in good["commits"]]
    assert again["error"] is None and "git fetch failed" in again["stale"]
    # git's cause (its first line) is kept, not only its closing advice.
    assert "does not appear to be a git repository" in second.stderr
    assert "and the repository exists" in second.stderr
    markdown = next(out.rglob("*.md")).read_text()
    assert "Read from the cached clone, which may be out of date" in markdown
