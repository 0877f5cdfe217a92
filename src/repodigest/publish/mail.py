"""Mail over SMTP (STARTTLS, SSL or plain for a local relay): the report as text and HTML."""

from __future__ import annotations

import hashlib
import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Literal

from pydantic import Field

from repodigest.config import Config
from repodigest.publish.base import Edition, Ledger, Publication
from repodigest.publish.brief import title
from repodigest.publish.errors import PublishError
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
        key = report.date.isoformat()
        text = edition.main_markdown.content if edition.main_markdown else ""
        html = next((d.content for d in edition.documents if d.format == "html" and d.repository is None), None) \
            or next((d.content for d in edition.documents if d.format == "html"), None)
        digest = hashlib.sha256(text.encode()).hexdigest()
        entry = self.ledger.entry(self.target, key)
        if entry is not None and (entry.status == "pending" or entry.content_hash == digest):
            if entry.status == "pending":
                log.warning("mail for %s may already have been sent; not sending again", key)
            return [Publication(target=self.target, key=key, remote_id=entry.remote_id)]
        subject = title(report) + (" [updated]" if entry is not None else "")
        message = self._message(subject, text, html)
        self.ledger.begin(self.target, key)
        self._send(message)
        self.ledger.complete(self.target, key, message["Message-ID"], None, digest)
        return [Publication(target=self.target, key=key, remote_id=message["Message-ID"])]

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
        settings = self.settings
        context = ssl.create_default_context(cafile=settings.ca_file)
        try:
            if settings.security == "ssl":
                client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
            else:
                client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
            with client:
                if settings.security == "starttls":
                    client.starttls(context=context)
                if settings.username:
                    client.login(settings.username, self.password or "")
                client.send_message(message)
        except (smtplib.SMTPException, OSError) as error:
            # smtplib's messages may echo what the server said about the login: keep only the kind.
            raise PublishError(f"mail to {', '.join(settings.recipients)} via {settings.host}:{settings.port} "
                               f"failed: {type(error).__name__}") from None


def build(section: dict, config: Config, ledger: Ledger) -> MailPublisher:
    settings = parse_section(MailSettings, section)
    password = secret_from_env(settings.password_env, "the mail publisher") if settings.password_env else None
    return MailPublisher(settings, password, ledger)
