"""Settings of requests from the environment, each problem said in one sentence (the password never)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email

from ..config import ConfigError
from ..content.routing import Routing
from .sender import Retention

_ON, _OFF = {"1", "true", "yes", "on", "oui"}, {"0", "false", "no", "off", "non"}


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    sender: str
    """BOT_SMTP_FROM: the address the e-mails come from; its domain ends every Message-ID."""
    port: int = 587
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = True
    """Required by default: the connection is upgraded to TLS before the login and the request are sent."""
    timeout: float = 30.0

    def __repr__(self) -> str:  # never the password, even in a traceback
        return (f"SmtpSettings(host={self.host!r}, port={self.port}, sender={self.sender!r}, user={self.user!r}, "
                f"starttls={self.starttls})")

    @property
    def domain(self) -> str:
        return self.sender.rpartition("@")[2]

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SmtpSettings | None:
        """None when BOT_SMTP_HOST is not set (no e-mail destination can then be used)."""
        env = os.environ if env is None else env
        host = env.get("BOT_SMTP_HOST", "").strip()
        if not host:
            return None
        starttls = _flag(env, "BOT_SMTP_STARTTLS", default=True)
        raw_port = env.get("BOT_SMTP_PORT", "").strip()
        try:
            port = int(raw_port) if raw_port else (587 if starttls else 25)
            if not 1 <= port <= 65535:
                raise ValueError
        except ValueError:
            raise ConfigError(f"BOT_SMTP_PORT must be a number from 1 to 65535, not '{raw_port}'.") from None
        raw_sender = env.get("BOT_SMTP_FROM", "").strip()
        if not raw_sender:
            raise ConfigError("BOT_SMTP_FROM is not set: give the address the e-mails come from "
                              "(e.g. assistant-rsa@example.org).")
        try:
            sender = validate_email(raw_sender, check_deliverability=False).normalized
        except EmailNotValidError:
            raise ConfigError(f"BOT_SMTP_FROM must be an e-mail address, not '{raw_sender}'.") from None
        user = env.get("BOT_SMTP_USER", "").strip() or None
        password = env.get("BOT_SMTP_PASSWORD") or None
        if (user is None) != (password is None):
            raise ConfigError("BOT_SMTP_USER and BOT_SMTP_PASSWORD go together: set both to log in, or neither.")
        return cls(host=host, sender=sender, port=port, user=user, password=password, starttls=starttls)


def _flag(env: Mapping[str, str], name: str, *, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in _ON | _OFF:
        return raw in _ON
    raise ConfigError(f"{name} must be 'on' or 'off', not '{raw}'.")


def _days(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    try:
        days = float(raw) if raw else default
        if days <= 0:
            raise ValueError
    except ValueError:
        raise ConfigError(f"{name} must be a positive number of days, not '{raw}'.") from None
    return days


@dataclass(frozen=True, slots=True)
class ContactSettings:
    staff_chat: int | None = None
    """BOT_STAFF_CHAT: a Telegram group of the team, the default destination when routage.yaml has none."""
    smtp: SmtpSettings | None = None
    retention: Retention = field(default_factory=Retention)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ContactSettings:
        env = os.environ if env is None else env
        raw_chat = env.get("BOT_STAFF_CHAT", "").strip()
        staff_chat = None
        if raw_chat:
            if not (raw_chat.startswith("-") and raw_chat[1:].isdigit()):
                raise ConfigError(f"BOT_STAFF_CHAT must be the chat id of a Telegram group, a negative number such "
                                  f"as -1001234567890, not '{raw_chat}' (see docs/requests.md).")
            staff_chat = int(raw_chat)
        retention = Retention(closed_days=_days(env, "BOT_REQUEST_RETENTION_DAYS", 30),
                              open_days=_days(env, "BOT_REQUEST_EXPIRY_DAYS", 90))
        return cls(staff_chat=staff_chat, smtp=SmtpSettings.from_env(env), retention=retention)

    def check(self, routing: Routing) -> None:
        """ConfigError when the routing needs a setting that is missing (an e-mail destination, no SMTP)."""
        emails = sorted(d.id for d in routing.destinations.values() if d.email)
        if emails and self.smtp is None:
            raise ConfigError(f"knowledge/routage.yaml sends requests by e-mail ({', '.join(emails)}) but "
                              "BOT_SMTP_HOST is not set: set the BOT_SMTP_… settings (docs/requests.md).")
