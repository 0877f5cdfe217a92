"""Slack incoming webhooks: mrkdwn blocks (3,000 characters per section)."""

from __future__ import annotations

from typing import Literal

from repodigest.publish.base import Edition, Ledger, PublishContext
from repodigest.publish.brief import fit, more_label, title
from repodigest.publish.settings import parse_section, secret_from_env
from repodigest.publish.webhooks.base import WebhookPublisher, WebhookSettings

SECTION_LIMIT = 3000


class SlackSettings(WebhookSettings):
    kind: Literal["slack"] = "slack"
    url_env: str = "SLACK_WEBHOOK_URL"


def message(edition: Edition, link: str | None, lines: list[str], updated: bool = False) -> tuple[dict, dict]:
    report = edition.report
    tail = f"<{link}|{more_label(report)}>" if link else ""
    text = fit([_escape(line) for line in lines], SECTION_LIMIT, tail, measure=len)
    heading = title(report, updated)
    return {
        "text": heading,
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": heading[:150]}},
            {"type": "section", "text": {"type": "mrkdwn", "text": text}},
        ],
    }, {}


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def build(section: dict, _context: PublishContext, ledger: Ledger) -> WebhookPublisher:
    settings = parse_section(SlackSettings, section)
    url = secret_from_env(settings.url_env, "the Slack publisher")
    return WebhookPublisher(
        "slack", settings, url, message, ledger, accept=lambda response: response.status_code == 200
    )
