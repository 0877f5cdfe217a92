"""`repodigest digest` end to end: the week's days are made once, a re-run asks the model
nothing, every link of the digest lands on a file and an anchor, bad periods are bad input."""

import json
import re
from pathlib import Path

import pytest

from support.cli import run_cli
from support.fault_server import FaultServer
from support.release_fixture import build_release_repo
from support.week_fixture import WEEK, build_week_repo

KEY = "sk-live-" + "d" * 40


def _config(tmp_path: Path, repos: list[Path], llm_url: str | None = None) -> Path:
    text = f'output = "{tmp_path / "out"}"\nlanguage = "en"\nformats = ["md", "json", "html"]\n'
    for repo in repos:
        text += f'[[repositories]]\npath = "{repo}"\n'
    if llm_url:
        text += (
            f'analyzer = "llm"\n[llm]\nbase_url = "{llm_url}"\nmodel = "test-model"\napi_key_env = "TEST_LLM_KEY"\n'
            "timeout = 2.0\nmax_retries = 1\nbatch_small_commits = false\nday_summary = true\n"
        )
        text = text.replace('analyzer = "llm"\n', "")
        text = 'analyzer = "llm"\n' + text
    config = tmp_path / "repodigest.toml"
    config.write_text(text)
    return config


def test_a_rerun_makes_no_model_request_and_reads_the_state(tmp_path):
    repo = build_week_repo(tmp_path / "demo")
    with (server := FaultServer()).serve():
        config = _config(tmp_path, [repo.path], server.base_url)
        first = run_cli("digest", "--config", str(config), "--week", WEEK, env={"TEST_LLM_KEY": KEY})
        asked = len(server.server.requests)
        second = run_cli("digest", "--config", str(config), "--week", WEEK, env={"TEST_LLM_KEY": KEY})
        again = len(server.server.requests)
    assert first.code == 0 and second.code == 0, first.stderr + second.stderr
    # One request per commit of the week and one per day summary, then the period summary.
    assert asked == 7 + 6 + 1, first.stderr
    assert again == asked, second.stderr
    assert "0 repository-days from the state, 7 made first" in first.stderr
    assert "7 repository-days from the state, 0 made first" in second.stderr
    digest = json.loads((tmp_path / "out/2026/demo/week-2026-W09.json").read_text())
    assert digest["analyzer"].startswith("llm") and digest["summary"].startswith("The day's first change is `")


def test_every_link_lands_on_a_file_and_an_anchor(tmp_path):
    week, releases = build_week_repo(tmp_path / "demo"), build_release_repo(tmp_path / "rel")
    config = _config(tmp_path, [week.path, releases.path])
    result = run_cli("digest", "--config", str(config), "--week", WEEK)
    assert result.code == 0, result.stderr
    out = tmp_path / "out"
    files = [out / "2026/week-2026-W09.md", out / "2026/demo/week-2026-W09.md", out / "2026/rel/week-2026-W09.md"]
    files += [f.with_suffix(".html") for f in files]
    for digest in files:
        text = digest.read_text()
        pattern = (
            r"\]\(([^)#]+\.md)(?:#([a-z0-9-]+))?\)"
            if digest.suffix == ".md"
            else r'href="([^"#]+\.html)(?:#([a-z0-9-]+))?"'
        )
        links = re.findall(pattern, text)
        assert len(links) > 7, digest
        for target, anchor in links:
            assert not target.startswith(("/", "http")), target
            day = (digest.parent / target).resolve()
            assert day.is_file(), f"{digest.name} links to a missing {target}"
            if anchor:
                marker = f'<a name="{anchor}"></a>' if digest.suffix == ".md" else f'id="{anchor}"'
                assert marker in day.read_text(), f"{target} has no anchor {anchor}"
    combined = (out / "2026/week-2026-W09.md").read_text()
    assert '## <a name="repo-demo"></a>demo' in combined and "](rel/2026-02-27.md#releases-rel)" in combined
    page = (out / "2026/week-2026-W09.html").read_text()
    assert "Content-Security-Policy" in page and "<script" not in page


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--week", "2026-W60"], "is not a week of 2026"),
        (["--week", "48"], "bad week '48'"),
        (["--month", "2026-13"], "bad month"),
        (["--week", WEEK, "--month", "2026-02"], "--week and --month given together"),
        (["--from", "2026-02-23"], "--from and --to go together"),
        ([], "a digest needs one period"),
    ],
)
def test_a_bad_period_is_one_line_and_writes_nothing(tmp_path, args, says):
    config = _config(tmp_path, [tmp_path])
    (tmp_path / ".git").mkdir()  # never reached: the period is checked first
    result = run_cli("digest", "--config", str(config), *args)
    assert result.code == 2 and says in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not (tmp_path / "out").exists()
