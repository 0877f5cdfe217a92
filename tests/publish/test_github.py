"""The GitHub publisher against a local server speaking GitHub's REST shapes."""

import re

import httpx
import pytest
from publish.conftest import long_edition

from repodigest.publish.base import MemoryLedger
from repodigest.publish.errors import PublishError
from repodigest.publish.github import GitHubIssues, GitHubSettings, neutralize
from repodigest.publish.split import utf16_units
from support.github_api import FakeGitHub, rate_limited, secondary_limited

TOKEN = "ghp_testtoken0000000000000000000000000000"


@pytest.fixture
def github():
    fake = FakeGitHub(token=TOKEN)
    with fake.serve():
        yield fake


def publisher(github: FakeGitHub, ledger=None, **settings) -> GitHubIssues:
    options = {"repository": github.repository, "api_url": github.server.url, "max_wait": 10, **settings}
    return GitHubIssues(
        GitHubSettings(**options), TOKEN, ledger or MemoryLedger(), httpx.Client(timeout=10), sleep=lambda seconds: None
    )


def test_a_day_becomes_one_labelled_issue_and_a_rerun_updates_it(github, day_edition):
    first = publisher(github).publish(day_edition)
    assert len(github.issues) == 1
    issue = github.issues[int(first[0].remote_id)]
    assert issue["title"] == "仓库更新报告 (2026-02-27)"
    assert [label["name"] for label in issue["labels"]] == ["repodigest"]
    assert issue["body"] == "<!-- repodigest: github:repodigest/acme/reports/2026-02-27/1 -->\n" + neutralize(
        day_edition.main_markdown.content
    )
    # A new process knows nothing of the first (empty ledger): it finds the issue by label and title.
    publisher(github).publish(day_edition)
    assert len(github.issues) == 1
    assert sum(1 for r in github.server.requests if r.method == "POST" and r.path.endswith("/issues")) == 1


def test_unchanged_content_with_a_ledger_makes_no_write(github, day_edition):
    ledger = MemoryLedger()
    publisher(github, ledger).publish(day_edition)
    writes = len([r for r in github.server.requests if r.method != "GET"])
    publisher(github, ledger).publish(day_edition)
    assert len([r for r in github.server.requests if r.method != "GET"]) == writes


def test_a_120000_character_report_arrives_complete_across_issue_and_comments(github, day_edition):
    edition, text = long_edition(day_edition, 120_000)
    (published,) = publisher(github).publish(edition)
    number = int(published.remote_id)
    parts = [github.issues[number]["body"]] + [
        c["body"] for c in sorted(github.comments.values(), key=lambda c: c["id"])
    ]
    assert len(parts) == 2 and all(utf16_units(part) <= 65_536 for part in parts)
    stripped = [re.sub(r"^<!-- repodigest: \S+/2026-02-27/\d -->\n", "", part) for part in parts]
    assert "".join(stripped) == text
    assert all(piece.startswith(("# Report", "#### ")) for piece in stripped)  # cut on section boundaries


def test_a_shorter_rerun_removes_the_extra_comments(github, day_edition):
    edition, _ = long_edition(day_edition, 200_000)
    publisher(github).publish(edition)
    assert len(github.comments) == 3
    short, _text = long_edition(day_edition, 100_000)
    publisher(github).publish(short)
    assert len(github.comments) == 1 and len(github.issues) == 1


def test_summary_mode_links_to_the_file(github, day_edition):
    edition, _ = long_edition(day_edition, 120_000)
    publisher(github, long_reports="summary", report_url="https://example.org/reports/{year}/{date}.md").publish(
        edition
    )
    (issue,) = github.issues.values()
    assert "https://example.org/reports/2026/2026-02-27.md" in issue["body"] and not github.comments
    assert "acme/demo" in issue["body"]


def marker(day: str, label: str = "repodigest", part: int = 1) -> str:
    return f"<!-- repodigest: github:{label}/acme/reports/{day}/{part} -->\n"


def test_only_our_old_issues_are_closed(github, day_edition):
    old_ours = github.add_issue("仓库更新报告 (2026-01-10)", ["repodigest"], body=marker("2026-01-10"))
    recent_ours = github.add_issue("仓库更新报告 (2026-02-20)", ["repodigest"], body=marker("2026-02-20"))
    old_other_label = github.add_issue("仓库更新报告 (2026-01-11)", ["other"], body=marker("2026-01-11"))
    unrelated = github.add_issue("Bug: crash on start", [])
    # A person's issue with our label and a report's title, even one that copies our marker.
    persons = github.add_issue("仓库更新报告 (2026-01-09)", ["repodigest"], author="alice")
    copied = github.add_issue("仓库更新报告 (2026-01-08)", ["repodigest"], author="alice", body=marker("2026-01-08"))
    other_publisher = github.add_issue("Weekly (2026-01-07)", ["repodigest"], body=marker("2026-01-07", "weekly"))
    publisher(github, close_after_days=30).publish(day_edition)
    numbers = (old_ours, recent_ours, old_other_label, unrelated, persons, copied, other_publisher)
    states = {n: github.issues[n]["state"] for n in numbers}
    assert states == {
        old_ours: "closed",
        recent_ours: "open",
        old_other_label: "open",
        unrelated: "open",
        persons: "open",
        copied: "open",
        other_publisher: "open",
    }


def test_rate_limits_are_waited_out(github, day_edition):
    github.throttle = [rate_limited(1), secondary_limited(1)]
    publisher(github).publish(day_edition)
    assert len(github.issues) == 1
    statuses = [r for r in github.server.requests]
    assert len(statuses) >= 3


def test_a_rate_limit_longer_than_allowed_fails_clearly(github, day_edition):
    github.throttle = [secondary_limited(3600)]
    with pytest.raises(PublishError, match="rate limited for 3600 s"):
        publisher(github).publish(day_edition)


def test_a_bad_token_fails_without_showing_it(github, day_edition):
    settings = GitHubSettings(repository=github.repository, api_url=github.server.url)
    with pytest.raises(PublishError) as failure:
        GitHubIssues(settings, "ghp_wrongtoken", MemoryLedger(), httpx.Client()).publish(day_edition)
    assert "401" in str(failure.value) and "ghp_" not in str(failure.value)


def test_english_title(github, day_edition):
    edition = day_edition.model_copy(update={"report": day_edition.report.model_copy(update={"language": "en"})})
    publisher(github).publish(edition)
    (issue,) = github.issues.values()
    assert issue["title"] == "Repository update report (2026-02-27)"
