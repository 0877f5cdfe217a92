"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives, with STARTTLS, SMTPS
and login when asked, using a certificate made for the test by openssl."""

from __future__ import annotations

import ssl
import subprocess
from email import message_from_bytes, policy
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Inbox:
    def __init__(self, refuse: tuple[str, ...] = (), drop_after_data: bool = False) -> None:
        self.messages = []
        self.refuse = refuse
        self.drop_after_data = drop_after_data

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        if self.drop_after_data:  # kept the message, but the answer never comes in time
            import asyncio

            await asyncio.sleep(3)
        return "250 OK"


def make_certificate(folder: Path) -> tuple[Path, Path]:
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return key, cert


def start_smtp(
    folder: Path,
    mode: str = "none",
    user: str | None = None,
    password: str | None = None,
    port: int | None = None,
    refuse: tuple[str, ...] = (),
    drop_after_data: bool = False,
):
    """mode: none, starttls or ssl. Returns (controller, inbox, port, certificate path).
    `refuse`: recipients answered 550; `drop_after_data`: keep the message, answer too late."""
    inbox = Inbox(refuse, drop_after_data)
    key, cert = make_certificate(folder)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    def authenticate(server, session, envelope, mechanism, data):
        ok = isinstance(data, LoginPassword) and data.login.decode() == user and data.password.decode() == password
        return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself

    options = {"hostname": "127.0.0.1", "port": port or _free_port()}
    if mode == "starttls":
        options.update(tls_context=context, require_starttls=True)
    if mode == "ssl":
        options.update(ssl_context=context)
    if user:
        options.update(authenticator=authenticate, auth_require_tls=mode == "starttls")
    controller = Controller(inbox, **options)
    controller.start()
    return controller, inbox, options["port"], cert


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
