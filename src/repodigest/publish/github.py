"""GitHub issues: one issue per day, updated on re-runs, long reports continued in comments,
old reports (ours only) closed. Works with GitHub Enterprise through `api_url`."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta
from typing import Literal

import httpx
from pydantic import Field

from repodigest.config import Config
from repodigest.publish.base import Edition, Ledger, Publication
from repodigest.publish.brief import brief_lines, more_label, title
from repodigest.publish.errors import PublishError
from repodigest.publish.http import send
from repodigest.publish.settings import PublisherSettings, parse_section, secret_from_env
from repodigest.publish.split import split_markdown

BODY_LIMIT = 65_536
PART_MARKER = "<!-- repodigest:part {index} -->"
PART_PATTERN = re.compile(r"<!-- repodigest:part (\d+) -->")
TITLE_DATE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)\s*$")


class GitHubSettings(PublisherSettings):
    kind: Literal["github"] = "github"
    repository: str = Field(pattern=r"^[\w.-]+/[\w.-]+$")
    label: str = "repodigest"
    token_env: str = "GITHUB_TOKEN"
    api_url: str = "https://api.github.com"
    close_after_days: int | None = Field(default=None, ge=1)
    long_reports: Literal["comments", "summary"] = "comments"
    report_url: str | None = None
    """For `long_reports = "summary"`: where the full report lives; `{date}` and `{year}` are filled."""
    max_wait: float = 300.0


class GitHubIssues:
    name = "github"

    def __init__(self, settings: GitHubSettings, token: str, ledger: Ledger, client: httpx.Client | None = None) -> None:
        self.settings = settings
        self.ledger = ledger
        self.target = f"github:{settings.repository}"
        self.client = client or httpx.Client(timeout=60)
        self.client.headers.update({"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
                                    "X-GitHub-Api-Version": "2022-11-28", "User-Agent": "repodigest"})
        self.base = f"{settings.api_url.rstrip('/')}/repos/{settings.repository}"

    def publish(self, edition: Edition) -> list[Publication]:
        document = edition.main_markdown
        if document is None:
            return []
        report = edition.report
        key = report.date.isoformat()
        issue_title = title(report)
        parts = self._parts(document.content, report)
        digest = hashlib.sha256("\x00".join([issue_title, *parts]).encode()).hexdigest()
        entry = self.ledger.entry(self.target, key)
        if entry and entry.status == "done" and entry.content_hash == digest:
            return [Publication(target=self.target, key=key, remote_id=entry.remote_id, location=entry.location)]
        self._ensure_label()
        self.ledger.begin(self.target, key)
        number = (entry.remote_id if entry and entry.remote_id else None) or self._find(issue_title)
        if number is None:
            issue = self._call("POST", "/issues", json={"title": issue_title, "body": parts[0],
                                                        "labels": [self.settings.label]})
        else:
            issue = self._call("PATCH", f"/issues/{number}", json={"title": issue_title, "body": parts[0]})
        number = str(issue["number"])
        self._sync_comments(number, parts[1:])
        self.ledger.complete(self.target, key, number, issue.get("html_url"), digest)
        if self.settings.close_after_days:
            self._close_old(report.date)
        return [Publication(target=self.target, key=key, remote_id=number, location=issue.get("html_url"))]

    def _parts(self, markdown: str, report) -> list[str]:
        if len(markdown) <= BODY_LIMIT:
            return [markdown]
        if self.settings.long_reports == "summary":
            link = (self.settings.report_url or "").format(date=report.date.isoformat(), year=report.date.year)
            summary = "\n".join([f"# {title(report)}", "", *brief_lines(report)])
            return [summary + (f"\n\n[{more_label(report)}]({link})\n" if link else "\n")]
        pieces = split_markdown(markdown, BODY_LIMIT - 200)
        return [PART_MARKER.format(index=i + 1) + "\n" + piece for i, piece in enumerate(pieces)]

    def _find(self, issue_title: str) -> str | None:
        """An issue of ours with this title, found by listing our label (a crash may have
        created it without recording it)."""
        for issue in self._labelled("all"):
            if issue["title"] == issue_title and "pull_request" not in issue:
                return str(issue["number"])
        return None

    def _sync_comments(self, number: str, parts: list[str]) -> None:
        ours: dict[int, dict] = {}
        for comment in self._pages(f"/issues/{number}/comments"):
            marker = PART_PATTERN.match(comment.get("body") or "")
            if marker:
                ours[int(marker[1])] = comment
        for index, body in enumerate(parts, start=2):
            existing = ours.pop(index, None)
            if existing is None:
                self._call("POST", f"/issues/{number}/comments", json={"body": body})
            elif existing["body"] != body:
                self._call("PATCH", f"/issues/comments/{existing['id']}", json={"body": body})
        for stale in ours.values():  # the report got shorter: its extra parts go
            self._call("DELETE", f"/issues/comments/{stale['id']}", expect_json=False)

    def _close_old(self, today: date) -> None:
        cutoff = today - timedelta(days=self.settings.close_after_days)
        for issue in self._labelled("open"):
            labels = {label["name"] for label in issue.get("labels", [])}
            match = TITLE_DATE.search(issue.get("title", ""))
            if self.settings.label in labels and match and date.fromisoformat(match[1]) < cutoff \
                    and "pull_request" not in issue:
                self._call("PATCH", f"/issues/{issue['number']}", json={"state": "closed", "state_reason": "completed"})

    def _ensure_label(self) -> None:
        response = send(self.client, "POST", f"{self.base}/labels", "GitHub create label",
                        max_wait=self.settings.max_wait,
                        json={"name": self.settings.label, "color": "0e8a16", "description": "Reports by repodigest"})
        if response.status_code not in (201, 422):  # 422: it exists already
            self._fail("POST /labels", response)

    def _labelled(self, state: str):
        yield from self._pages("/issues", params={"labels": self.settings.label, "state": state, "per_page": 100})

    def _pages(self, path: str, params: dict | None = None):
        url = f"{self.base}{path}"
        params = dict(params or {}, per_page=100)
        while url:
            response = send(self.client, "GET", url, f"GitHub GET {path}", max_wait=self.settings.max_wait, params=params)
            if response.status_code != 200:
                self._fail(f"GET {path}", response)
            yield from response.json()
            url = response.links.get("next", {}).get("url")
            params = None  # the next link carries them

    def _call(self, method: str, path: str, expect_json: bool = True, **kwargs):
        response = send(self.client, method, f"{self.base}{path}", f"GitHub {method} {path}",
                        max_wait=self.settings.max_wait, **kwargs)
        if response.status_code >= 300:
            self._fail(f"{method} {path}", response)
        return response.json() if expect_json else None

    def _fail(self, what: str, response: httpx.Response) -> None:
        try:
            message = response.json().get("message", "")
        except ValueError:
            message = ""
        raise PublishError(f"GitHub {what} in {self.settings.repository}: HTTP {response.status_code} {message}".strip())


def build(section: dict, config: Config, ledger: Ledger) -> GitHubIssues:
    settings = parse_section(GitHubSettings, section)
    token = secret_from_env(settings.token_env, f"the GitHub publisher for {settings.repository}")
    return GitHubIssues(settings, token, ledger)
