"""Mail through a real SMTP server on 127.0.0.1: plain, STARTTLS with login, and SMTPS."""

import pytest
from publish.conftest import earlier_edition

from repodigest.publish.base import MemoryLedger
from repodigest.publish.errors import DeliveryRefused, DeliveryUnknown, PublishError
from repodigest.publish.mail import MailPublisher, MailSettings
from support.smtp import start_smtp


@pytest.mark.parametrize("mode", ["none", "starttls", "ssl"])
def test_mail_arrives_with_text_and_html(tmp_path, day_edition, mode):
    controller, inbox, port, cert = start_smtp(tmp_path, mode, user="bot", password="s3cret-pass")
    try:
        settings = MailSettings(
            host="localhost" if mode != "none" else "127.0.0.1",
            port=port,
            security=mode,
            username="bot",
            password_env="X",
            sender="repodigest@example.org",
            recipients=("team@example.org", "lead@example.org"),
            ca_file=str(cert),
        )
        MailPublisher(settings, "s3cret-pass", MemoryLedger()).publish(day_edition)
    finally:
        controller.stop()
    ((recipients, message),) = inbox.messages
    assert recipients == ["team@example.org", "lead@example.org"]
    assert message["Subject"] == "仓库更新报告 (2026-02-27)"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert text.startswith("# 每日更新报告（2026-02-27）")
    assert html.startswith("<!DOCTYPE html>") and "<table>" in html


def test_same_day_twice_sends_once_and_a_changed_report_is_marked_updated(tmp_path, day_edition):
    controller, inbox, port, _ = start_smtp(tmp_path)
    ledger = MemoryLedger()
    settings = MailSettings(
        host="127.0.0.1", port=port, security="none", sender="r@example.org", recipients=("t@example.org",)
    )
    try:
        MailPublisher(settings, None, ledger).publish(earlier_edition(day_edition))
        MailPublisher(settings, None, ledger).publish(earlier_edition(day_edition))
        assert len(inbox.messages) == 1
        MailPublisher(settings, None, ledger).publish(day_edition)
        MailPublisher(settings, None, ledger).publish(day_edition)
    finally:
        controller.stop()
    assert [m["Subject"] for _, m in inbox.messages] == [
        "仓库更新报告 (2026-02-27)",
        "仓库更新报告 (2026-02-27) [更新]",
    ]
    text = inbox.messages[1][1].get_body(preferencelist=("plain",)).get_content()
    assert text.startswith("更新：新增 1 个提交，1 个提交重要度变化\n")
    assert "# 每日更新报告（2026-02-27）" in text  # the whole new report follows
    html = inbox.messages[1][1].get_body(preferencelist=("html",)).get_content()
    assert "更新：新增 1 个提交" in html


def test_a_refused_connection_is_failed_and_sent_on_the_next_run(tmp_path, day_edition):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    ledger = MemoryLedger()
    settings = MailSettings(
        host="127.0.0.1", port=port, security="none", sender="r@example.org", recipients=("t@example.org",), timeout=5
    )
    with pytest.raises(DeliveryRefused, match=r"ConnectionRefusedError.*sent again on the next run"):
        MailPublisher(settings, None, ledger).publish(day_edition)
    assert [e.status for e in ledger.entries(MailPublisher(settings, None, ledger).target)] == ["failed"]
    controller, inbox, _, _ = start_smtp(tmp_path, port=port)  # the server is back
    try:
        MailPublisher(settings, None, ledger).publish(day_edition)
        MailPublisher(settings, None, ledger).publish(day_edition)
    finally:
        controller.stop()
    assert len(inbox.messages) == 1


def test_a_failed_login_is_failed_and_sent_once_the_password_is_fixed(tmp_path, day_edition):
    controller, inbox, port, cert = start_smtp(tmp_path, "starttls", user="bot", password="right")
    ledger = MemoryLedger()
    settings = MailSettings(
        host="localhost",
        port=port,
        security="starttls",
        username="bot",
        password_env="X",
        sender="r@example.org",
        recipients=("t@example.org",),
        ca_file=str(cert),
        timeout=10,
    )
    try:
        with pytest.raises(DeliveryRefused, match="SMTPAuthenticationError 535"):
            MailPublisher(settings, "wrong", ledger).publish(day_edition)
        MailPublisher(settings, "right", ledger).publish(day_edition)
        MailPublisher(settings, "right", ledger).publish(day_edition)
    finally:
        controller.stop()
    assert len(inbox.messages) == 1


def test_a_refused_recipient_is_failed(tmp_path, day_edition):
    controller, inbox, port, _ = start_smtp(tmp_path, refuse=("nobody@example.org",))
    ledger = MemoryLedger()
    settings = MailSettings(
        host="127.0.0.1", port=port, security="none", sender="r@example.org", recipients=("nobody@example.org",)
    )
    try:
        with pytest.raises(DeliveryRefused, match="SMTPRecipientsRefused"):
            MailPublisher(settings, None, ledger).publish(day_edition)
    finally:
        controller.stop()
    assert not inbox.messages and ledger.entries(MailPublisher(settings, None, ledger).target)[0].status == "failed"


def test_a_connection_dropped_after_the_data_is_unknown_and_not_resent(tmp_path, day_edition):
    controller, inbox, port, _ = start_smtp(tmp_path, drop_after_data=True)
    ledger = MemoryLedger()
    settings = MailSettings(
        host="127.0.0.1", port=port, security="none", sender="r@example.org", recipients=("t@example.org",), timeout=2
    )
    try:
        with pytest.raises(DeliveryUnknown, match="no answer after the message was sent"):
            MailPublisher(settings, None, ledger).publish(day_edition)
        with pytest.raises(DeliveryUnknown, match="may or may not have been delivered"):
            MailPublisher(settings, None, ledger).publish(day_edition)
    finally:
        controller.stop()
    assert len(inbox.messages) == 1  # it did arrive: sending it again would have been a duplicate


def test_a_wrong_password_fails_without_echoing_it(tmp_path, day_edition):
    controller, _, port, cert = start_smtp(tmp_path, "starttls", user="bot", password="right")
    settings = MailSettings(
        host="localhost",
        port=port,
        security="starttls",
        username="bot",
        password_env="X",
        sender="r@example.org",
        recipients=("t@example.org",),
        ca_file=str(cert),
        timeout=10,
    )
    try:
        with pytest.raises(PublishError) as failure:
            MailPublisher(settings, "wrong-password-123", MemoryLedger()).publish(day_edition)
    finally:
        controller.stop()
    assert "SMTPAuthenticationError" in str(failure.value) and "wrong-password-123" not in str(failure.value)
