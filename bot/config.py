"""Settings from the environment, each problem reported in one clear sentence."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_EXPIRY_SECONDS = 6 * 3600.0


class ConfigError(ValueError):
    """A setting that cannot be used; str() is the sentence shown to the operator."""


@dataclass(frozen=True, slots=True)
class Settings:
    database: Path
    content: Path | None
    expiry_seconds: float
    admins: frozenset[int]

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        raw_expiry = env.get("BOT_SESSION_EXPIRY_SECONDS", "").strip()
        try:
            expiry = float(raw_expiry) if raw_expiry else DEFAULT_EXPIRY_SECONDS
            if expiry <= 0:
                raise ValueError
        except ValueError:
            raise ConfigError(f"BOT_SESSION_EXPIRY_SECONDS must be a positive number of seconds, not '{raw_expiry}'.")\
                from None
        admins: set[int] = set()
        for part in env.get("BOT_ADMINS", "").replace(" ", "").split(","):
            if not part:
                continue
            if not part.lstrip("-").isdigit():
                raise ConfigError(f"BOT_ADMINS must list Telegram user ids separated by commas; '{part}' is not one.")
            admins.add(int(part))
        content = env.get("BOT_CONTENT")
        return cls(
            database=Path(env.get("BOT_DATABASE") or "bot.sqlite3"),
            content=Path(content) if content else None,
            expiry_seconds=expiry,
            admins=frozenset(admins),
        )
