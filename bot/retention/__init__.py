"""How long what the bot keeps is kept (GDPR art. 5: storage limitation), applied by the running bot and by
`python -m bot purge`.

- A conversation nobody continued for ``session_days`` (default 30) is deleted, with its channel data (the
  Telegram question it waits on).
- Raw statistics events older than ``event_days`` (default 7) become daily counts (bot/stats rollup) and the raw
  rows are deleted: a count per day, territory, referent code and language is all the figures need.
- Requests: finished ones ``request_days`` after they end (default 30), open ones after ``request_open_days``
  (default 90, the team is told): bot/contact, applied here too so that `purge` does everything.
- Then the WAL is checkpointed: with SQLite's secure_delete the deleted bytes leave the files.

Settings: BOT_SESSION_RETENTION_DAYS, BOT_EVENT_RETENTION_DAYS (and BOT_REQUEST_RETENTION_DAYS,
BOT_REQUEST_EXPIRY_DAYS of bot/contact). See docs/privacy.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..config import ConfigError
from ..contact.settings import ContactSettings
from ..stats import rollup
from ..store import SQLiteStore, Store
from ..store.base import DAY

log = logging.getLogger(__name__)
HOUR = 3600.0


def _days(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        days = float(raw)
    except ValueError:
        days = -1.0
    if not 0 < days <= 3650:
        raise ConfigError(f"{name} must be a number of days between 1 and 3650, not '{raw}' (see docs/privacy.md).")
    return days


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    session_days: float = 30
    event_days: float = 7
    request_days: float = 30
    request_open_days: float = 90
    every: float = 6 * HOUR
    """How often the running bot applies it."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> RetentionPolicy:
        env = os.environ if env is None else env
        contact = ContactSettings.from_env(env).retention
        return cls(session_days=_days(env, "BOT_SESSION_RETENTION_DAYS", 30),
                   event_days=_days(env, "BOT_EVENT_RETENTION_DAYS", 7),
                   request_days=contact.closed_days, request_open_days=contact.open_days)


@dataclass(frozen=True, slots=True)
class Purge:
    sessions: int
    """Conversations deleted (idle too long)."""
    events: int
    """Raw events turned into daily counts."""
    requests: int
    """Finished requests deleted."""
    expired: int
    """Open requests deleted after the expiry (their team is told)."""

    def __str__(self) -> str:
        return (f"{self.sessions} conversation(s) idle too long deleted, {self.events} raw event(s) turned into "
                f"daily counts, {self.requests} finished request(s) deleted, {self.expired} open request(s) "
                f"expired")


async def apply_retention(store: Store, policy: RetentionPolicy, now: float | None = None) -> Purge:
    """Apply the whole policy once; each part is its own transaction (a crash leaves each part done or not)."""
    now = time.time() if now is None else now
    sessions = await store.purge_sessions(now - policy.session_days * DAY)
    events = 0
    if isinstance(store, SQLiteStore):
        async with store.writing() as db:
            events = (await rollup(db, now - policy.event_days * DAY)).events
    requests = await store.purge_requests(now, closed_days=policy.request_days, open_days=policy.request_open_days)
    await store.checkpoint()
    return Purge(sessions, events, requests.deleted, requests.expired)


class RetentionJob:
    """The running bot's retention: once at start, then every ``policy.every``; a failure is logged and tried
    again at the next round, never the end of the bot."""

    def __init__(self, store: Store, policy: RetentionPolicy, *, clock: Callable[[], float] = time.time,
                 after: Callable[[Purge], None] = lambda _: None) -> None:
        self.store = store
        self.policy = policy
        self.clock = clock
        self.after = after
        """Called after each round (the bot wakes the outbox sender: expired requests queue notices)."""
        self._stop = asyncio.Event()

    async def run(self) -> None:
        self._stop.clear()
        while not self._stop.is_set():
            try:
                done = await apply_retention(self.store, self.policy, self.clock())
                if done.sessions or done.events or done.requests or done.expired:
                    log.info("retention: %s", done)
                self.after(done)
            except Exception:
                log.exception("retention: this round failed; the next one tries again")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=self.policy.every)

    def stop(self) -> None:
        self._stop.set()


__all__ = ["Purge", "RetentionJob", "RetentionPolicy", "apply_retention"]
