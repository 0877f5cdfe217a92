"""Pull-request context against a GitHub API fake on 127.0.0.1 (tests/support/github_api.py,
GitHub's documented shapes): one request per pull request ever, ETag revalidation of open ones,
rate-limit waits, and a failure that leaves the report as it is offline and says so once."""

from __future__ import annotations

import json
import logging

import pytest

from repodigest.analysis.base import AnalysisRequest
from repodigest.analysis.llm.budget import DiffExcerpt
from repodigest.analysis.llm.prompt import commit_block
from repodigest.analysis.models import Importance
from repodigest.config import RepositoryConfig
from repodigest.source.pulls import GitHubPulls, MemoryPullCache, linked_issues, named_pulls
from repodigest.state.store import StateStore
from support.github_api import FakeGitHub
from support.gitrepo import GitRepo
from support.http_server import Response
from support.reports import run_pipeline

TOKEN = "ghp_pulltoken1234567890"
DAY = "2026-02-27"


def test_the_subject_names_the_pull_request():
    assert named_pulls("feat: add a router option (#123)\n\nbody (#9)") == (123,)
    assert named_pulls("Merge pull request #45 from alice/topic\n\nAdd x") == (45,)
    assert named_pulls("fix: see #12 for details") == ()
    assert linked_issues("Fixes #12, closes #3 and resolves: #7. Related to #99.") == (12, 3, 7)


@pytest.fixture
def github():
    fake = FakeGitHub(token=TOKEN, repository="acme/demo")
    with fake.serve():
        yield fake


@pytest.fixture
def repo(tmp_path):
    repo = GitRepo.create(tmp_path / "demo")
    repo.commit("Initial import", "2026-02-20T10:00:00+08:00", files={"api.py": "def route(a):\n    return a\n"})
    repo.commit("Rework routing (#7)", "2026-02-27T10:00:00+08:00", files={"api.py": "def route(a):\n    return 2\n"})
    repo.commit(
        "Follow-up to routing (#7)", "2026-02-27T11:00:00+08:00", files={"api.py": "def route(a):\n    return 3\n"}
    )
    repo.commit("Tidy the docs", "2026-02-27T12:00:00+08:00", files={"README.md": "# demo\n"})
    return repo


def _config(repo) -> RepositoryConfig:
    return RepositoryConfig(path=str(repo.path), name="acme/demo", web_url="https://github.com/acme/demo")


def _client(github, cache, **options) -> GitHubPulls:
    return GitHubPulls(token=TOKEN, cache=cache, api_url=github.server.url, **options)


def _commits(result):
    return {c.commit.subject: c for c in result.editions[0].report.repositories[0].commits}


def test_one_request_per_pull_request_ever_and_labels_become_signals(github, repo, tmp_path):
    github.add_pull(7, "Routing v2: route() returns the worker", ["breaking-change", "area/api"], "Why: x.\n\nFixes #3")
    github.add_pull(9, "Docs tidy-up", ["release-note-none"])
    github.commit_pulls[repo.git("rev-parse", "HEAD")] = [9]
    state = StateStore.open(f"sqlite:///{tmp_path / 'state.db'}")
    client = _client(github, state)
    result = run_pipeline([_config(repo)], DAY, language="en", pull_context=client.context)
    commits = _commits(result)
    routing = commits["Rework routing (#7)"]
    assert [p.number for p in routing.commit.pull_requests] == [7]
    assert routing.commit.pull_requests[0].linked_issues == (3,)
    assert routing.analysis.importance == Importance.HIGH
    assert "The pull request is labelled breaking: `breaking-change`" in routing.analysis.importance_reasons
    assert [p.number for p in commits["Tidy the docs"].commit.pull_requests] == [9]  # associated by the API
    paths = [r.path for r in github.server.requests]
    head = repo.git("rev-parse", "HEAD")
    # Two commits name #7: one request; the commit naming none: one lookup, then its pull request.
    assert sorted(paths) == [
        f"/repos/acme/demo/commits/{head}/pulls",
        "/repos/acme/demo/pulls/7",
        "/repos/acme/demo/pulls/9",
    ]
    assert github.server.requests[0].headers["authorization"] == f"Bearer {TOKEN}"

    # The report shows it, escaped, and the JSON carries it.
    markdown = result.editions[0].document("md", "demo").content
    assert "**🔀 Pull request**: [#7](https://github.com/acme/demo/pull/7) Routing v2: route() returns" in markdown
    assert "(labels: `breaking-change`, `area/api`)" in markdown
    document = json.loads(result.editions[0].document("json", "demo").content)
    by_subject = {c["subject"]: c for c in document["commits"]}
    assert by_subject["Rework routing (#7)"]["pull_requests"][0]["linked_issues"] == [3]
    assert by_subject["Tidy the docs"]["pull_requests"][0]["labels"] == ["release-note-none"]

    # The model is told why the change was made.
    request = AnalysisRequest(repository=result.editions[0].report.repositories[0].repository,
                              commit=routing.commit, facts=routing.facts)  # fmt: skip
    block = commit_block(request, routing.analysis, DiffExcerpt(text=""))
    assert "PULL REQUEST #7: Routing v2" in block and "labels: breaking-change, area/api" in block
    assert "closes issues: #3" in block

    # A later run (a new process, the same state) asks for nothing: merged pull requests are final.
    again = _client(github, StateStore.open(f"sqlite:///{tmp_path / 'state.db'}"))
    rerun = run_pipeline([_config(repo)], DAY, language="en", pull_context=again.context)
    assert len(github.server.requests) == 3 and again.requests == 0
    assert _commits(rerun)["Rework routing (#7)"].commit.pull_requests == routing.commit.pull_requests


def test_a_commit_analysed_without_context_is_analysed_again_once_with_it(github, repo, tmp_path):
    github.add_pull(7, "Routing v2", ["breaking-change"])
    state = StateStore.open(f"sqlite:///{tmp_path / 'state.db'}")
    offline = _commits(run_pipeline([_config(repo)], DAY, language="en", store=state))
    assert offline["Rework routing (#7)"].analysis.importance != Importance.HIGH
    client = _client(github, state, look_up_commits=False)
    enriched = run_pipeline([_config(repo)], DAY, language="en", store=state, pull_context=client.context)
    assert _commits(enriched)["Rework routing (#7)"].analysis.importance == Importance.HIGH
    assert enriched.runs[0].cached == 1 and enriched.runs[0].analysed == 2  # the two commits naming #7
    # GitHub unreachable later: the analyses without context are the ones used, as offline.
    failing = GitHubPulls(token=TOKEN, cache=MemoryPullCache(), api_url="http://127.0.0.1:9")
    again = run_pipeline([_config(repo)], DAY, language="en", store=state, pull_context=failing.context)
    assert (
        again.runs[0].cached == 3
        and again.editions[0].documents == run_pipeline([_config(repo)], DAY, language="en").editions[0].documents
    )


def test_an_open_pull_request_is_revalidated_with_its_etag(github, repo):
    github.add_pull(7, "Routing v2", ["enhancement"], state="open", merged=False)
    cache = MemoryPullCache()
    commits = _commits(
        run_pipeline([_config(repo)], DAY, pull_context=_client(github, cache, look_up_commits=False).context)
    )
    assert commits["Rework routing (#7)"].commit.pull_requests[0].title == "Routing v2"
    run_pipeline([_config(repo)], DAY, pull_context=_client(github, cache, look_up_commits=False).context)
    conditional = github.server.requests[1]
    assert conditional.headers["if-none-match"].startswith('"') and len(github.server.requests) == 2
    github.pulls[7]["title"] = "Routing v2 (renamed)"
    third = _commits(
        run_pipeline([_config(repo)], DAY, pull_context=_client(github, cache, look_up_commits=False).context)
    )
    assert third["Rework routing (#7)"].commit.pull_requests[0].title == "Routing v2 (renamed)"


def test_a_spent_rate_limit_is_waited_for_until_its_reset(github, repo):
    github.add_pull(7, "Routing v2")
    now = 1_800_000_000.0
    github.throttle.append(
        Response(
            403,
            {"message": "API rate limit exceeded", "documentation_url": "https://docs.github.com/rest/rate-limit"},
            {"x-ratelimit-limit": "5000", "x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(now) + 30)},
        )
    )
    waited: list[float] = []
    client = _client(github, MemoryPullCache(), look_up_commits=False, sleep=waited.append, clock=lambda: now)
    commits = _commits(run_pipeline([_config(repo)], DAY, pull_context=client.context))
    assert waited == [31.0]  # until the reset, and a second for clock skew
    assert commits["Rework routing (#7)"].commit.pull_requests[0].number == 7
    assert len(github.server.requests) == 2


def test_a_spent_window_makes_the_next_request_wait_for_the_reset(github, repo):
    github.add_pull(7, "Routing v2")
    github.add_pull(9, "Docs")
    github.commit_pulls[repo.git("rev-parse", "HEAD")] = [9]
    now = 1_800_000_000.0
    serve_pull = github._get_pull

    def spending_the_window_on_9(request, number):
        response = serve_pull(request, number)
        if number == 9:
            response.headers.update({"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(now) + 20)})
        return response

    github._get_pull = spending_the_window_on_9
    waited: list[float] = []
    client = _client(github, MemoryPullCache(), sleep=waited.append, clock=lambda: now)
    commits = _commits(run_pipeline([_config(repo)], DAY, pull_context=client.context))
    # Newest first: the docs commit's lookup, #9 (the window's last request), then #7 after the reset.
    assert [r.path.rsplit("/", 1)[-1] for r in github.server.requests] == ["pulls", "9", "7"]
    assert waited == [21.0]
    assert commits["Rework routing (#7)"].commit.pull_requests[0].number == 7


def test_a_commit_github_does_not_have_gets_no_context_and_no_warning(github, repo, caplog):
    github.add_pull(7, "Routing v2")
    with caplog.at_level(logging.WARNING):
        commits = _commits(run_pipeline([_config(repo)], DAY, pull_context=_client(github, MemoryPullCache()).context))
    assert commits["Tidy the docs"].commit.pull_requests == ()  # 422 "No commit found for SHA"
    assert commits["Rework routing (#7)"].commit.pull_requests[0].number == 7
    assert not [r for r in caplog.records if "pull-request context" in r.getMessage()]


def test_failures_leave_the_report_as_it_is_offline_and_are_said_once(github, repo, caplog):
    github.add_pull(7, "Routing v2", ["breaking-change"])
    offline = run_pipeline([_config(repo)], DAY, language="en")
    now = 1_800_000_000.0
    spent = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(now) + 7200)}
    github.throttle.append(Response(403, {"message": "API rate limit exceeded"}, spent))
    cases = [
        GitHubPulls(token="wrong-token", cache=MemoryPullCache(), api_url=github.server.url),  # 401
        _client(github, MemoryPullCache(), sleep=lambda s: pytest.fail("waited two hours"), clock=lambda: now),
        GitHubPulls(token=TOKEN, cache=MemoryPullCache(), api_url="http://127.0.0.1:9"),  # nothing listens
    ]
    for client in cases:
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            result = run_pipeline([_config(repo)], DAY, language="en", pull_context=client.context)
        warnings = [r.getMessage() for r in caplog.records if "pull-request context" in r.getMessage()]
        assert len(warnings) == 1, warnings
        assert "the report is as it would be without it" in warnings[0] and TOKEN not in warnings[0]
        assert result.editions[0].documents == offline.editions[0].documents


def test_repositories_not_on_github_are_not_asked(github, repo):
    config = RepositoryConfig(path=str(repo.path), name="acme/demo", web_url="https://gitlab.com/acme/demo")
    run_pipeline([config], DAY, pull_context=_client(github, MemoryPullCache()).context)
    assert github.server.requests == []


def test_enabled_without_a_token_runs_offline_and_says_so(repo, tmp_path):
    from support.cli import run_cli

    config = tmp_path / "repodigest.toml"
    config.write_text('[pull_requests]\nenabled = true\ntoken_env = "NO_SUCH_TOKEN_VAR"\n')
    result = run_cli(
        "run", "--config", str(config), "--repo", str(repo.path), "--date", DAY, "--out", str(tmp_path / "r")
    )
    assert result.code == 0, result.stderr
    assert result.stderr.count("$NO_SUCH_TOKEN_VAR is not set") == 1


def test_hostile_pull_request_text_is_escaped_everywhere(github, repo):
    pull = github.add_pull(7, "<img src=x onerror=alert(1)> [x](javascript:alert(1))\x1b[2J", ["a|b`c", "<b>"])
    pull["html_url"] = "javascript:alert(1)"
    client = _client(github, MemoryPullCache(), look_up_commits=False)
    edition = run_pipeline([_config(repo)], DAY, language="en", formats=("md", "html"), pull_context=client.context)
    markdown = edition.editions[0].document("md", "demo").content
    line = next(line for line in markdown.splitlines() if line.startswith("**🔀 Pull request**"))
    assert line.startswith("**🔀 Pull request**: #7 &lt;img")  # no link: the URL is not http(s)
    assert "\\[x\\](javascript" in line and "\x1b" not in line and "␛" in line  # text, not a link
    html = edition.editions[0].document("html", "demo").content
    assert "<img" not in html and "<b>" not in html and 'href="javascript' not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
