"""Each chat service gets its own message shape and signature, within its size limit, once."""

import base64
import hashlib
import hmac

import httpx
import pytest

from repodigest.publish.base import MemoryLedger
from repodigest.publish.webhooks import dingtalk, feishu, slack, wecom
from repodigest.publish.webhooks.base import WebhookPublisher, json_code_is_zero
from support.http_server import LocalServer, Response

SECRET = "SEC0123456789abcdef"
LINK = "https://example.org/reports/{path}"


def receiver(reply: dict | str = "ok"):
    return LocalServer(
        lambda request: Response(200, reply, {"Content-Type": "text/plain"} if isinstance(reply, str) else {})
    )


def make(kind: str, url: str, ledger=None, secret: str | None = None):
    ledger = ledger or MemoryLedger()
    if kind == "slack":
        settings = slack.SlackSettings(url_env="X", report_url=LINK)
        return WebhookPublisher(
            "slack", settings, url, slack.message, ledger, httpx.Client(), accept=lambda r: r.status_code == 200
        )
    if kind == "feishu":
        settings = feishu.FeishuSettings(url_env="X", report_url=LINK)
        return WebhookPublisher(
            "feishu",
            settings,
            url,
            feishu.make_message(secret, clock=lambda: 1_700_000_000),
            ledger,
            httpx.Client(),
            accept=json_code_is_zero("code"),
        )
    if kind == "dingtalk":
        settings = dingtalk.DingTalkSettings(url_env="X", report_url=LINK)
        return WebhookPublisher(
            "dingtalk",
            settings,
            url,
            dingtalk.make_message(secret, clock=lambda: 1_700_000_000.5),
            ledger,
            httpx.Client(),
            accept=json_code_is_zero("errcode"),
        )
    settings = wecom.WeComSettings(url_env="X", report_url=LINK)
    return WebhookPublisher(
        "wecom", settings, url, wecom.message, ledger, httpx.Client(), accept=json_code_is_zero("errcode")
    )


def test_slack_blocks(day_edition):
    with receiver("ok") as server:
        make("slack", server.url + "/services/T/B/x").publish(day_edition)
    (request,) = server.requests
    body = request.json()
    assert body["text"] == "仓库更新报告 (2026-02-27)"
    section = body["blocks"][1]["text"]
    assert section["type"] == "mrkdwn" and len(section["text"]) <= 3000
    assert (
        "acme/demo" in section["text"]
        and "<https://example.org/reports/2026/demo/2026-02-27.md|完整报告>" in section["text"]
    )


def test_feishu_post_is_signed_as_feishu_documents(day_edition):
    with receiver({"code": 0, "msg": "success"}) as server:
        make("feishu", server.url + "/open-apis/bot/v2/hook/x", secret=SECRET).publish(day_edition)
    body = server.requests[0].json()
    expected = base64.b64encode(hmac.new(f"1700000000\n{SECRET}".encode(), b"", hashlib.sha256).digest()).decode()
    assert (body["timestamp"], body["sign"]) == ("1700000000", expected)
    post = body["content"]["post"]["zh_cn"]
    assert body["msg_type"] == "post" and post["title"] == "仓库更新报告 (2026-02-27)"
    assert post["content"][-1] == [
        {"tag": "a", "text": "完整报告", "href": "https://example.org/reports/2026/demo/2026-02-27.md"}
    ]
    assert len(server.requests[0].body) <= 20_000


def test_dingtalk_signature_goes_in_the_query(day_edition):
    with receiver({"errcode": 0, "errmsg": "ok"}) as server:
        make("dingtalk", server.url + "/robot/send?access_token=abc", secret=SECRET).publish(day_edition)
    request = server.requests[0]
    timestamp = "1700000000500"
    expected = base64.b64encode(
        hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    ).decode()
    assert request.query["access_token"] == "abc"
    assert (request.query["timestamp"], request.query["sign"]) == (timestamp, expected)
    body = request.json()
    assert body["msgtype"] == "markdown" and body["markdown"]["title"] == "仓库更新报告 (2026-02-27)"
    assert len(body["markdown"]["text"].encode()) <= 20_000


def test_wecom_markdown_stays_under_4096_bytes_even_for_a_huge_day(day_edition):
    from repodigest.report.models import Report

    many = day_edition.report.repositories * 200
    big = day_edition.model_copy(update={"report": Report(**{**day_edition.report.model_dump(), "repositories": many})})
    with receiver({"errcode": 0}) as server:
        make("wecom", server.url + "/cgi-bin/webhook/send?key=k").publish(big)
    content = server.requests[0].json()["markdown"]["content"]
    assert len(content.encode()) <= 4096
    assert content.endswith("[完整报告](https://example.org/reports/2026/demo/2026-02-27.md)")
    assert "\n…\n" in content


@pytest.mark.parametrize("kind", ["slack", "feishu", "dingtalk", "wecom"])
def test_a_rerun_sends_nothing_new(kind, day_edition):
    replies = {"slack": "ok", "feishu": {"code": 0}, "dingtalk": {"errcode": 0}, "wecom": {"errcode": 0}}
    ledger = MemoryLedger()
    with receiver(replies[kind]) as server:
        make(kind, server.url + "/hook", ledger, SECRET).publish(day_edition)
        make(kind, server.url + "/hook", ledger, SECRET).publish(day_edition)
    assert len(server.requests) == 1


def test_a_refusal_is_an_error_that_does_not_show_the_url(day_edition):
    from repodigest.publish.errors import PublishError

    with receiver({"errcode": 310000, "errmsg": "sign not match"}) as server:
        url = server.url + "/robot/send?access_token=supersecret"
        with pytest.raises(PublishError) as failure:
            make("dingtalk", url, secret=SECRET).publish(day_edition)
    assert "sign not match" in str(failure.value) and "supersecret" not in str(failure.value)
