"""The command line end to end: exit codes, what is written, and one clear line for bad input."""

import json
from pathlib import Path

import pytest

from support.cli import run_cli
from support.day_fixture import DAY, build_day_repo
from support.gitrepo import GitRepo


@pytest.fixture(scope="module")
def day_repo(tmp_path_factory):
    return build_day_repo(tmp_path_factory.mktemp("day") / "demo")


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_run_writes_markdown_and_json_for_the_day(day_repo, tmp_path):
    out = tmp_path / "reports"
    result = run_cli("run", "--repo", str(day_repo.path), "--date", DAY, "--out", str(out))
    assert result.code == 0, result.stderr
    assert _files(out) == ["2026/demo/2026-02-27.json", "2026/demo/2026-02-27.md"]
    document = json.loads((out / "2026/demo/2026-02-27.json").read_text())
    assert [c["sha"] for c in document["commits"]] == day_repo.expected
    assert document["stats"]["total"] == len(day_repo.expected)
    assert f"{len(day_repo.expected)} commits" in result.stderr


def test_english_report(day_repo, tmp_path):
    out = tmp_path / "reports"
    result = run_cli(
        "run", "--repo", str(day_repo.path), "--date", DAY, "--out", str(out), "--lang", "en", "--format", "md"
    )
    assert result.code == 0, result.stderr
    text = (out / "2026/demo/2026-02-27.md").read_text()
    assert text.startswith("# Daily update report (2026-02-27)")
    assert _files(out) == ["2026/demo/2026-02-27.md"]


def test_zone_flag_moves_the_window(day_repo, tmp_path):
    out = tmp_path / "reports"
    result = run_cli("run", "--repo", str(day_repo.path), "--date", DAY, "--tz", "UTC", "--out", str(out))
    assert result.code == 0, result.stderr
    shas = [c["sha"] for c in json.loads((out / "2026/demo/2026-02-27.json").read_text())["commits"]]
    # 2026-02-27T00:00+08:00 is still the 26th in UTC; 2026-02-28T00:00+08:00 is the 27th.
    assert day_repo.expected[-1] not in shas
    assert any(sha in shas for sha in day_repo.excluded)


def test_config_file_with_two_repositories_of_the_same_name(day_repo, tmp_path):
    other = GitRepo.create(tmp_path / "elsewhere" / "demo")
    other.commit("feat: other demo", "2026-02-27T10:00:00+08:00", files={"x.py": "X = 1\n"})
    config = tmp_path / "repodigest.toml"
    config.write_text(
        f'output = "{tmp_path / "out"}"\n'
        f'[[repositories]]\npath = "{day_repo.path}"\nname = "alice/demo"\n'
        f'[[repositories]]\npath = "{other.path}"\nname = "bob/demo"\nweb_url = "https://github.com/bob/demo"\n'
    )
    result = run_cli("run", "--config", str(config), "--date", DAY)
    assert result.code == 0, result.stderr
    assert _files(tmp_path / "out") == [
        "2026/2026-02-27.json",
        "2026/2026-02-27.md",
        "2026/alice-demo/2026-02-27.json",
        "2026/alice-demo/2026-02-27.md",
        "2026/bob-demo/2026-02-27.json",
        "2026/bob-demo/2026-02-27.md",
    ]
    combined = (tmp_path / "out/2026/2026-02-27.md").read_text()
    assert '## <a name="repo-alice-demo"></a>alice/demo' in combined
    assert "https://github.com/bob/demo/commit/" in combined


def test_a_failing_repository_is_named_and_the_others_are_still_written(day_repo, tmp_path):
    config = tmp_path / "repodigest.toml"
    config.write_text(
        f'output = "{tmp_path / "out"}"\n'
        f'[[repositories]]\npath = "{day_repo.path}"\n'
        f'[[repositories]]\nurl = "{(tmp_path / "gone.git").as_uri()}"\nname = "acme/gone"\n'
    )
    result = run_cli("run", "--config", str(config), "--date", DAY)
    assert result.code == 1
    assert "acme/gone" in result.stderr and "FAILED" in result.stderr
    assert (tmp_path / "out/2026/demo/2026-02-27.md").is_file()
    failed = (tmp_path / "out/2026/gone/2026-02-27.md").read_text()
    assert "could not be read" in failed or "读取失败" in failed


def test_rerun_gives_byte_identical_reports(day_repo, tmp_path):
    out = tmp_path / "reports"
    run_cli("run", "--repo", str(day_repo.path), "--date", DAY, "--out", str(out))
    first = {name: (out / name).read_bytes() for name in _files(out)}
    run_cli("run", "--repo", str(day_repo.path), "--date", DAY, "--out", str(out))
    assert {name: (out / name).read_bytes() for name in _files(out)} == first


def test_init_writes_an_example_that_run_accepts(tmp_path):
    result = run_cli("init", cwd=tmp_path)
    assert result.code == 0
    assert "[[repositories]]" in (tmp_path / "repodigest.toml").read_text()
    again = run_cli("init", cwd=tmp_path)
    assert again.code == 2 and "already exists" in again.stderr


@pytest.mark.parametrize(
    ("args", "config_text", "message"),
    [
        (["--repo", "{tmp}"], None, "is not a git repository"),
        (["--repo", "{repo}", "--tz", "Mars/Olympus"], None, "unknown time zone"),
        (["--repo", "{repo}", "--date", "2026-02-30"], None, "bad date"),
        (["--repo", "{repo}", "--lang", "fr"], None, "language"),
        (["--repo", "{repo}", "--format", "pdf"], None, "formats"),
        (["--config", "{tmp}/missing.toml"], None, "does not exist"),
        (["--config", "{tmp}/bad.toml"], "timezone = \n", "not valid TOML"),
        (["--config", "{tmp}/bad.toml"], "timezon = 'UTC'\n", "timezon"),
        (["--config", "{tmp}/bad.toml"], "[[repositories]]\nbranch = 'main'\n", "exactly one of `url` or `path`"),
        ([], None, "no repository given"),
        (["--repo", "{repo}", "--bogus"], None, "No such option"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(day_repo, tmp_path, args, config_text, message):
    if config_text is not None:
        (tmp_path / "bad.toml").write_text(config_text)
    out = tmp_path / "out"
    filled = [a.format(tmp=tmp_path, repo=day_repo.path) for a in args]
    date = [] if "--date" in filled else ["--date", DAY]
    result = run_cli("run", *filled, *date, "--out", str(out), cwd=tmp_path)
    assert result.code == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_help_loads_no_stage():
    """`repodigest --help` stays fast: the stages load inside the commands that run them."""
    import subprocess
    import sys

    probe = "import sys, repodigest.cli; print(sorted(m for m in sys.modules if m.startswith('repodigest.')))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert "repodigest.pipeline" not in loaded and "repodigest.facts" not in loaded
    assert "repodigest.errors" in loaded
