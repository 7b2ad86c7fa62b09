"""Telegram settings from the environment (and `run` options), each problem said in one sentence.

The token is never part of a message: a sentence names the variable, not its value.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from ...config import ConfigError

DEFAULT_API_URL = "https://api.telegram.org"
DEFAULT_LISTEN = "127.0.0.1"
DEFAULT_PORT = 8443
_TOKEN = re.compile(r"[0-9]{1,20}:[A-Za-z0-9_-]{20,100}")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_USERNAME = re.compile(r"@?([A-Za-z][A-Za-z0-9_]{3,31})")


@dataclass(frozen=True, slots=True)
class TelegramSettings:
    token: str
    api_url: str = DEFAULT_API_URL
    webhook_url: str | None = None
    webhook_secret: str | None = None
    listen: str = DEFAULT_LISTEN
    port: int = DEFAULT_PORT

    def __repr__(self) -> str:  # never show the token or the secret, even in a debugger or a traceback
        return (f"TelegramSettings(api_url={self.api_url!r}, webhook_url={self.webhook_url!r}, "
                f"listen={self.listen!r}, port={self.port})")

    @property
    def base_url(self) -> str:
        """PTB appends the token: {api}/bot<token>/<method>."""
        return f"{self.api_url}/bot"

    @property
    def base_file_url(self) -> str:
        """{api}/file/bot<token>/<path>."""
        return f"{self.api_url}/file/bot"

    @property
    def url_path(self) -> str:
        """Where the webhook listens: the path of the public URL, so a reverse proxy can pass it unchanged."""
        return urlsplit(self.webhook_url or "").path.strip("/")

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(s for s in (self.token, self.webhook_secret) if s)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, webhook_url: str | None = None,
                 listen: str | None = None, port: int | None = None) -> TelegramSettings:
        """Options given on the command line win over the environment."""
        env = os.environ if env is None else env
        token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
        if not token:
            raise ConfigError("TELEGRAM_BOT_TOKEN is not set: create the bot with @BotFather and put its token "
                              "in the environment (see docs/telegram.md).")
        if not _TOKEN.fullmatch(token):
            raise ConfigError("TELEGRAM_BOT_TOKEN does not look like a bot token (digits, ':', then letters): "
                              "copy it again from @BotFather.")
        api_url = (env.get("TELEGRAM_API_URL") or DEFAULT_API_URL).strip().rstrip("/")
        if urlsplit(api_url).scheme not in ("http", "https") or not urlsplit(api_url).netloc:
            raise ConfigError(f"TELEGRAM_API_URL must be a web address like {DEFAULT_API_URL}, not '{api_url}'.")
        webhook_url = (webhook_url or env.get("TELEGRAM_WEBHOOK_URL") or "").strip() or None
        secret = env.get("TELEGRAM_WEBHOOK_SECRET", "").strip() or None
        if webhook_url is not None:
            if urlsplit(webhook_url).scheme != "https" or not urlsplit(webhook_url).netloc:
                raise ConfigError(f"The webhook URL must start with https:// (Telegram only calls https), "
                                  f"not '{webhook_url}'.")
            if secret is None:
                raise ConfigError("Webhook mode needs TELEGRAM_WEBHOOK_SECRET, so that only Telegram can send "
                                  "updates: set it to 1 to 256 letters, digits, '_' or '-'.")
        if secret is not None and not _SECRET.fullmatch(secret):
            raise ConfigError("TELEGRAM_WEBHOOK_SECRET may use only letters, digits, '_' and '-' (1 to 256).")
        raw_port = str(port) if port is not None else env.get("TELEGRAM_WEBHOOK_PORT", "").strip()
        try:
            number = int(raw_port) if raw_port else DEFAULT_PORT
            if not 1 <= number <= 65535:
                raise ValueError
        except ValueError:
            raise ConfigError(f"The webhook port must be a number from 1 to 65535, not '{raw_port}'.") from None
        return cls(token=token, api_url=api_url, webhook_url=webhook_url, webhook_secret=secret,
                   listen=(listen or env.get("TELEGRAM_WEBHOOK_LISTEN") or DEFAULT_LISTEN).strip(), port=number)


def clean_username(raw: str) -> str:
    """'@rsa93_bot' or 'rsa93_bot' → 'rsa93_bot'; anything else is refused in one sentence."""
    match = _USERNAME.fullmatch(raw.strip())
    if match is None:
        raise ConfigError(f"'{raw}' is not a Telegram bot username (letters, digits and '_', 5 to 32).")
    return match[1]
