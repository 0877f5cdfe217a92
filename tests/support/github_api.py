"""A fake of the GitHub REST API endpoints repodigest calls, following GitHub's documented
request and response shapes: the authenticated user, labels, issues (create, list with
label/state/creator filters and Link pagination, get, update), issue comments (list, create,
update, delete), each with its author (`user.login`), a 65,536-character body limit, token
checks, and rate limiting (403 with x-ratelimit-* headers, 429 with Retry-After) on demand.

Faults: `after[(method, route)]` holds responses given *after* a request was carried out (a 502
from a proxy, or a reply too slow to wait for), so the effect happened but the client cannot
know; `user_forbidden` answers GET /user as it does for an Actions GITHUB_TOKEN."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field

from support.http_server import LocalServer, Request, Response

BODY_LIMIT = 65_536


@dataclass
class FakeGitHub:
    token: str
    repository: str = "acme/reports"
    issues: dict[int, dict] = field(default_factory=dict)
    comments: dict[int, dict] = field(default_factory=dict)
    labels: set[str] = field(default_factory=set)
    throttle: list[Response] = field(default_factory=list)
    """Responses to give (one per request) before serving normally: rate-limit answers."""
    page_size: int = 100
    login: str = "report-bot"
    """Whom the token belongs to."""
    user_forbidden: bool = False
    after: dict[tuple[str, str], list[Response]] = field(default_factory=dict)
    """(method, route such as "issues" or "issues/{n}/comments") → responses replacing the
    real answer once the request was carried out."""
    pulls: dict[int, dict] = field(default_factory=dict)
    """Pull requests by number (GET pulls/{n}, answered with an ETag; If-None-Match → 304)."""
    commit_pulls: dict[str, list[int]] = field(default_factory=dict)
    """sha → numbers of the pull requests GET commits/{sha}/pulls lists."""
    _next_issue: int = 1
    _next_comment: int = 1000

    def serve(self) -> LocalServer:
        self.server = LocalServer(self.handle)
        return self.server

    def add_issue(
        self,
        title: str,
        labels: list[str],
        state: str = "open",
        created: str = "2026-01-01T00:00:00Z",
        author: str | None = None,
        body: str = "",
    ) -> int:
        number = self._next_issue
        self._next_issue += 1
        self.issues[number] = {
            "number": number,
            "title": title,
            "body": body,
            "state": state,
            "created_at": created,
            "labels": [{"name": name} for name in labels],
            "user": {"login": author or self.login},
            "html_url": f"https://github.example/{self.repository}/issues/{number}",
        }
        return number

    def handle(self, request: Request) -> Response:
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return Response(401, {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"})
        if self.throttle:
            return self.throttle.pop(0)
        if request.path == "/user" and request.method == "GET":
            if self.user_forbidden:
                return Response(
                    403,
                    {
                        "message": "Resource not accessible by integration",
                        "documentation_url": "https://docs.github.com/rest/users/users",
                    },
                )
            return Response(200, {"login": self.login, "id": 1, "type": "Bot" if "[bot]" in self.login else "User"})
        prefix = f"/repos/{self.repository}"
        if not request.path.startswith(prefix):
            return Response(404, {"message": "Not Found"})
        path = request.path[len(prefix) :]
        parts = path.strip("/").split("/")
        if request.method == "GET" and len(parts) == 3 and parts[0] == "commits" and parts[2] == "pulls":
            if parts[1] not in self.commit_pulls:  # GitHub's answer for a commit it does not have
                return Response(422, {"message": f"No commit found for SHA: {parts[1]}"})
            return Response(200, [self.pulls[n] for n in self.commit_pulls[parts[1]] if n in self.pulls])
        route = (request.method, tuple("{n}" if p.isdigit() else p for p in parts))
        handler = {
            ("POST", ("labels",)): self._create_label,
            ("GET", ("issues",)): self._list_issues,
            ("POST", ("issues",)): self._create_issue,
            ("GET", ("issues", "{n}")): self._get_issue,
            ("PATCH", ("issues", "{n}")): self._update_issue,
            ("GET", ("issues", "{n}", "comments")): self._list_comments,
            ("POST", ("issues", "{n}", "comments")): self._create_comment,
            ("PATCH", ("issues", "comments", "{n}")): self._update_comment,
            ("DELETE", ("issues", "comments", "{n}")): self._delete_comment,
            ("GET", ("pulls", "{n}")): self._get_pull,
        }.get(route)
        if handler is None:
            return Response(404, {"message": "Not Found"})
        numbers = [int(p) for p in parts if p.isdigit()]
        response = handler(request, *numbers)
        queued = self.after.get((request.method, "/".join(route[1])))
        return queued.pop(0) if queued else response

    def add_pull(self, number: int, title: str, labels=(), body: str = "", state: str = "closed", merged=True) -> dict:
        self.pulls[number] = {
            "number": number,
            "title": title,
            "body": body,
            "state": state,
            "merged_at": "2026-02-27T01:00:00Z" if merged else None,
            "labels": [{"id": i, "name": name, "color": "ededed"} for i, name in enumerate(labels)],
            "user": {"login": "contributor"},
            "html_url": f"https://github.com/{self.repository}/pull/{number}",
        }
        return self.pulls[number]

    def _get_pull(self, request: Request, number: int) -> Response:
        pull = self.pulls.get(number)
        if pull is None:
            return Response(404, {"message": "Not Found"})
        etag = '"' + hashlib.sha256(json.dumps(pull, sort_keys=True).encode()).hexdigest()[:20] + '"'
        if request.headers.get("if-none-match") == etag:
            return Response(304, b"", {"ETag": etag})
        return Response(200, pull, {"ETag": etag})

    def _too_long(self, body: str | None) -> Response | None:
        # GitHub counts UTF-16 code units: an emoji outside the BMP is two.
        if body is not None and len(body.encode("utf-16-le")) // 2 > BODY_LIMIT:
            return Response(
                422,
                {
                    "message": "Validation Failed",
                    "errors": [
                        {
                            "resource": "Issue",
                            "code": "custom",
                            "field": "body",
                            "message": "body is too long (maximum is 65536 characters)",
                        }
                    ],
                },
            )
        return None

    def _create_label(self, request: Request) -> Response:
        name = request.json()["name"]
        if name in self.labels:
            return Response(
                422, {"message": "Validation Failed", "errors": [{"resource": "Label", "code": "already_exists"}]}
            )
        self.labels.add(name)
        return Response(201, {"name": name})

    def _list_issues(self, request: Request) -> Response:
        state = request.query.get("state", "open")
        wanted = set(filter(None, request.query.get("labels", "").split(",")))
        creator = request.query.get("creator")
        found = [
            i
            for i in self.issues.values()
            if (state == "all" or i["state"] == state)
            and wanted <= {label["name"] for label in i["labels"]}
            and (creator is None or i["user"]["login"] == creator)
        ]
        page = int(request.query.get("page", 1))
        size = min(int(request.query.get("per_page", 30)), self.page_size)
        chunk = found[(page - 1) * size : page * size]
        headers = {}
        if page * size < len(found):
            query = "&".join(f"{k}={v}" for k, v in {**request.query, "page": page + 1}.items())
            headers["Link"] = f'<{self.server.url}{request.path}?{query}>; rel="next"'
        return Response(200, chunk, headers)

    def _create_issue(self, request: Request) -> Response:
        data = request.json()
        if error := self._too_long(data.get("body")):
            return error
        number = self.add_issue(data["title"], data.get("labels", []))
        self.issues[number]["body"] = data.get("body", "")
        return Response(201, self.issues[number])

    def _get_issue(self, request: Request, number: int) -> Response:
        return Response(200, self.issues[number]) if number in self.issues else Response(404, {"message": "Not Found"})

    def _update_issue(self, request: Request, number: int) -> Response:
        if number not in self.issues:
            return Response(404, {"message": "Not Found"})
        data = request.json()
        if error := self._too_long(data.get("body")):
            return error
        self.issues[number].update({k: v for k, v in data.items() if k in ("title", "body", "state")})
        return Response(200, self.issues[number])

    def _list_comments(self, request: Request, number: int) -> Response:
        return Response(200, [c for c in self.comments.values() if c["issue"] == number])

    def _create_comment(self, request: Request, number: int) -> Response:
        body = request.json()["body"]
        if error := self._too_long(body):
            return error
        comment_id = self._next_comment
        self._next_comment += 1
        if number not in self.issues:
            return Response(404, {"message": "Not Found"})
        self.comments[comment_id] = {"id": comment_id, "issue": number, "body": body, "user": {"login": self.login}}
        return Response(201, self.comments[comment_id])

    def _update_comment(self, request: Request, comment_id: int) -> Response:
        body = request.json()["body"]
        if error := self._too_long(body):
            return error
        if comment_id not in self.comments:
            return Response(404, {"message": "Not Found"})
        self.comments[comment_id]["body"] = body
        return Response(200, self.comments[comment_id])

    def add_comment(self, number: int, body: str, author: str) -> int:
        comment_id = self._next_comment
        self._next_comment += 1
        self.comments[comment_id] = {"id": comment_id, "issue": number, "body": body, "user": {"login": author}}
        return comment_id

    def _delete_comment(self, request: Request, comment_id: int) -> Response:
        self.comments.pop(comment_id, None)
        return Response(204, b"")


def rate_limited(seconds: int = 1) -> Response:
    """GitHub's primary rate limit answer: 403 with the reset time."""
    return Response(
        403,
        {"message": "API rate limit exceeded"},
        {
            "x-ratelimit-remaining": "0",
            "x-ratelimit-limit": "5000",
            "x-ratelimit-reset": str(int(time.time()) + seconds),
        },
    )


def secondary_limited(seconds: int = 1) -> Response:
    """GitHub's secondary rate limit answer: 429 (or 403) with Retry-After."""
    return Response(429, {"message": "You have exceeded a secondary rate limit"}, {"retry-after": str(seconds)})
