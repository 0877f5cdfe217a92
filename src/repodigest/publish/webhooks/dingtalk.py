"""DingTalk custom robots: a markdown message; with a secret, `timestamp` (ms) and `sign`
(base64 HMAC-SHA256 of "timestamp\\nsecret") go in the query string. 20,000 bytes at most."""

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

TEXT_LIMIT = 19_000


class DingTalkSettings(WebhookSettings):
    kind: Literal["dingtalk"] = "dingtalk"
    url_env: str = "DINGTALK_WEBHOOK_URL"


def sign(secret: str, timestamp_ms: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def make_message(secret: str | None, clock=time.time):
    def message(edition: Edition, link: str | None, lines: list[str], updated: bool = False) -> tuple[dict, dict]:
        report = edition.report
        tail = f"[{more_label(report)}]({link})" if link else ""
        heading = title(report, updated)
        lines = [f"#### {heading}", *[f"- {line.strip()}" if line.startswith("  ") else line for line in lines]]
        body = {"msgtype": "markdown", "markdown": {"title": heading, "text": fit(lines, TEXT_LIMIT, tail)}}
        params = {}
        if secret:
            timestamp = int(clock() * 1000)
            params = {"timestamp": str(timestamp), "sign": sign(secret, timestamp)}
        return body, params

    return message


def build(section: dict, _context: PublishContext, ledger: Ledger) -> WebhookPublisher:
    settings = parse_section(DingTalkSettings, section)
    url = secret_from_env(settings.url_env, "the DingTalk publisher")
    secret = secret_from_env(settings.secret_env, "the DingTalk publisher") if settings.secret_env else None
    return WebhookPublisher(
        "dingtalk", settings, url, make_message(secret), ledger, accept=json_code_is_zero("errcode")
    )
