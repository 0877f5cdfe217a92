"""A period digest goes out like a day: a weekly GitHub issue of its own (found again by its
marker), one chat message (an update only when it changed), one mail."""

import pytest
from publish.test_github import TOKEN, publisher
from publish.test_webhooks import make, receiver

from repodigest.config import RepositoryConfig
from repodigest.period import week
from repodigest.publish.base import MemoryLedger
from repodigest.publish.mail import MailPublisher, MailSettings
from repodigest.state.store import StateStore
from support.github_api import FakeGitHub
from support.reports import run_digest
from support.smtp import start_smtp
from support.week_fixture import WEEK, ZONE, build_week_repo


@pytest.fixture(scope="module")
def digest_edition(tmp_path_factory):
    repo = build_week_repo(tmp_path_factory.mktemp("week") / "demo")
    state = StateStore.open(f"sqlite:///{tmp_path_factory.mktemp('state') / 'state.db'}")
    config = RepositoryConfig(path=str(repo.path), name="acme/demo", web_url="https://github.com/acme/demo")
    return run_digest([config], week(WEEK, ZONE), state, language="en", formats=("md", "json", "html")).edition


@pytest.fixture
def github():
    fake = FakeGitHub(token=TOKEN)
    with fake.serve():
        yield fake


def test_a_week_is_an_issue_of_its_own_and_is_found_again(github, digest_edition, day_edition):
    publisher(github, close_after_days=1).publish(day_edition)
    (published,) = publisher(github, close_after_days=1).publish(digest_edition)
    issue = github.issues[int(published.remote_id)]
    assert issue["title"] == "Weekly digest (2026-W09 · 2026-02-23 to 2026-03-01)"
    assert issue["body"].startswith("<!-- repodigest: github:repodigest/acme/reports/week-2026-W09/1 -->\n")
    assert "💥 Breaking changes" in issue["body"]
    # A new process with no ledger finds the week's issue by its marker: no second issue.
    publisher(github, close_after_days=1).publish(digest_edition)
    assert len(github.issues) == 2
    # Closing old days reads every marker of ours; a week's is not a day and stays open.
    publisher(github, close_after_days=1).publish(day_edition)
    assert github.issues[int(published.remote_id)]["state"] == "open"  # digests are never closed as old days


def test_one_chat_message_per_week_and_an_update_only_when_it_changed(digest_edition):
    ledger = MemoryLedger()
    with receiver("ok") as server:
        make("slack", server.url, ledger).publish(digest_edition)
        make("slack", server.url, ledger).publish(digest_edition)
        assert len(server.requests) == 1
        changed = digest_edition.report.model_copy(
            update={"repositories": (digest_edition.report.repositories[0].model_copy(update={"high": ()}),)}
        )
        make("slack", server.url, ledger).publish(digest_edition.model_copy(update={"report": changed}))
    first, update = (r.json() for r in server.requests)
    assert first["text"] == "Weekly digest (2026-W09 · 2026-02-23 to 2026-03-01)"
    text = first["blocks"][1]["text"]["text"]
    assert "acme/demo: 7 commits (🔴3 🟡1 🟢3)" in text and "🏷️ v1.1.0" in text
    assert "connect() requires secure" in text
    assert "reports/2026/demo/week-2026-W09.md" in text
    assert update["text"].endswith("[updated]")


def test_the_week_arrives_by_mail(tmp_path, digest_edition):
    controller, inbox, port, _ = start_smtp(tmp_path)
    settings = MailSettings(
        host="127.0.0.1", port=port, security="none", sender="r@example.org", recipients=("t@example.org",)
    )
    try:
        MailPublisher(settings, None, MemoryLedger()).publish(digest_edition)
    finally:
        controller.stop()
    ((_, message),) = inbox.messages
    assert message["Subject"] == "Weekly digest (2026-W09 · 2026-02-23 to 2026-03-01)"
    assert message.get_body(preferencelist=("plain",)).get_content().startswith("# Weekly digest (2026-W09")
    assert "Content-Security-Policy" in message.get_body(preferencelist=("html",)).get_content()
