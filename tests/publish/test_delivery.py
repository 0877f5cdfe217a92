"""Delivery states for chat webhooks: a refusal is failed and sent again on the next run; a send
with no answer is unknown and never repeated by itself; a changed report is sent as an update."""

import json

import httpx
import pytest
from publish.conftest import earlier_edition
from publish.test_webhooks import SECRET, make

from repodigest.publish.base import MemoryLedger
from repodigest.publish.errors import DeliveryRefused, DeliveryUnknown
from support.http_server import LocalServer, Response

OK = {
    "slack": Response(200, "ok", {"Content-Type": "text/plain"}),
    "feishu": Response(200, {"code": 0, "msg": "success"}),
    "dingtalk": Response(200, {"errcode": 0, "errmsg": "ok"}),
    "wecom": Response(200, {"errcode": 0, "errmsg": "ok"}),
}

# How each service says "not delivered", as they do.
REFUSALS = [
    ("slack", Response(500, "rollup_error", {"Content-Type": "text/plain"}), "HTTP 500 rollup_error"),
    ("slack", Response(404, "no_service", {"Content-Type": "text/plain"}), "HTTP 404 no_service"),
    (
        "feishu",
        Response(200, {"code": 19021, "msg": "sign match fail or timestamp is not within one hour"}),
        "code 19021 sign match fail",
    ),
    ("feishu", Response(200, {"code": 9499, "msg": "Bad Request"}), "code 9499 Bad Request"),
    ("dingtalk", Response(200, {"errcode": 310000, "errmsg": "sign not match"}), "errcode 310000 sign not match"),
    ("dingtalk", Response(200, {"errcode": 130101, "errmsg": "send too fast"}), "errcode 130101"),
    ("wecom", Response(200, {"errcode": 93000, "errmsg": "invalid webhook url"}), "errcode 93000 invalid webhook"),
    ("wecom", Response(502, "Bad Gateway", {"Content-Type": "text/plain"}), "HTTP 502"),
]


class Scripted:
    """A receiver that answers from a script, then `then` for every later request."""

    def __init__(self, script: list[Response], then: Response) -> None:
        self.script, self.then = list(script), then
        self.server = LocalServer(self.answer)

    def answer(self, request) -> Response:
        return self.script.pop(0) if self.script else self.then


@pytest.mark.parametrize(("kind", "refusal", "reason"), REFUSALS, ids=[f"{k}-{r[:14]}" for k, _, r in REFUSALS])
def test_a_refused_message_is_failed_and_sent_on_the_next_run(kind, refusal, reason, day_edition):
    ledger = MemoryLedger()
    receiver = Scripted([refusal], OK[kind])
    with receiver.server as server:
        with pytest.raises(DeliveryRefused) as failure:
            make(kind, server.url + "/hook", ledger, SECRET).publish(day_edition)
        assert reason in str(failure.value) and "sent again on the next run" in str(failure.value)
        (entry,) = ledger.entries(make(kind, server.url + "/hook").target)
        assert entry.status == "failed" and reason in entry.detail
        make(kind, server.url + "/hook", ledger, SECRET).publish(day_edition)  # the next run delivers it
        make(kind, server.url + "/hook", ledger, SECRET).publish(day_edition)  # and the one after sends nothing
    assert len(server.requests) == 2
    assert server.requests[0].json()["msg_type" if kind == "feishu" else "text" if kind == "slack" else "msgtype"]
    assert ledger.entries(entry.target)[0].status == "done"


def test_a_refused_message_is_sent_once_not_retried_within_the_run(day_edition):
    receiver = Scripted([Response(503, "busy", {"Content-Type": "text/plain"})], OK["slack"])
    with receiver.server as server, pytest.raises(DeliveryRefused):
        make("slack", server.url + "/hook").publish(day_edition)
    assert len(server.requests) == 1


def test_connection_refused_is_failed_and_retried(day_edition):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    ledger = MemoryLedger()
    publisher = make("wecom", f"http://127.0.0.1:{port}/hook", ledger)
    publisher.client = httpx.Client(transport=httpx.HTTPTransport(retries=0))
    import repodigest.publish.http as http

    original = http._backoff
    http._backoff = lambda attempt: 0.0
    try:
        with pytest.raises(DeliveryRefused, match="ConnectError"):
            publisher.publish(day_edition)
    finally:
        http._backoff = original
    (entry,) = ledger.entries(publisher.target)
    assert entry.status == "failed"


def test_no_answer_after_sending_is_unknown_and_not_repeated(day_edition):
    ledger = MemoryLedger()
    slow = Response(200, {"errcode": 0}, delay=1.5)
    receiver = Scripted([slow], OK["dingtalk"])
    with receiver.server as server:
        publisher = make("dingtalk", server.url + "/hook", ledger, SECRET)
        publisher.client = httpx.Client(timeout=0.5)
        with pytest.raises(DeliveryUnknown) as failure:
            publisher.publish(day_edition)
        assert "may or may not" in str(failure.value) or "no answer" in str(failure.value)
        assert "dismiss" in str(failure.value)
        for _ in range(2):  # every later run says so again, and sends nothing
            with pytest.raises(DeliveryUnknown, match="may or may not have been delivered"):
                make("dingtalk", server.url + "/hook", ledger, SECRET).publish(day_edition)
        assert len(server.requests) == 1
        (entry,) = ledger.entries(publisher.target)
        assert entry.status == "unknown"
        ledger.set_status(entry.target, entry.key, "failed")  # an operator: send it again
        make("dingtalk", server.url + "/hook", ledger, SECRET).publish(day_edition)
        assert len(server.requests) == 2
        ledger.unknown(entry.target, entry.key, "as if lost again")
        ledger.set_status(entry.target, entry.key, "done")  # an operator: it arrived
        make("dingtalk", server.url + "/hook", ledger, SECRET).publish(day_edition)
    assert len(server.requests) == 2


def test_a_run_killed_while_sending_leaves_it_unknown(day_edition):
    ledger = MemoryLedger()
    with Scripted([], OK["slack"]).server as server:
        target = make("slack", server.url + "/hook").target
        ledger.begin(target, "2026-02-27", "whatever")  # what a kill between begin and the answer leaves
        with pytest.raises(DeliveryUnknown, match="a run was stopped while sending it"):
            make("slack", server.url + "/hook", ledger).publish(day_edition)
    assert not server.requests


@pytest.mark.parametrize("kind", ["slack", "feishu", "dingtalk", "wecom"])
def test_a_changed_report_is_sent_as_an_update_that_says_what_changed(kind, day_edition):
    ledger = MemoryLedger()
    with Scripted([], OK[kind]).server as server:
        make(kind, server.url + "/hook", ledger, SECRET).publish(earlier_edition(day_edition))
        make(kind, server.url + "/hook", ledger, SECRET).publish(day_edition)
        make(kind, server.url + "/hook", ledger, SECRET).publish(day_edition)
    assert len(server.requests) == 2
    # As the receiver reads it: httpx before 0.28 escapes non-ASCII text in JSON bodies, later ones not.
    first, update = (json.dumps(r.json(), ensure_ascii=False) for r in server.requests)
    assert "[更新]" not in first and "仓库更新报告 (2026-02-27) [更新]" in update
    assert "更新：新增 1 个提交，1 个提交重要度变化" in update
    last_subject = day_edition.report.repositories[0].commits[-1].commit.subject
    assert last_subject.split()[0] in update


def test_the_english_update_is_marked_updated(day_edition):
    english = day_edition.model_copy(update={"report": day_edition.report.model_copy(update={"language": "en"})})
    earlier = earlier_edition(english)
    ledger = MemoryLedger()
    with Scripted([], OK["slack"]).server as server:
        make("slack", server.url + "/hook", ledger).publish(earlier)
        make("slack", server.url + "/hook", ledger).publish(english)
    body = server.requests[1].json()
    assert body["text"] == "Repository update report (2026-02-27) [updated]"
    assert body["blocks"][1]["text"]["text"].startswith("Updated: 1 new commit(s), importance changed for 1 commit(s)")
