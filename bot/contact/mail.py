"""E-mail destinations: the request, then its notices, over SMTP with STARTTLS (aiosmtplib).

The Message-ID is derived from the reference and the moment the request was made, so a message sent again after
a crash is the same message (see sender.py, "Exactly once"); notices answer it (In-Reply-To) and thread with it.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from html import escape

import aiosmtplib

from ..store import OutboxItem
from .outbox import read_notice
from .sender import DeliveryError
from .settings import SmtpSettings
from .summary import email_html, email_subject, email_text, notice_text

SENDER_NAME = "Assistant RSA 93"
_NOTICE_SUBJECT = {"taken": "prise en charge", "closed": "terminée", "cancelled": "annulée par la personne",
                   "withdrawn": "retirée par la personne", "expired": "expirée"}
_ERASE = "Ces informations sont effacées de l'assistant : supprimez aussi les courriels de cette demande."


def message_id(ref: str, created_at: float, domain: str, kind: str = "new") -> str:
    """<R-7K3Q.1767225600@example.org> for the request, <R-7K3Q.1767225600.taken@…> for a notice: the same for
    every send of one item, and never the same for two requests (a reference is drawn again only once the old
    request is deleted, at another moment)."""
    suffix = "" if kind == "new" else f".{kind}"
    return f"<{ref}.{int(created_at)}{suffix}@{domain}>"


def build_message(item: OutboxItem, settings: SmtpSettings, now: float) -> EmailMessage:
    notice = read_notice(item)
    if notice.ref is None or notice.created_at is None or item.kind not in ("new", *_NOTICE_SUBJECT):
        raise DeliveryError(f"an e-mail destination cannot receive a '{item.kind}' item", temporary=False)
    message = EmailMessage()
    message["From"] = Address(SENDER_NAME, addr_spec=settings.sender)
    message["To"] = item.target
    message["Date"] = format_datetime(datetime.fromtimestamp(now, UTC))
    message["Message-ID"] = message_id(notice.ref, notice.created_at, settings.domain, item.kind)
    message["Auto-Submitted"] = "auto-generated"
    if item.kind == "new":
        if notice.record is None:
            raise DeliveryError("a request item without its request", temporary=False)
        message["Subject"] = email_subject(notice.record)
        message.set_content(email_text(notice.record))
        message.add_alternative(email_html(notice.record), subtype="html")
        return message
    first = message_id(notice.ref, notice.created_at, settings.domain)
    message["In-Reply-To"] = first
    message["References"] = first
    message["Subject"] = f"Demande de contact {notice.ref} : {_NOTICE_SUBJECT[item.kind]}"
    text = notice_text(item.kind, notice.ref, taken_by=notice.record.taken_by if notice.record else None,
                       was=notice.was)
    if item.kind in ("withdrawn", "expired"):
        text = f"{text}\n{_ERASE}"
    message.set_content(text + "\n")
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in text.splitlines())
    message.add_alternative(f"<!DOCTYPE html><html lang=\"fr\"><body>{paragraphs}</body></html>", subtype="html")
    return message


class EmailDeliverer:
    """The Deliverer of the 'email' channel."""

    def __init__(self, settings: SmtpSettings, tls_context: ssl.SSLContext | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self.tls_context = tls_context
        """None: the system's certificate authorities (tests pass their own)."""
        self.clock = clock

    async def deliver(self, item: OutboxItem) -> str:
        message = build_message(item, self.settings, self.clock())
        settings = self.settings
        try:
            await aiosmtplib.send(message, hostname=settings.host, port=settings.port, username=settings.user,
                                  password=settings.password, start_tls=settings.starttls, use_tls=False,
                                  tls_context=self.tls_context, timeout=settings.timeout)
        except aiosmtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(f"the SMTP server refused the login ({exc.code}): check BOT_SMTP_USER and "
                                "BOT_SMTP_PASSWORD", temporary=False) from None
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [refused.code for refused in exc.recipients]
            raise DeliveryError(f"the SMTP server refused the address {item.target} ({', '.join(map(str, codes))})",
                                temporary=all(400 <= code < 500 for code in codes)) from None
        except (aiosmtplib.SMTPConnectError, aiosmtplib.SMTPTimeoutError, aiosmtplib.SMTPServerDisconnected) as exc:
            raise DeliveryError(f"the SMTP server {settings.host}:{settings.port} cannot be reached "
                                f"({type(exc).__name__})") from None
        except aiosmtplib.SMTPResponseException as exc:
            raise DeliveryError(f"the SMTP server answered {exc.code} {exc.message}",
                                temporary=400 <= exc.code < 500) from None
        except ssl.SSLError as exc:
            raise DeliveryError(f"TLS with {settings.host} failed ({exc.reason}): check its certificate",
                                temporary=False) from None
        except aiosmtplib.SMTPException as exc:  # STARTTLS not offered, and the like: a setting to fix
            raise DeliveryError(f"SMTP: {exc}", temporary=False) from None
        except OSError as exc:
            raise DeliveryError(f"the SMTP server {settings.host}:{settings.port} cannot be reached "
                                f"({type(exc).__name__})") from None
        return str(message["Message-ID"])
