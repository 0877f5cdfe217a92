"""What every webhook publisher shares: settings, the ledger check, and sending."""

from __future__ import annotations

import hashlib
import logging
from typing import Protocol

import httpx

from repodigest.publish.base import Edition, Ledger, Publication
from repodigest.publish.errors import PublishError
from repodigest.publish.http import send
from repodigest.publish.settings import PublisherSettings

log = logging.getLogger(__name__)


class WebhookSettings(PublisherSettings):
    url_env: str
    """Environment variable with the webhook URL: it carries the service's access token."""
    secret_env: str | None = None
    """Environment variable with the signing secret, for services that sign (Feishu, DingTalk)."""
    report_url: str | None = None
    """Link to the full report; `{date}`, `{year}` and `{path}` (the Markdown file's path) are filled."""


class Message(Protocol):
    def __call__(self, edition: Edition, link: str | None) -> tuple[dict, dict]:
        """(JSON body, query parameters) for this service."""


class WebhookPublisher:
    def __init__(self, name: str, settings: WebhookSettings, url: str, message: Message, ledger: Ledger,
                 client: httpx.Client | None = None, accept=lambda response: response.status_code < 300) -> None:
        self.name = name
        self.settings = settings
        self.url = url
        self.message = message
        self.ledger = ledger
        self.client = client or httpx.Client(timeout=30)
        self.accept = accept
        # The URL is a secret: the ledger knows this target by kind, name and a hash of it.
        self.target = f"{name}:{settings.name or hashlib.sha256(url.encode()).hexdigest()[:10]}"

    def publish(self, edition: Edition) -> list[Publication]:
        report = edition.report
        key = report.date.isoformat()
        body, params = self.message(edition, self._link(edition))
        digest = hashlib.sha256(repr(sorted(_stable(body).items())).encode()).hexdigest()
        entry = self.ledger.entry(self.target, key)
        if entry is not None and (entry.status == "pending" or entry.content_hash == digest):
            if entry.status == "pending":
                # It may have gone out before a crash; a chat message cannot be recalled, so
                # sending at most once is the lesser harm.
                log.warning("%s: a message for %s may already have been sent; not sending again", self.name, key)
            return [Publication(target=self.target, key=key)]
        self.ledger.begin(self.target, key)
        # Merged, not passed as params=: httpx would drop the query the URL already has (its token).
        url = httpx.URL(self.url).copy_merge_params(params) if params else self.url
        response = send(self.client, "POST", url, f"{self.name} webhook", json=body)
        if not self.accept(response):
            raise PublishError(f"{self.name} webhook refused the message: HTTP {response.status_code} {_reason(response)}")
        self.ledger.complete(self.target, key, None, None, digest)
        return [Publication(target=self.target, key=key)]

    def _link(self, edition: Edition) -> str | None:
        if not self.settings.report_url:
            return None
        day = edition.report.date
        path = f"{day.year}/{day.isoformat()}.md"
        return self.settings.report_url.format(date=day.isoformat(), year=day.year, path=path)


def json_code_is_zero(field: str):
    """An acceptance check for services that answer HTTP 200 with {field: 0} on success."""
    def accept(response: httpx.Response) -> bool:
        try:
            data = response.json()
        except ValueError:
            return False
        return response.status_code == 200 and isinstance(data, dict) and data.get(field) == 0

    return accept


def _stable(body: dict) -> dict:
    """The body without the parts that change on every send (timestamps, signatures)."""
    return {k: v for k, v in body.items() if k not in ("timestamp", "sign")}


def _reason(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return response.text[:200]
    return str(data.get("msg") or data.get("errmsg") or data.get("error") or "")[:200]
