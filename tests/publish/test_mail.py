"""Mail through a real SMTP server on 127.0.0.1: plain, STARTTLS with login, and SMTPS."""

import pytest

from repodigest.publish.base import MemoryLedger
from repodigest.publish.errors import PublishError
from repodigest.publish.mail import MailPublisher, MailSettings
from support.smtp import start_smtp


@pytest.mark.parametrize("mode", ["none", "starttls", "ssl"])
def test_mail_arrives_with_text_and_html(tmp_path, day_edition, mode):
    controller, inbox, port, cert = start_smtp(tmp_path, mode, user="bot", password="s3cret-pass")
    try:
        settings = MailSettings(host="localhost" if mode != "none" else "127.0.0.1", port=port, security=mode,
                                username="bot", password_env="X", sender="repodigest@example.org",
                                recipients=("team@example.org", "lead@example.org"), ca_file=str(cert))
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
    settings = MailSettings(host="127.0.0.1", port=port, security="none", sender="r@example.org",
                            recipients=("t@example.org",))
    try:
        MailPublisher(settings, None, ledger).publish(day_edition)
        MailPublisher(settings, None, ledger).publish(day_edition)
        assert len(inbox.messages) == 1
        from repodigest.publish.base import RenderedDocument

        changed = day_edition.model_copy(update={"documents": (RenderedDocument(repository=None, format="md",
                                                                                content="# new\n"),)})
        MailPublisher(settings, None, ledger).publish(changed)
    finally:
        controller.stop()
    assert [m["Subject"] for _, m in inbox.messages] == ["仓库更新报告 (2026-02-27)", "仓库更新报告 (2026-02-27) [updated]"]


def test_a_wrong_password_fails_without_echoing_it(tmp_path, day_edition):
    controller, _, port, cert = start_smtp(tmp_path, "starttls", user="bot", password="right")
    settings = MailSettings(host="localhost", port=port, security="starttls", username="bot", password_env="X",
                            sender="r@example.org", recipients=("t@example.org",), ca_file=str(cert), timeout=10)
    try:
        with pytest.raises(PublishError) as failure:
            MailPublisher(settings, "wrong-password-123", MemoryLedger()).publish(day_edition)
    finally:
        controller.stop()
    assert "SMTPAuthenticationError" in str(failure.value) and "wrong-password-123" not in str(failure.value)
