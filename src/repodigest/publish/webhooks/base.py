"""What every webhook publisher shares: settings, the delivery states, and sending."""

from __future__ import annotations

import hashlib
import logging
from typing import Protocol

import httpx

from repodigest.publish.base import Edition, Ledger, Publication
from repodigest.publish.delivery import deliver, plan
from repodigest.publish.errors import DeliveryRefused
from repodigest.publish.http import send
from repodigest.publish.settings import PublisherSettings

log = logging.getLogger(__name__)


class WebhookSettings(PublisherSettings):
    url_env: str
    """Environment variable with the webhook URL: it carries the service's access token."""
    secret_env: str | None = None
    """Environment variable with the signing secret, for services that sign (Feishu, DingTalk)."""
    report_url: str | None = None
    """Link to the full report; `{date}`, `{year}` and `{path}` are filled. `{path}` is the Markdown
    file the message is about, relative to the output folder: `<year>/<repo>/<date>.md` for one
    repository, the combined `<year>/<date>.md` for several."""


class Message(Protocol):
    def __call__(
        self, edition: Edition, link: str | None, lines: list[str], updated: bool = False
    ) -> tuple[dict, dict]:
        """(JSON body, query parameters) for this service."""


class WebhookPublisher:
    needs_formats: tuple[str, ...] = ()

    def __init__(
        self,
        name: str,
        settings: WebhookSettings,
        url: str,
        message: Message,
        ledger: Ledger,
        client: httpx.Client | None = None,
        accept=lambda response: response.status_code < 300,
    ) -> None:
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
        key = edition.key
        planned = plan(self.name, self.target, self.ledger, edition)
        if planned is None:
            return [Publication(target=self.target, key=key)]
        body, params = self.message(edition, edition.link(self.settings.report_url), planned.lines, planned.updated)

        def post() -> None:
            # Merged, not passed as params=: httpx would drop the query the URL already has (its token).
            url = str(httpx.URL(self.url).copy_merge_params(params)) if params else self.url
            response = send(self.client, "POST", url, f"{self.name} webhook", idempotent=False, json=body)
            if not self.accept(response):
                raise DeliveryRefused(
                    f"{self.name} webhook refused the message for {key}: "
                    f"HTTP {response.status_code} {_reason(response)}".rstrip()
                )

        deliver(self.target, self.ledger, planned, post)
        return [Publication(target=self.target, key=key)]


def json_code_is_zero(field: str):
    """An acceptance check for services that answer HTTP 200 with {field: 0} on success."""

    def accept(response: httpx.Response) -> bool:
        try:
            data = response.json()
        except ValueError:
            return False
        return response.status_code == 200 and isinstance(data, dict) and data.get(field) == 0

    return accept


def _reason(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return response.text[:200]
    if not isinstance(data, dict):
        return str(data)[:200]
    code = next((f"{field} {data[field]}" for field in ("code", "errcode", "StatusCode") if data.get(field)), "")
    message = str(data.get("msg") or data.get("errmsg") or data.get("error") or data.get("StatusMessage") or "")
    return " ".join(filter(None, [code, message]))[:200]
