"""The GitHub publisher when things go wrong: lost answers, other people's issues, two
publishers, kills half-way, deleted issues, a lost state."""

import httpx
import pytest
from publish.conftest import long_edition
from publish.test_github import TOKEN, marker, publisher

from repodigest.publish.base import MemoryLedger, RenderedDocument
from repodigest.publish.errors import PublishError
from repodigest.publish.github import GitHubIssues, GitHubSettings
from repodigest.publish.split import utf16_units
from support.github_api import FakeGitHub
from support.http_server import Response


@pytest.fixture
def github():
    fake = FakeGitHub(token=TOKEN)
    with fake.serve():
        yield fake


def posts(github, suffix="/issues"):
    return sum(1 for r in github.server.requests if r.method == "POST" and r.path.endswith(suffix))


def with_markdown(edition, text):
    return edition.model_copy(update={"documents": (RenderedDocument(repository=None, format="md", content=text),)})


def test_a_502_after_the_issue_was_created_adopts_it_instead_of_creating_another(github, day_edition):
    github.after[("POST", "issues")] = [Response(502, {"message": "Bad Gateway"})]
    (published,) = publisher(github).publish(day_edition)
    assert len(github.issues) == 1 and posts(github) == 1
    assert published.remote_id == "1"


def test_a_timeout_after_the_issue_was_created_adopts_it(github, day_edition):
    github.after[("POST", "issues")] = [Response(201, {"number": 1}, delay=2.0)]
    options = {"repository": github.repository, "api_url": github.server.url, "max_wait": 10}
    client = httpx.Client(timeout=httpx.Timeout(10, read=0.5))
    GitHubIssues(GitHubSettings(**options), TOKEN, MemoryLedger(), client, sleep=lambda s: None).publish(day_edition)
    assert len(github.issues) == 1 and posts(github) == 1


def test_a_502_after_a_comment_was_created_does_not_post_it_twice(github, day_edition):
    edition, _ = long_edition(day_edition, 150_000)
    github.after[("POST", "issues/{n}/comments")] = [Response(502, {"message": "Bad Gateway"})]
    publisher(github).publish(edition)
    assert len(github.comments) == 2 and posts(github, "/comments") == 2


def test_a_create_that_really_failed_is_tried_again(github, day_edition):
    # 502 answered *instead of* creating: the marker search finds nothing, so it is created again.
    github.throttle = []
    answers = [Response(502, {"message": "Bad Gateway"})]
    original = github.handle

    def handle(request):
        if request.method == "POST" and request.path.endswith("/issues") and answers:
            return answers.pop(0)
        return original(request)

    github.server.handler = handle
    publisher(github).publish(day_edition)
    assert len(github.issues) == 1 and posts(github) == 2


def test_a_persons_issue_with_our_label_and_the_days_title_is_never_edited(github, day_edition):
    persons = github.add_issue("仓库更新报告 (2026-02-27)", ["repodigest"], author="alice", body="my notes")
    copied = github.add_issue("仓库更新报告 (2026-02-27)", ["repodigest"], author="bob", body=marker("2026-02-27"))
    (published,) = publisher(github).publish(day_edition)
    assert github.issues[persons]["body"] == "my notes"
    assert github.issues[copied]["body"] == marker("2026-02-27")
    assert published.remote_id not in (str(persons), str(copied))
    assert github.issues[int(published.remote_id)]["user"]["login"] == "report-bot"
    assert not [r for r in github.server.requests if r.method == "PATCH"]


def test_a_persons_comment_on_our_issue_is_left_alone(github, day_edition):
    edition, _ = long_edition(day_edition, 150_000)
    (published,) = publisher(github).publish(edition)
    number = int(published.remote_id)
    theirs = github.add_comment(number, marker("2026-02-27", part=2) + "a person's copy", author="alice")
    shorter, _ = long_edition(day_edition, 30_000)
    publisher(github).publish(shorter)
    assert theirs in github.comments and github.comments[theirs]["body"].endswith("a person's copy")
    assert len(github.comments) == 1


def test_two_publishers_with_different_labels_keep_their_own_issues(github, day_edition):
    ledger = MemoryLedger()
    daily, team = publisher(github, ledger), publisher(github, ledger, label="team-digest")
    assert daily.target != team.target
    for _ in range(2):
        daily.publish(day_edition)
        team.publish(day_edition)
    assert len(github.issues) == 2
    labels = sorted(issue["labels"][0]["name"] for issue in github.issues.values())
    assert labels == ["repodigest", "team-digest"]
    assert {github.issues[n]["body"].split(" -->")[0] for n in github.issues} == {
        "<!-- repodigest: github:repodigest/acme/reports/2026-02-27/1",
        "<!-- repodigest: github:team-digest/acme/reports/2026-02-27/1",
    }
    # A lost state changes nothing either: each finds its own issue by its marker.
    publisher(github).publish(day_edition)
    publisher(github, label="team-digest").publish(day_edition)
    assert len(github.issues) == 2


def test_an_update_cut_short_is_finished_by_the_next_run_even_with_the_old_content(github, day_edition):
    ledger = MemoryLedger()
    old, old_text = long_edition(day_edition, 150_000)
    publisher(github, ledger).publish(old)
    new = with_markdown(old, old_text.replace("A paragraph", "B paragraph"))
    github.after[("PATCH", "issues/comments/{n}")] = [Response(403, {"message": "Forbidden"})]
    with pytest.raises(PublishError, match="403"):
        publisher(github, ledger).publish(new)  # the body is the new one, the comments are not
    (entry,) = [e for e in ledger.entries(publisher(github).target) if e.key == "2026-02-27"]
    assert not entry.delivered
    publisher(github, ledger).publish(old)  # the next run's report is the old one again
    (issue,) = github.issues.values()
    assert "B paragraph" not in issue["body"]
    assert not any("B paragraph" in c["body"] for c in github.comments.values())


def test_a_deleted_issue_is_created_again(github, day_edition):
    ledger = MemoryLedger()
    publisher(github, ledger).publish(day_edition)
    github.issues.clear()  # deleted by someone (or transferred away)
    changed = with_markdown(day_edition, "# 每日更新报告（2026-02-27）\n\nrevised\n")
    (published,) = publisher(github, ledger).publish(changed)
    assert len(github.issues) == 1 and github.issues[int(published.remote_id)]["body"].endswith("revised\n")
    assert publisher(github, ledger).publish(changed)[0].remote_id == published.remote_id


def test_closing_cut_short_is_finished_by_the_next_run(github, day_edition):
    ledger = MemoryLedger()
    old = github.add_issue("仓库更新报告 (2026-01-10)", ["repodigest"], body=marker("2026-01-10"))
    older = github.add_issue("仓库更新报告 (2026-01-09)", ["repodigest"], body=marker("2026-01-09"))
    # The day's issue is written; then closing fails on the first old issue.
    original = github.handle
    refuse = [True]

    def handle(request):
        if request.method == "PATCH" and request.path.endswith(f"/issues/{old}") and refuse:
            refuse.pop()
            return Response(403, {"message": "Forbidden"})
        return original(request)

    github.server.handler = handle
    with pytest.raises(PublishError, match="403"):
        publisher(github, ledger, close_after_days=30).publish(day_edition)
    publisher(github, ledger, close_after_days=30).publish(day_edition)  # same content: the day is done
    assert github.issues[old]["state"] == "closed" and github.issues[older]["state"] == "closed"
    closes = sum(1 for r in github.server.requests if r.method == "PATCH" and b'"closed"' in r.body)
    publisher(github, ledger, close_after_days=30).publish(day_edition)
    assert sum(1 for r in github.server.requests if r.method == "PATCH" and b'"closed"' in r.body) == closes


def test_mentions_and_references_in_commit_text_do_not_ping_or_link(github, day_edition):
    text = (
        '# 每日更新报告（2026-02-27）\n\n[目录](#c-1) <a name="c-1"></a>\n\n'
        "Thanks @alice, fixes #12 and GH-7; mail bob@example.org; `@in_code #3`\n"
    )
    publisher(github).publish(with_markdown(day_edition, text))
    (issue,) = github.issues.values()
    body = issue["body"]
    assert "@alice" not in body and "@\u2060alice" in body
    assert "#12" not in body and "#\u206012" in body and "GH-\u20607" in body
    assert "bob@example.org" in body and "`@in_code #3`" in body
    assert '[目录](#c-1) <a name="c-1"></a>' in body


def test_parts_fit_in_utf16_units(github, day_edition):
    text = "# Report\n\n" + ("#### 🔴 change\n\n" + "😀😀😀😀 x " * 150 + "\n\n") * 60  # ~61,000 code points
    assert len(text) < 65_536 < utf16_units(text)
    publisher(github).publish(with_markdown(day_edition, text))
    bodies = [i["body"] for i in github.issues.values()] + [c["body"] for c in github.comments.values()]
    assert len(bodies) == 2 and all(utf16_units(b) <= 65_536 for b in bodies)


def test_an_actions_token_that_cannot_ask_who_it_is_acts_as_the_actions_bot(github, day_edition, monkeypatch):
    github.user_forbidden = True
    github.login = "github-actions[bot]"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    publisher(github).publish(day_edition)
    publisher(github).publish(day_edition)
    assert len(github.issues) == 1


def test_a_token_that_cannot_ask_who_it_is_outside_actions_says_what_to_set(github, day_edition, monkeypatch):
    github.user_forbidden = True
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    with pytest.raises(PublishError, match=r"GET /user .*HTTP 403 .*set `author`"):
        publisher(github).publish(day_edition)
    publisher(github, author="report-bot").publish(day_edition)
    assert len(github.issues) == 1
