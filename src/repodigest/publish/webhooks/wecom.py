"""WeCom (企业微信) group robots: a markdown message of at most 4,096 bytes."""

from __future__ import annotations

from typing import Literal

from repodigest.publish.base import Edition, Ledger, PublishContext
from repodigest.publish.brief import fit, more_label, title
from repodigest.publish.settings import parse_section, secret_from_env
from repodigest.publish.webhooks.base import WebhookPublisher, WebhookSettings, json_code_is_zero

CONTENT_LIMIT = 4096


class WeComSettings(WebhookSettings):
    kind: Literal["wecom"] = "wecom"
    url_env: str = "WECOM_WEBHOOK_URL"


def message(edition: Edition, link: str | None, lines: list[str], updated: bool = False) -> tuple[dict, dict]:
    report = edition.report
    tail = f"[{more_label(report)}]({link})" if link else ""
    content = fit([f"**{title(report, updated)}**", *lines], CONTENT_LIMIT, tail)
    return {"msgtype": "markdown", "markdown": {"content": content}}, {}


def build(section: dict, _context: PublishContext, ledger: Ledger) -> WebhookPublisher:
    settings = parse_section(WeComSettings, section)
    url = secret_from_env(settings.url_env, "the WeCom publisher")
    return WebhookPublisher("wecom", settings, url, message, ledger, accept=json_code_is_zero("errcode"))
