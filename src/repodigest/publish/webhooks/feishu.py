"""Feishu / Lark custom bots: a rich-text `post`, signed with the bot's secret when it has one
(timestamp + HMAC-SHA256 of "timestamp\\nsecret", base64), 20 KB per request."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Literal

from repodigest.publish.base import Edition, Ledger, PublishContext
from repodigest.publish.brief import fit, more_label, title
from repodigest.publish.settings import parse_section, secret_from_env
from repodigest.publish.webhooks.base import WebhookPublisher, WebhookSettings, json_code_is_zero
from repodigest.wording import Catalog

BODY_LIMIT = 18_000  # bytes of text; the JSON around it stays under Feishu's 20 KB


class FeishuSettings(WebhookSettings):
    kind: Literal["feishu", "lark"] = "feishu"
    url_env: str = "FEISHU_WEBHOOK_URL"


def sign(secret: str, timestamp: int) -> str:
    key = f"{timestamp}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def make_message(secret: str | None, clock=time.time):
    def message(edition: Edition, link: str | None, lines: list[str], updated: bool = False) -> tuple[dict, dict]:
        report = edition.report
        text = fit(lines, BODY_LIMIT)
        content = [[{"tag": "text", "text": line}] for line in text.split("\n")]
        if link:
            content.append([{"tag": "a", "text": more_label(report), "href": link}])
        locale = Catalog(report.language).text("brief", "feishu_locale")
        body = {
            "msg_type": "post",
            "content": {"post": {locale: {"title": title(report, updated), "content": content}}},
        }
        if secret:
            timestamp = int(clock())
            body.update(timestamp=str(timestamp), sign=sign(secret, timestamp))
        return body, {}

    return message


def build(section: dict, _context: PublishContext, ledger: Ledger) -> WebhookPublisher:
    settings = parse_section(FeishuSettings, section)
    url = secret_from_env(settings.url_env, "the Feishu publisher")
    secret = secret_from_env(settings.secret_env, "the Feishu publisher") if settings.secret_env else None
    return WebhookPublisher("feishu", settings, url, make_message(secret), ledger, accept=json_code_is_zero("code"))
