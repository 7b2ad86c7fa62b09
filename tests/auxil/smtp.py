"""A real SMTP server on 127.0.0.1 (aiosmtpd, in its own thread) that requires STARTTLS and a login, with a test
certificate authority (trustme): the e-mail deliverer is tested over the network stack, never beyond loopback."""

from __future__ import annotations

import socket
import ssl
from email import message_from_bytes, policy
from email.message import EmailMessage
from types import TracebackType
from typing import Any

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from bot.contact import SmtpSettings

USER, PASSWORD = "assistant-test", "not-a-real-password"
"""Test data: the only login the server takes."""
SENDER = "assistant-rsa@example.org"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        self.messages.append(message_from_bytes(raw, policy=policy.default))  # type: ignore[arg-type]
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"


def _authenticate(server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (USER.encode(),
                                                                                             PASSWORD.encode())
    return AuthResult(success=ok, handled=False)  # not handled: the server answers 535 itself


class SmtpServer:
    """``with SmtpServer() as smtp:`` a server on 127.0.0.1; ``smtp.settings()`` and ``smtp.client_tls`` to reach it."""

    def __init__(self, *, starttls: bool = True) -> None:
        self.ca = trustme.CA()
        server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ca.issue_cert("127.0.0.1").configure_cert(server_tls)
        self.client_tls = ssl.create_default_context()
        self.ca.configure_trust(self.client_tls)
        self.inbox = _Inbox()
        self.port = free_port()
        options: dict[str, Any] = {}
        if starttls:  # a server without TLS takes no login either (a login in clear text is refused)
            options.update(tls_context=server_tls, require_starttls=True, authenticator=_authenticate,
                           auth_required=True, auth_require_tls=True)
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, **options)

    def settings(self, **changes: Any) -> SmtpSettings:
        values: dict[str, Any] = {"host": "127.0.0.1", "port": self.port, "sender": SENDER, "user": USER,
                                  "password": PASSWORD, "starttls": True, "timeout": 10.0}
        values.update(changes)
        return SmtpSettings(**values)

    @property
    def messages(self) -> list[EmailMessage]:
        return self.inbox.messages

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.controller.stop()
