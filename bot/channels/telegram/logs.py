"""Logging for `run`: INFO by default, httpx quiet, and the token (or webhook secret) never written.

httpx logs every request URL at INFO, and Telegram's URLs contain the token (…/bot<token>/getUpdates), so
httpx is limited to warnings; and every handler's output goes through a redactor, whatever logger wrote it
and whatever the level (tracebacks included).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable

REDACTED = "<redacted>"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
NOISY = ("httpx", "httpcore", "hpack", "tornado.access")


class Redactor:
    def __init__(self, secrets: Iterable[str]) -> None:
        parts: set[str] = set()
        for secret in secrets:
            if not secret:
                continue
            parts.add(secret)
            _, _, key = secret.partition(":")  # the token's secret half, also when the ':' is URL-encoded
            if len(key) >= 8:
                parts.add(key)
        self.secrets = sorted(parts, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text


class RedactingFormatter(logging.Formatter):
    """Formats with the handler's own formatter, then removes the secrets from the finished line."""

    def __init__(self, inner: logging.Formatter, redact: Redactor) -> None:
        super().__init__()
        self.inner = inner
        self.redact = redact

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(self.inner.format(record))


def install_redaction(secrets: Iterable[str], logger: logging.Logger | None = None) -> Redactor:
    redact = Redactor(secrets)
    for handler in (logger or logging.getLogger()).handlers:
        inner = handler.formatter or logging.Formatter(FORMAT)
        if isinstance(inner, RedactingFormatter):
            inner = inner.inner
        handler.setFormatter(RedactingFormatter(inner, redact))
    return redact


def configure_logging(level: str, secrets: Iterable[str]) -> None:
    """One stderr handler on the root logger, the noisy HTTP loggers at WARNING, secrets redacted."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    root.setLevel(level.upper() if level else "INFO")
    for name in NOISY:
        logging.getLogger(name).setLevel(logging.WARNING)
    install_redaction(secrets, root)
