"""GitHub issues: one issue per day, updated on re-runs, long reports continued in comments,
old reports (ours only) closed. Works with GitHub Enterprise through `api_url`.

Never a duplicate, never someone else's issue:

- Every issue body and comment carries a hidden marker,
  `<!-- repodigest: github:<label>/<owner>/<repo>/<date>/<part> -->`. An issue or comment is ours
  only if the authenticated user (`GET /user`) wrote it *and* it carries our marker; nothing else
  is ever edited or closed, whatever its label or title.
- A create (`POST`) that ends in a 5xx or a timeout may have happened: before creating again, the
  issue (or comment) is looked up by its marker and adopted. The same lookup finds the day's
  issue when the state is lost.
- The ledger key is the publisher's identity (repository and label): two publishers to one
  repository with different labels keep separate issues.
- The day is done only once the issue and every comment were confirmed; a kill half-way leaves it
  pending and the next run finishes it. A deleted or transferred issue is created again.
  Closing old issues is a step of its own, recorded per day.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import time
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from typing import Literal

import httpx
from pydantic import Field

from repodigest.publish.base import Edition, Ledger, Publication, PublishContext
from repodigest.publish.brief import brief_lines, more_label, title
from repodigest.publish.errors import DeliveryUnknown, PublishError
from repodigest.publish.http import send
from repodigest.publish.settings import PublisherSettings, parse_section, secret_from_env
from repodigest.publish.split import split_markdown, utf16_units
from repodigest.report.digest import Digest

log = logging.getLogger(__name__)

BODY_LIMIT = 65_536
"""GitHub's limit, in UTF-16 code units (JavaScript string length)."""
PART_ROOM = 400
"""Kept free in every part for the marker and a margin."""
MARKER = "<!-- repodigest: {identity}/{date}/{part} -->"
MARKER_PATTERN = re.compile(
    r"<!-- repodigest: (?P<identity>\S+)/(?P<date>\d{4}-\d{2}-\d{2}|(?:week|month|range)-[\dW_-]+)/(?P<part>\d+) -->"
)
"""`date` is the day, or a digest's period (`week-2026-W48`): a weekly digest is an issue of its own."""
GONE = (301, 404, 410)
"""PATCH answers for an issue that was deleted (404, 410) or transferred (301)."""
CREATE_ATTEMPTS = 3
ACTIONS_BOT = "github-actions[bot]"


class GitHubSettings(PublisherSettings):
    kind: Literal["github"] = "github"
    repository: str = Field(pattern=r"^[\w.-]+/[\w.-]+$")
    label: str = "repodigest"
    token_env: str = "GITHUB_TOKEN"
    api_url: str = "https://api.github.com"
    close_after_days: int | None = Field(default=None, ge=1)
    long_reports: Literal["comments", "summary"] = "comments"
    report_url: str | None = None
    """For `long_reports = "summary"`: where the full report lives; `{date}`, `{year}` and `{path}`
    (the Markdown file's path under the output folder) are filled."""
    author: str | None = None
    """The login the token acts as. Default: asked with `GET /user`; a GitHub Actions token
    cannot ask, and is `github-actions[bot]` there."""
    max_wait: float = 300.0


class GitHubIssues:
    name = "github"
    needs_formats: tuple[str, ...] = ()

    def __init__(
        self,
        settings: GitHubSettings,
        token: str,
        ledger: Ledger,
        client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.ledger = ledger
        self.identity = f"github:{settings.label}/{settings.repository}"
        """In every marker: which publisher wrote it."""
        self.target = f"github:{settings.repository}:{settings.label}"
        self._legacy_target = f"github:{settings.repository}" if settings.label == "repodigest" else None
        self.client = client or httpx.Client(timeout=60)
        self.client.headers.update(
            {
                "Authorization": f"Bearer {token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
                "User-Agent": "repodigest",
            }
        )
        self.api = settings.api_url.rstrip("/")
        self.base = f"{self.api}/repos/{settings.repository}"
        self.sleep = sleep
        self._login: str | None = settings.author

    # -- the day's issue ---------------------------------------------------------------------------

    def publish(self, edition: Edition) -> list[Publication]:
        document = edition.main_markdown
        if document is None:
            return []
        report = edition.report
        key = edition.key
        issue_title = title(report)
        parts = self._parts(document.content, edition)
        digest = hashlib.sha256("\x00".join([issue_title, *parts]).encode()).hexdigest()
        entry = self.ledger.entry(self.target, key)
        if entry and entry.delivered and entry.content_hash == digest:
            self._close_old(edition)
            return [Publication(target=self.target, key=key, remote_id=entry.remote_id, location=entry.location)]
        self._ensure_label()
        self.ledger.begin(self.target, key, digest)
        try:
            issue = self._upsert_issue(key, entry, issue_title, parts[0])
            number = str(issue["number"])
            self._sync_comments(number, key, parts)
        except PublishError as error:
            self.ledger.fail(self.target, key, str(error))
            raise
        self.ledger.complete(self.target, key, number, issue.get("html_url"), digest)
        self._close_old(edition)
        return [Publication(target=self.target, key=key, remote_id=number, location=issue.get("html_url"))]

    def _parts(self, markdown: str, edition: Edition) -> list[str]:
        report = edition.report
        key = edition.key
        text = neutralize(markdown)
        if utf16_units(text) + PART_ROOM > BODY_LIMIT and self.settings.long_reports == "summary":
            link = edition.link(self.settings.report_url)
            summary = "\n".join([f"# {title(report)}", "", *(neutralize(line) for line in brief_lines(report))])
            pieces = [summary + (f"\n\n[{more_label(report)}]({link})\n" if link else "\n")]
        else:
            pieces = split_markdown(text, BODY_LIMIT - PART_ROOM, measure=utf16_units)
        return [self._marker(key, i + 1) + "\n" + piece for i, piece in enumerate(pieces)]

    def _marker(self, key: str, part: int) -> str:
        return MARKER.format(identity=self.identity, date=key, part=part)

    def _ours(self, item: dict, key: str | None = None, part: int | None = None) -> re.Match | None:
        """The marker of ours in an issue or comment written by the authenticated user, else None."""
        if (item.get("user") or {}).get("login") != self._me() or "pull_request" in item:
            return None
        for match in MARKER_PATTERN.finditer(item.get("body") or ""):
            if (
                match["identity"] == self.identity
                and (key is None or match["date"] == key)
                and (part is None or int(match["part"]) == part)
            ):
                return match
        return None

    def _upsert_issue(self, key: str, entry, issue_title: str, body: str) -> dict:
        number = entry.remote_id if entry and entry.remote_id else self._legacy_number(key)
        if number is None:
            found = self._find_issue(key)
            number = str(found["number"]) if found else None
        if number is not None:
            response = self._request("PATCH", f"/issues/{number}", json={"title": issue_title, "body": body})
            if response.status_code not in GONE:
                self._check("PATCH /issues", response)
                return response.json()
            log.warning(
                "github: issue #%s of %s is gone (HTTP %s); creating it again", number, key, response.status_code
            )
        return self._create(
            "/issues",
            {"title": issue_title, "body": body, "labels": [self.settings.label]},
            lambda: self._find_issue(key),
        )

    def _legacy_number(self, key: str) -> str | None:
        """The issue an earlier version recorded under the repository alone (default label only)."""
        if self._legacy_target is None:
            return None
        old = self.ledger.entry(self._legacy_target, key)
        return old.remote_id if old and old.remote_id else None

    def _find_issue(self, key: str) -> dict | None:
        """The day's issue of ours, found by author, label and marker (a crash, a lost answer or a
        lost state may have left it unrecorded)."""
        for issue in self._labelled("all"):
            if self._ours(issue, key, 1):
                return issue
        return None

    def _sync_comments(self, number: str, key: str, parts: list[str]) -> None:
        ours: dict[int, dict] = {}
        for comment in self._pages(f"/issues/{number}/comments"):
            match = self._ours(comment, key)
            if match:
                ours[int(match["part"])] = comment
        for index, body in enumerate(parts[1:], start=2):
            existing = ours.pop(index, None)
            if existing is not None and existing["body"] == body:
                continue
            if existing is not None:
                response = self._request("PATCH", f"/issues/comments/{existing['id']}", json={"body": body})
                if response.status_code != 404:
                    self._check("PATCH /issues/comments", response)
                    continue
            self._create(f"/issues/{number}/comments", {"body": body}, partial(self._find_comment, number, key, index))
        for stale in ours.values():  # the report got shorter: its extra parts go
            response = self._request("DELETE", f"/issues/comments/{stale['id']}")
            if response.status_code not in (204, 404):
                self._check("DELETE /issues/comments", response)

    def _find_comment(self, number: str, key: str, part: int) -> dict | None:
        return next((c for c in self._pages(f"/issues/{number}/comments") if self._ours(c, key, part)), None)

    def _create(self, path: str, payload: dict, find: Callable[[], dict | None]) -> dict:
        """POST once; after an answer that leaves it open whether it happened (5xx, timeout), look
        for it by its marker before trying again."""
        what = "POST " + re.sub(r"/\d+", "/{n}", path)
        last = ""
        for attempt in range(1, CREATE_ATTEMPTS + 1):
            try:
                response = send(
                    self.client,
                    "POST",
                    f"{self.base}{path}",
                    f"GitHub {what}",
                    idempotent=False,
                    max_wait=self.settings.max_wait,
                    json=payload,
                )
            except DeliveryUnknown as error:
                response, last = None, str(error)
            if response is not None and response.status_code < 300:
                return response.json()
            if response is not None and response.status_code < 500:
                self._check(what, response)
            if response is not None:
                last = f"HTTP {response.status_code}"
            found = find()
            if found is not None:
                log.warning("github: %s answered %s, but it had been done; using what it made", what, last)
                return found
            if attempt < CREATE_ATTEMPTS:
                self.sleep(min(30.0, 2.0**attempt))
        raise PublishError(
            f"GitHub {what} in {self.settings.repository}: {last} {CREATE_ATTEMPTS} times, "
            "and nothing was created; the next run tries again"
        )

    # -- closing old reports -------------------------------------------------------------------------

    def _close_old(self, edition: Edition) -> None:
        """Close our day reports older than `close_after_days`: its own step, done once per day and
        finished by the next run if a kill cut it short. Digests are left open."""
        report = edition.report
        if not self.settings.close_after_days or isinstance(report, Digest):
            return
        today = report.date
        key = f"{today.isoformat()}/close"
        done = self.ledger.entry(self.target, key)
        if done and done.delivered:
            return
        self.ledger.begin(self.target, key)
        cutoff = today - timedelta(days=self.settings.close_after_days)
        closed = 0
        try:
            for issue in list(self._labelled("open")):
                match = self._ours(issue)
                if match and _is_day(match["date"]) and date.fromisoformat(match["date"]) < cutoff:
                    response = self._request(
                        "PATCH", f"/issues/{issue['number']}", json={"state": "closed", "state_reason": "completed"}
                    )
                    if response.status_code not in GONE:
                        self._check("PATCH /issues", response)
                    closed += 1
        except PublishError as error:
            self.ledger.fail(self.target, key, str(error))
            raise
        self.ledger.complete(self.target, key, None, None, str(closed))

    # -- GitHub ------------------------------------------------------------------------------------

    def _me(self) -> str:
        """The login the token acts as, asked once."""
        if self._login is None:
            response = send(self.client, "GET", f"{self.api}/user", "GitHub GET /user", max_wait=self.settings.max_wait)
            if response.status_code == 200:
                self._login = response.json()["login"]
            elif response.status_code == 403 and os.environ.get("GITHUB_ACTIONS") == "true":
                self._login = ACTIONS_BOT  # GITHUB_TOKEN may not ask; its issues are written by this bot
            else:
                self._check("GET /user", response, hint="or set `author` to the login the token acts as")
        assert self._login is not None  # _check raised otherwise
        return self._login

    def _ensure_label(self) -> None:
        response = send(
            self.client,
            "POST",
            f"{self.base}/labels",
            "GitHub create label",
            idempotent=True,
            max_wait=self.settings.max_wait,
            json={"name": self.settings.label, "color": "0e8a16", "description": "Reports by repodigest"},
        )
        if response.status_code not in (201, 422):  # 422: it exists already
            self._check("POST /labels", response)

    def _labelled(self, state: str):
        yield from self._pages(
            "/issues", params={"labels": self.settings.label, "state": state, "creator": self._me(), "per_page": 100}
        )

    def _pages(self, path: str, params: dict | None = None):
        url: str | None = f"{self.base}{path}"
        params = dict(params or {}, per_page=100)
        while url:
            response = send(
                self.client, "GET", url, f"GitHub GET {path}", max_wait=self.settings.max_wait, params=params
            )
            self._check(f"GET {path}", response)
            yield from response.json()
            url = response.links.get("next", {}).get("url")
            params = None  # the next link carries them

    def _request(self, method: str, path: str, **kwargs) -> httpx.Response:
        return send(
            self.client,
            method,
            f"{self.base}{path}",
            f"GitHub {method} {path}",
            max_wait=self.settings.max_wait,
            **kwargs,
        )

    def _check(self, what: str, response: httpx.Response, hint: str = "") -> None:
        if response.status_code < 300:
            return
        try:
            message = response.json().get("message", "")
        except (ValueError, AttributeError):
            message = ""
        text = f"GitHub {what} in {self.settings.repository}: HTTP {response.status_code} {message}".strip()
        raise PublishError(f"{text} ({hint})" if hint else text)


def _is_day(key: str) -> bool:
    return key[:1].isdigit()


MENTION = re.compile(r"(?<![\w.+\-/`])@(?=[A-Za-z0-9])")
REFERENCE = re.compile(r"(?<![\w/&#`\]])(#|GH-)(?=\d)")
CODE = re.compile(r"(```.*?```|`[^`\n]*`|<[^>\n]*>|\]\([^)\n]*\))", re.S)
JOINER = "\u2060"
"""WORD JOINER: invisible, and it stops GitHub from turning `@name` into a ping and `#12` into a link."""


def neutralize(markdown: str) -> str:
    """Commit text must not ping people or link issues of the reports repository: a word joiner
    after `@` and before the number of `#12`/`GH-12`, outside code, HTML tags and link targets
    (our own links and anchors keep working)."""
    pieces = CODE.split(markdown)
    for index in range(0, len(pieces), 2):  # the even pieces are outside code, tags and link targets
        text = MENTION.sub("@" + JOINER, pieces[index])
        pieces[index] = REFERENCE.sub(lambda m: m[1] + JOINER, text)
    return "".join(pieces)


def build(section: dict, _context: PublishContext, ledger: Ledger) -> GitHubIssues:
    settings = parse_section(GitHubSettings, section)
    token = secret_from_env(settings.token_env, f"the GitHub publisher for {settings.repository}")
    return GitHubIssues(settings, token, ledger)
