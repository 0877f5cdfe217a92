"""Bad input, as a user or a scheduler gives it: every case is exit 2, one line on stderr saying
what is wrong and how to fix it (`problem — fix`), no traceback, and nothing written."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from support.cli import run_cli
from support.day_fixture import DAY, build_day_repo

RULES_CONFIG = 'rules = "rules.toml"\n'


@dataclass
class Case:
    id: str
    args: list[str]
    says: str
    """A word of the problem that the line must contain."""
    files: dict[str, str] = field(default_factory=dict)
    """Files written into the test's folder first; `{repo}` and `{tmp}` are filled in."""
    env: dict[str, str] = field(default_factory=dict)
    command: str = "run"


def config(text: str = "", top: str = "") -> dict[str, str]:
    """A config with one repository: `top` before its table, `text` inside it or after it."""
    return {"repodigest.toml": top + '[[repositories]]\npath = "{repo}"\n' + text}


def rules(text: str) -> dict[str, str]:
    return {**config(top=RULES_CONFIG), "rules.toml": text}


REPO = ["--repo", "{repo}"]
CONFIG = ["--config", "{tmp}/repodigest.toml"]
CASES = [
    # -- repositories
    Case("not-a-repository", ["--repo", "{tmp}"], "is not a git repository"),
    Case("missing-folder", ["--repo", "{tmp}/nowhere"], "nowhere"),
    Case("empty-repo", ["--repo", ""], "empty"),
    Case("blank-repo", ["--repo", "   "], "empty"),
    Case("unparsable-url", ["--repo", "https://"], "clone URL"),
    Case("url-without-name", ["--repo", "https://github.com"], "clone URL"),
    Case("missing-local-branch", CONFIG, "branch", files=config('branch = "no-such-branch"\n')),
    Case("no-repository", [], "no repository given"),
    # -- the day and the zone
    Case("impossible-date", [*REPO, "--date", "2026-02-30"], "bad date"),
    Case("far-future-date", [*REPO, "--date", "9999-12-31"], "between"),
    Case("before-1970", [*REPO, "--date", "1969-12-31"], "between"),
    Case("after-2100", [*REPO, "--date", "2101-01-01"], "between"),
    Case("word-date", [*REPO, "--date", "tomorrow"], "bad date"),
    Case("empty-date", [*REPO, "--date", ""], "bad date"),
    Case("unknown-zone", [*REPO, "--tz", "Mars/Olympus"], "unknown time zone"),
    Case("empty-zone", [*REPO, "--tz", ""], "time zone"),
    Case("path-zone", [*REPO, "--tz", "../../etc/passwd"], "time zone"),
    # -- flags
    Case("unknown-language", [*REPO, "--lang", "fr"], "language"),
    Case("unknown-format", [*REPO, "--format", "pdf"], "formats"),
    Case("empty-format", [*REPO, "--format", ""], "format"),
    Case("only-commas-format", [*REPO, "--format", ", ,"], "format"),
    Case("unknown-analyzer", [*REPO, "--analyzer", "magic"], "analyzer"),
    Case("unknown-option", [*REPO, "--bogus"], "No such option"),
    Case("output-is-a-file", [*REPO, "--out", "{tmp}/taken"], "taken", files={"taken": "a file"}),
    # -- the configuration file
    Case("missing-config", ["--config", "{tmp}/missing.toml"], "does not exist"),
    Case("config-is-a-folder", ["--config", "{tmp}"], "config file"),
    Case("invalid-toml", CONFIG, "not valid TOML", files={"repodigest.toml": "timezone = \n"}),
    Case("not-utf8-config", CONFIG, "encoding", files={"repodigest.toml": "\udcff"}),
    Case("unknown-key", CONFIG, "timezon", files=config(top="timezon = 'UTC'\n")),
    Case("repository-without-source", CONFIG, "exactly one of", files={"repodigest.toml": "[[repositories]]\n"}),
    Case("repository-with-both", CONFIG, "exactly one of", files=config('url = "https://github.com/a/b"\n')),
    Case("empty-formats", CONFIG, "formats", files=config(top="formats = []\n")),
    Case("zone-of-wrong-type", CONFIG, "timezone", files=config(top="timezone = 5\n")),
    Case("llm-concurrency-zero", CONFIG, "concurrency", files=config("[llm]\nconcurrency = 0\n")),
    Case("llm-temperature", CONFIG, "temperature", files=config("[llm]\ntemperature = 9\n")),
    Case("unknown-database", CONFIG, "database", files=config('[state]\ndatabase_url = "nosuch://x"\n')),
    Case(
        "database-folder-missing",
        CONFIG,
        "database",
        files=config('[state]\ndatabase_url = "sqlite:////nonexistent/dir/state.db"\n'),
    ),
    Case("unknown-publisher", CONFIG, "carrier-pigeon", files=config('[[publish]]\nkind = "carrier-pigeon"\n')),
    Case("publisher-missing-secret", CONFIG, "SLACK_WEBHOOK_URL", files=config('[[publish]]\nkind = "slack"\n')),
    # -- the rules file
    Case("missing-rules", CONFIG, "rules.toml", files=config(top=RULES_CONFIG)),
    Case("rules-not-toml", CONFIG, "rules.toml", files=rules("[levels\n")),
    Case("rules-wrong-type", CONFIG, "weight", files=rules('[signals.tests_only]\nweight = "heavy"\n')),
    Case("rules-unknown-level", CONFIG, "extreme", files=rules('[signals.tests_only]\nmax_level = "extreme"\n')),
    Case("rules-unknown-section", CONFIG, "colours", files=rules("[colours]\nhigh = 'red'\n")),
    Case("rules-unknown-key", CONFIG, "wieght", files=rules("[signals.tests_only]\nwieght = 3\n")),
    Case("rules-unknown-signal", CONFIG, "no_such_signal", files=rules("[signals.no_such_signal]\nweight = 3\n")),
    Case("rules-levels-wrong-type", CONFIG, "high", files=rules('[levels]\nhigh = "lots"\n')),
    # -- the environment
    Case("home-is-a-file", REPO, "REPODIGEST_HOME", files={"home": "a file"}, env={"REPODIGEST_HOME": "{tmp}/home"}),
    Case("home-unwritable", REPO, "REPODIGEST_HOME", env={"REPODIGEST_HOME": "/proc/repodigest-home"}),
    Case("env-language", REPO, "REPODIGEST_*): language", env={"REPODIGEST_LANGUAGE": "klingon"}),
    Case("env-workers", REPO, "REPODIGEST_WORKERS", env={"REPODIGEST_WORKERS": "two"}),
    Case("env-formats", REPO, "formats", env={"REPODIGEST_FORMATS": "pdf"}),
    Case("env-config-missing", [*REPO], "does not exist", env={"REPODIGEST_CONFIG": "{tmp}/gone.toml"}),
    # -- backfill
    Case("backfill-reversed", [*REPO, "--from", "2026-02-27", "--to", "2026-02-01"], "before", command="backfill"),
    Case("backfill-too-long", [*REPO, "--from", "2025-01-01", "--to", "2026-06-01"], "367 days", command="backfill"),
    Case("backfill-bad-day", [*REPO, "--from", "someday", "--to", "2026-02-01"], "bad date", command="backfill"),
    Case("backfill-missing-to", [*REPO, "--from", "2026-02-01"], "--to", command="backfill"),
]


@pytest.fixture(scope="module")
def day_repo(tmp_path_factory):
    return build_day_repo(tmp_path_factory.mktemp("day") / "demo")


def test_there_are_at_least_forty_cases():
    assert len(CASES) >= 40 and len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_is_one_line_exit_2_and_writes_nothing(case: Case, day_repo, tmp_path):
    fill = {"repo": str(day_repo.path), "tmp": str(tmp_path)}
    for name, text in case.files.items():
        (tmp_path / name).write_bytes(text.format(**fill).encode("utf-8", "surrogateescape"))
    before = _snapshot(tmp_path)
    out = tmp_path / "out"
    args = [a.format(**fill) for a in case.args]
    if case.command == "run" and "--date" not in args:
        args += ["--date", DAY]
    if "--out" not in args:
        args += ["--out", str(out)]
    result = run_cli(case.command, *args, cwd=tmp_path, env={k: v.format(**fill) for k, v in case.env.items()})
    lines = result.stderr.strip().splitlines()
    assert result.code == 2, result.stderr
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].startswith("repodigest: error: ") and case.says in lines[0], lines[0]
    assert " — " in lines[0], f"no fix given: {lines[0]}"
    assert _snapshot(tmp_path) == before, "something was written"


def _snapshot(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))
