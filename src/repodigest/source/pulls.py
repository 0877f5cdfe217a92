"""Pull-request context from the GitHub REST API, for commits on GitHub (optional: needs a token).

A commit names its pull request (`Subject (#123)`, `Merge pull request #123 from ...`), or the
API associates one with it (`GET /repos/{o}/{r}/commits/{sha}/pulls`). Each pull request is
fetched once and kept in the state with its ETag: a merged or closed one is final and never asked
for again; an open one is revalidated with `If-None-Match` (a 304 costs nothing). When
`X-RateLimit-Remaining` reaches 0 the client waits until `X-RateLimit-Reset`, up to `max_wait`.
Any failure leaves the commits without context and is said once per repository: the report is
then exactly what it is offline.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from repodigest.credentials import redact
from repodigest.source.models import Commit, PullRequest, RepositoryInfo

log = logging.getLogger(__name__)

BODY_LIMIT = 4000
"""Characters of a pull request's description kept: the why is at the top."""
_NAMED = re.compile(r"\(#(\d+)\)\s*$|^Merge pull request #(\d+)\b")
_CLOSES = re.compile(r"\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s*:?\s+#(\d+)\b", re.I)
_GITHUB = re.compile(r"^https://github\.com/([^/\s]+)/([^/\s]+?)/?$")


def named_pulls(message: str) -> tuple[int, ...]:
    """Pull-request numbers the subject names: a squash merge's `(#123)`, a merge commit's
    `Merge pull request #123`."""
    found = _NAMED.search(message.split("\n", 1)[0].strip())
    return (int(found[1] or found[2]),) if found else ()


def linked_issues(body: str) -> tuple[int, ...]:
    return tuple(dict.fromkeys(int(n) for n in _CLOSES.findall(body or "")))


def github_slug(repository: RepositoryInfo) -> str | None:
    """owner/name of a repository on github.com, from its web page; None elsewhere."""
    found = _GITHUB.match(repository.url or "")
    return f"{found[1]}/{found[2].removesuffix('.git')}" if found else None


class PullCache(Protocol):
    """Where fetched answers are kept between runs (the state database; a dict in tests)."""

    def get_cached(self, key: str) -> tuple[str | None, dict[str, Any]] | None: ...

    def put_cached(self, key: str, etag: str | None, payload: dict[str, Any]) -> None: ...


@dataclass
class MemoryPullCache:
    rows: dict[str, tuple[str | None, dict[str, Any]]] = field(default_factory=dict)

    def get_cached(self, key: str) -> tuple[str | None, dict[str, Any]] | None:
        return self.rows.get(key)

    def put_cached(self, key: str, etag: str | None, payload: dict[str, Any]) -> None:
        self.rows[key] = (etag, payload)


class PullContextError(Exception):
    pass


@dataclass
class GitHubPulls:
    token: str = field(repr=False)
    cache: PullCache
    api_url: str = "https://api.github.com"
    max_wait: float = 60.0
    """Longest wait for a rate-limit reset; a later reset is a failure (the report goes on without)."""
    look_up_commits: bool = True
    """Ask the API for the pull requests of commits that name none."""
    timeout: float = 20.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    requests: int = 0
    """Requests sent this run (304s included)."""
    _client: httpx.Client | None = None
    _seen: dict[str, PullRequest | None] = field(default_factory=dict)
    _resume_at: float = 0.0
    """The rate limit's reset when its last request was spent: the next request waits for it."""
    """Pull requests asked for in this run: an open one is revalidated once per run, not per commit."""

    def context(self, repository: RepositoryInfo, commits: Sequence[Commit]) -> dict[str, tuple[PullRequest, ...]]:
        """sha → its pull requests, for the commits that have any. Never raises."""
        slug = github_slug(repository)
        if slug is None or not commits:
            return {}
        found: dict[str, tuple[PullRequest, ...]] = {}
        try:
            for commit in commits:
                numbers = named_pulls(commit.message) or (
                    self._associated(slug, commit.sha) if self.look_up_commits else ()
                )
                pulls = tuple(p for n in numbers if (p := self._pull(slug, n)) is not None)
                if pulls:
                    found[commit.sha] = pulls
        except PullContextError as error:
            log.warning(
                "%s: no pull-request context (%s); the report is as it would be without it",
                repository.name,
                redact(str(error)),
            )
        return found

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    # -- the two endpoints -----------------------------------------------------------------

    def _pull(self, slug: str, number: int) -> PullRequest | None:
        key = f"{slug}#pull/{number}"
        if key not in self._seen:
            self._seen[key] = self._fetch_pull(slug, number, key)
        return self._seen[key]

    def _fetch_pull(self, slug: str, number: int, key: str) -> PullRequest | None:
        cached = self.cache.get_cached(key)
        if cached is not None and cached[1].get("state") != "open":
            return _pull_of(cached[1]) if cached[1] else None  # final: never asked again
        payload = self._get(f"/repos/{slug}/pulls/{number}", key, cached)
        return _pull_of(payload) if payload else None

    def _associated(self, slug: str, sha: str) -> tuple[int, ...]:
        key = f"{slug}@{sha}"
        cached = self.cache.get_cached(key)
        if cached is not None:
            return tuple(cached[1].get("numbers", ()))
        answer = self._get(f"/repos/{slug}/commits/{sha}/pulls", None, None, shape=list)
        numbers = [p["number"] for p in answer or [] if isinstance(p, dict) and p.get("merged_at")]
        numbers = numbers or [p["number"] for p in answer or [] if isinstance(p, dict) and "number" in p]
        self.cache.put_cached(key, None, {"numbers": numbers[:3]})
        return tuple(numbers[:3])

    def _get(
        self,
        path: str,
        key: str | None,
        cached: tuple[str | None, dict[str, Any]] | None,
        shape: type[dict[str, Any] | list[Any]] = dict,
    ) -> Any:
        """One GET (and one more after a rate-limit wait). The answer, or {} / [] for a 404."""
        headers: dict[str, str] = {}
        if cached is not None and cached[0]:
            headers["If-None-Match"] = cached[0]
        for attempt in range(2):
            response = self._send(path, headers)
            if response.status_code == 304 and cached is not None:
                return cached[1]
            if response.status_code in (403, 429) and attempt == 0 and self._wait_for_reset(response):
                continue
            if response.status_code in (404, 422):  # no such pull request; a commit GitHub does not have
                payload = shape()
                if key is not None and isinstance(payload, dict):  # keyed asks are for objects
                    self.cache.put_cached(key, None, payload)  # no such pull request: never asked again
                return payload
            if response.status_code != 200:
                raise PullContextError(f"GitHub answered {response.status_code} for {path}: {_message(response)}")
            try:
                payload = response.json()
            except ValueError:
                raise PullContextError(f"GitHub's answer for {path} is not JSON") from None
            if not isinstance(payload, shape):
                raise PullContextError(f"GitHub's answer for {path} is not a pull request")
            if key is not None and isinstance(payload, dict):  # keyed asks are for objects
                self.cache.put_cached(key, response.headers.get("etag"), payload)
            self._pace(response)
            return payload
        raise PullContextError(f"GitHub kept refusing {path}: {_message(response)}")

    def _send(self, path: str, headers: dict[str, Any]) -> httpx.Response:
        if self._client is None:
            self._client = httpx.Client(
                base_url=self.api_url,
                timeout=self.timeout,
                headers={
                    "Authorization": f"Bearer {self.token}",
                    "Accept": "application/vnd.github+json",
                    "X-GitHub-Api-Version": "2022-11-28",
                    "User-Agent": "repodigest",
                },
            )
        if self._resume_at:
            self._wait(self._resume_at - self.clock() + 1)
            self._resume_at = 0.0
        self.requests += 1
        try:
            return self._client.get(path, headers=headers)
        except httpx.HTTPError as error:
            raise PullContextError(f"cannot reach {self.api_url}: {error}") from None

    def _wait_for_reset(self, response: httpx.Response) -> bool:
        """A rate-limit answer: wait for the reset (or Retry-After) when it is soon enough."""
        if response.headers.get("retry-after", "").isdigit():
            wait = float(response.headers["retry-after"])
        elif response.headers.get("x-ratelimit-remaining") == "0" and response.headers.get("x-ratelimit-reset"):
            wait = float(response.headers["x-ratelimit-reset"]) - self.clock() + 1
        else:
            return False
        self._wait(wait)
        return True

    def _pace(self, response: httpx.Response) -> None:
        """The window's last request was spent: the next request (if any) waits for the reset."""
        if response.headers.get("x-ratelimit-remaining") == "0" and response.headers.get("x-ratelimit-reset"):
            self._resume_at = float(response.headers["x-ratelimit-reset"])

    def _wait(self, seconds: float) -> None:
        if seconds > self.max_wait:
            raise PullContextError(
                f"GitHub's rate limit resets in {seconds:.0f} s, more than the {self.max_wait:.0f} s to wait"
            )
        self.sleep(max(seconds, 0.0))


def _pull_of(payload: dict[str, Any]) -> PullRequest:
    body = payload.get("body") or ""
    return PullRequest(
        number=int(payload["number"]),
        title=str(payload.get("title") or ""),
        labels=tuple(str(label["name"]) for label in payload.get("labels") or [] if isinstance(label, dict)),
        body=body[:BODY_LIMIT],
        linked_issues=linked_issues(body),
        state="merged" if payload.get("merged_at") else str(payload.get("state") or "closed"),
        url=payload.get("html_url"),
    )


def _message(response: httpx.Response) -> str:
    try:
        return str(response.json().get("message", ""))[:200]
    except (ValueError, AttributeError):
        return response.text[:200]
