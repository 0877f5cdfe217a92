"""Mail over SMTP (STARTTLS, SSL or plain for a local relay): the report as text and HTML."""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Literal

from pydantic import Field

from repodigest.publish.base import Edition, Ledger, Publication, PublishContext
from repodigest.publish.brief import title
from repodigest.publish.delivery import deliver, plan
from repodigest.publish.errors import DeliveryRefused, DeliveryUnknown
from repodigest.publish.settings import PublisherSettings, parse_section, secret_from_env

log = logging.getLogger(__name__)


class MailSettings(PublisherSettings):
    kind: Literal["mail"] = "mail"
    host: str
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str | None = None
    password_env: str | None = None
    sender: str
    recipients: tuple[str, ...] = Field(min_length=1)
    timeout: float = 60
    ca_file: str | None = None
    """A CA bundle for servers with a private certificate authority."""


class MailPublisher:
    name = "mail"
    needs_formats = ("md", "html")

    def __init__(self, settings: MailSettings, password: str | None, ledger: Ledger) -> None:
        self.settings = settings
        self.password = password
        self.ledger = ledger
        self.target = f"mail:{settings.name or ','.join(sorted(settings.recipients))}"

    def publish(self, edition: Edition) -> list[Publication]:
        report = edition.report
        key = edition.key
        planned = plan("mail", self.target, self.ledger, edition)
        if planned is None:
            entry = self.ledger.entry(self.target, key)
            return [Publication(target=self.target, key=key, remote_id=entry.remote_id if entry else None)]
        text = edition.main_markdown.content if edition.main_markdown else ""
        html = next(
            (d.content for d in edition.documents if d.format == "html" and d.repository is None), None
        ) or next((d.content for d in edition.documents if d.format == "html"), None)
        if planned.updated:
            # What changed since the mail that was sent, above the whole (new) report.
            preface = "\n".join(planned.lines)
            text = f"{preface}\n\n---\n\n{text}"
            if html:
                html = _prepend_html(html, planned.lines)
        message = self._message(title(report, planned.updated), text, html)

        def send() -> str:
            self._send(message)
            return message["Message-ID"]

        remote_id = deliver(self.target, self.ledger, planned, send)
        return [Publication(target=self.target, key=key, remote_id=remote_id)]

    def _message(self, subject: str, text: str, html: str | None) -> EmailMessage:
        message = EmailMessage()
        message["Subject"] = subject
        message["From"] = self.settings.sender
        message["To"] = ", ".join(self.settings.recipients)
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain=self.settings.sender.rsplit("@", 1)[-1])
        message.set_content(text, subtype="plain", charset="utf-8")
        if html:
            message.add_alternative(html, subtype="html", charset="utf-8")
        return message

    def _send(self, message: EmailMessage) -> None:
        """Refused (DeliveryRefused) when the server said no or could not be reached; unknown
        (DeliveryUnknown) when the connection broke after the message was handed over."""
        settings = self.settings
        where = f"mail to {', '.join(settings.recipients)} via {settings.host}:{settings.port}"
        context = ssl.create_default_context(cafile=settings.ca_file)
        handed_over = False
        try:
            client: smtplib.SMTP
            if settings.security == "ssl":
                client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
            else:
                client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
            with client:
                if settings.security == "starttls":
                    client.starttls(context=context)
                if settings.username:
                    client.login(settings.username, self.password or "")
                client.ehlo_or_helo_if_needed()
                recipients = list(settings.recipients)
                code, reply = client.mail(settings.sender)
                if code != 250:
                    raise smtplib.SMTPSenderRefused(code, reply, settings.sender)
                refused = {}
                for recipient in recipients:
                    code, reply = client.rcpt(recipient)
                    if code not in (250, 251):
                        refused[recipient] = (code, reply)
                if refused:
                    raise smtplib.SMTPRecipientsRefused(refused)
                handed_over = True  # from here the server may have accepted it before the line broke
                code, reply = client.data(message.as_bytes(policy=message.policy.clone(linesep="\r\n")))
                if code != 250:
                    raise smtplib.SMTPDataError(code, reply)
        except smtplib.SMTPResponseException as error:
            # The server answered with a refusal. Its words may echo the login: keep the code and kind.
            raise DeliveryRefused(f"{where} refused: {type(error).__name__} {error.smtp_code}") from None
        except (smtplib.SMTPException, OSError) as error:
            if handed_over:
                raise DeliveryUnknown(
                    f"{where}: no answer after the message was sent ({type(error).__name__})"
                ) from None
            raise DeliveryRefused(f"{where} failed: {type(error).__name__}") from None


def _prepend_html(html: str, lines: list[str]) -> str:
    from html import escape

    block = (
        '<aside class="repodigest-update"><p>' + "<br>".join(escape(line.strip()) for line in lines) + "</p></aside>"
    )
    marker = html.find("<body")
    if marker == -1:
        return block + html
    close = html.find(">", marker)
    return html[: close + 1] + block + html[close + 1 :]


def build(section: dict, _context: PublishContext, ledger: Ledger) -> MailPublisher:
    settings = parse_section(MailSettings, section)
    password = secret_from_env(settings.password_env, "the mail publisher") if settings.password_env else None
    return MailPublisher(settings, password, ledger)
