"""The conventions a command-line user expects: --version, -h, a bare invocation, quiet and verbose,
a run summary with totals, config discovery and overrides, stable repository names, `runs`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from repodigest import __version__
from repodigest.config import load_config
from support.cli import run_cli
from support.day_fixture import DAY, ZONE, build_day_repo
from support.gitrepo import GitRepo


@pytest.fixture(scope="module")
def day_repo(tmp_path_factory):
    return build_day_repo(tmp_path_factory.mktemp("cli") / "demo")


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(flag):
    result = run_cli(flag)
    assert result.code == 0 and result.stdout.strip() == f"repodigest {__version__}"


@pytest.mark.parametrize("args", [["-h"], ["--help"], ["run", "-h"], ["backfill", "-h"], ["runs", "-h"]])
def test_short_help_and_no_type_noise(args):
    result = run_cli(*args)
    assert result.code == 0 and "Usage" in result.stdout
    assert not re.search(r"<(bool|str|list\[str\]|int)>", result.stdout)
    assert result.stderr == ""


def test_a_bare_invocation_prints_help_and_exits_cleanly():
    result = run_cli()
    assert result.code == 0
    assert "Usage" in result.stdout and "run" in result.stdout
    assert "error" not in result.stderr


def test_quiet_prints_nothing_on_success(day_repo, tmp_path):
    result = run_cli("run", "--repo", str(day_repo.path), "--date", DAY, "--tz", ZONE, "--out", str(tmp_path), "-q")
    assert result.code == 0 and result.stderr == "" and result.stdout == ""
    assert list(tmp_path.rglob("*.md"))


def test_verbose_logs_each_stage_but_not_library_internals(day_repo, tmp_path):
    result = run_cli("run", "--repo", str(day_repo.path), "--date", DAY, "--tz", ZONE, "--out", str(tmp_path), "-v")
    assert result.code == 0
    for stage in ("walked", "9 commits", "facts", "analysed by rules", "cached", "rendered", "published"):
        assert stage in result.stderr, stage
    assert "alembic" not in result.stderr.lower() and "Context impl" not in result.stderr
    debug = run_cli(
        "run",
        "--repo",
        str(day_repo.path),
        "--date",
        DAY,
        "--tz",
        ZONE,
        "--out",
        str(tmp_path),
        "-vv",
        env={"REPODIGEST_HOME": str(tmp_path / "fresh-home")},
    )  # a new state: migrations run again
    assert debug.code == 0 and "repodigest.pipeline" in debug.stderr and "alembic" in debug.stderr


def test_a_backfill_summary_has_totals_and_one_line_per_repository(day_repo, tmp_path):
    args = [
        "backfill",
        "--repo",
        str(day_repo.path),
        "--from",
        "2026-02-21",
        "--to",
        DAY,
        "--tz",
        ZONE,
        "--out",
        str(tmp_path),
    ]
    result = run_cli(*args)
    assert result.code == 0
    lines = result.stderr.splitlines()
    assert len(lines) <= 5, lines
    assert any(line.startswith("repodigest: demo: 10 commits on 2 of 7 days") for line in lines)
    assert any(line.startswith("repodigest: total: 10 commits in 1 repository over 7 days") for line in lines)
    verbose = run_cli(*args, "-v")
    assert sum(1 for line in verbose.stderr.splitlines() if re.match(r"repodigest: 2026-02-2\d demo:", line)) == 7


def test_config_discovery_order(day_repo, tmp_path, isolated_home):
    def config(path, language):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f'language = "{language}"\ntimezone = "{ZONE}"\n[[repositories]]\npath = "{day_repo.path}"\n'
            f'name = "acme/demo"\n',
            encoding="utf-8",
        )

    work = tmp_path / "work"
    work.mkdir()
    out = tmp_path / "out"

    def language_used(**env) -> str:
        result = run_cli("run", "--date", DAY, "--out", str(out), cwd=work, env=env)
        assert result.code == 0, result.stderr
        text = (out / "2026" / "demo" / f"{DAY}.md").read_text("utf-8")
        return "en" if text.startswith("# Daily update report") else "zh"

    config(isolated_home / "repodigest.toml", "en")  # the user's config folder ($REPODIGEST_HOME here)
    assert language_used() == "en"
    config(work / ".repodigest.toml", "zh")
    assert language_used() == "zh"
    config(work / "repodigest.toml", "en")
    assert language_used() == "en"
    config(tmp_path / "elsewhere.toml", "zh")
    assert language_used(REPODIGEST_CONFIG=str(tmp_path / "elsewhere.toml")) == "zh"
    # An environment override beats the file; a flag beats both.
    assert language_used(REPODIGEST_LANGUAGE="zh") == "zh"
    result = run_cli(
        "run", "--date", DAY, "--out", str(out), "--lang", "en", cwd=work, env={"REPODIGEST_LANGUAGE": "zh"}
    )
    assert result.code == 0 and (out / "2026" / "demo" / f"{DAY}.md").read_text("utf-8").startswith("# Daily")


def test_relative_paths_in_a_config_file_are_relative_to_the_file(day_repo, tmp_path):
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "demo").symlink_to(day_repo.path)
    (folder / "repodigest.toml").write_text(
        f'output = "site/reports"\ntimezone = "{ZONE}"\n[[repositories]]\npath = "demo"\n', encoding="utf-8"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_cli("run", "--config", str(folder / "repodigest.toml"), "--date", DAY, cwd=elsewhere)
    assert result.code == 0, result.stderr
    assert (folder / "site" / "reports" / "2026" / "demo" / f"{DAY}.md").is_file()
    assert not any(elsewhere.iterdir())


def _project(tmp_path, day_repo, text: str) -> tuple[Path, Path]:
    """A config in `project/` naming everything relatively, and an unrelated working folder."""
    folder, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    folder.mkdir()
    elsewhere.mkdir()
    (folder / "demo").symlink_to(day_repo.path)
    (folder / "repodigest.toml").write_text(
        f'timezone = "{ZONE}"\n[[repositories]]\npath = "demo"\n' + text, encoding="utf-8"
    )
    return folder, elsewhere


def test_a_relative_sqlite_url_is_relative_to_the_config_file(day_repo, tmp_path):
    folder, elsewhere = _project(tmp_path, day_repo, '[state]\ndatabase_url = "sqlite:///data/state.db"\n')
    (folder / "data").mkdir()
    result = run_cli(
        "run", "--config", str(folder / "repodigest.toml"), "--date", DAY, "--out", str(tmp_path / "o"), cwd=elsewhere
    )
    assert result.code == 0, result.stderr
    assert (folder / "data" / "state.db").is_file() and not any(elsewhere.iterdir())
    listed = run_cli("runs", "--config", str(folder / "repodigest.toml"), cwd=tmp_path)
    assert listed.code == 0 and DAY in listed.stdout  # `runs` reads the same database from anywhere


def test_a_relative_git_publisher_repository_is_relative_to_the_config_file(day_repo, tmp_path):
    folder, elsewhere = _project(tmp_path, day_repo, '[[publish]]\nkind = "git"\nrepository = "site"\n')
    site = GitRepo.create(folder / "site")
    site.commit("start", "2026-01-01T00:00:00+00:00", files={"README.md": "reports\n"})
    text = (folder / "repodigest.toml").read_text("utf-8")
    (folder / "repodigest.toml").write_text('output = "site/reports"\n' + text, encoding="utf-8")
    result = run_cli("run", "--config", str(folder / "repodigest.toml"), "--date", DAY, cwd=elsewhere)
    assert result.code == 0, result.stderr
    assert f"reports/2026/demo/{DAY}.md" in site.git("log", "--format=%s", "--name-only")
    assert not any(elsewhere.iterdir())


def test_a_relative_mail_ca_file_and_rules_file_are_relative_to_the_config_file(day_repo, tmp_path):
    folder, elsewhere = _project(
        tmp_path,
        day_repo,
        '[[publish]]\nkind = "mail"\nhost = "127.0.0.1"\nsender = "a@example.com"\n'
        'recipients = ["b@example.com"]\nca_file = "certs/ca.pem"\n'
        '[[publish]]\nkind = "github"\nrepository = "acme/reports"\n',
    )
    text = (folder / "repodigest.toml").read_text("utf-8")
    (folder / "repodigest.toml").write_text('rules = "rules.toml"\n' + text, encoding="utf-8")
    settings, _ = load_config(folder / "repodigest.toml")
    mail, github = settings.publish
    assert mail["ca_file"] == str(folder / "certs" / "ca.pem")
    assert github["repository"] == "acme/reports"  # owner/name, not a path
    assert settings.rules == str(folder / "rules.toml")
    # The CLI reads the rules file from there too: a missing one is named by its full path.
    result = run_cli("run", "--config", str(folder / "repodigest.toml"), "--date", DAY, cwd=elsewhere)
    assert result.code == 2 and str(folder / "rules.toml") in result.stderr


def test_names_and_cache_keys_are_stable_across_file_urls_and_subfolders(day_repo, tmp_path):
    (day_repo.path / "docs").mkdir(exist_ok=True)
    runs = {
        "top": ["--repo", str(day_repo.path)],
        "subfolder": ["--repo", "."],
        "file-url": ["--repo", day_repo.path.resolve().as_uri()],
    }
    cached = {}
    for label, repo_args in runs.items():
        out = tmp_path / label
        cwd = day_repo.path / "docs" if label == "subfolder" else None
        result = run_cli("run", *repo_args, "--date", DAY, "--tz", ZONE, "--out", str(out), cwd=cwd)
        assert result.code == 0, result.stderr
        assert [p.name for p in (out / "2026").iterdir()] == ["demo"], label
        assert (out / "2026" / "demo" / f"{DAY}.md").read_text("utf-8").count('## <a name="repo-demo"></a>demo') == 1
        cached[label] = re.search(r"(\d+) cached", result.stderr)[1]
    assert cached == {"top": "0", "subfolder": "9", "file-url": "9"}  # analysed once, then found by name


def test_runs_lists_recent_runs(day_repo, tmp_path):
    run_cli("run", "--repo", str(day_repo.path), "--date", DAY, "--tz", ZONE, "--out", str(tmp_path))
    run_cli(
        "backfill",
        "--repo",
        str(day_repo.path),
        "--from",
        "2026-02-26",
        "--to",
        DAY,
        "--tz",
        ZONE,
        "--out",
        str(tmp_path),
    )
    result = run_cli("runs")
    assert result.code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["id", "started", "(UTC)"]
    assert re.search(rf"\brun\s+{DAY}\s+1\s+9\s+0\b", lines[1]), lines[1]
    assert re.search(rf"\bbackfill\s+2026-02-26\.\.{DAY}\s+1\s+10\s+0\b", lines[2]), lines[2]


def test_progress_says_cloning_then_fetching(day_repo, tmp_path):
    from repodigest.config import RepositoryConfig
    from repodigest.pipeline import Progress
    from support.reports import run_pipeline

    class Recorder(Progress):
        def __init__(self):
            self.stages = []

        def stage(self, repository, doing):
            self.stages.append((repository, doing))

    url = day_repo.path.resolve().as_uri()
    for expected in ("cloning", "fetching"):
        recorder = Recorder()
        result = run_pipeline([RepositoryConfig(url=url)], DAY, cache_dir=tmp_path / "cache", progress=recorder)
        assert result.runs[0].commits == 9 and result.runs[0].name == "demo"
        assert recorder.stages == [("demo", expected), ("demo", "reading history")]
