"""The outbox sender: delivers what the store committed, marks it done, retries what failed.

Exactly once, and its limits
----------------------------
An item is written in the same transaction as the step that causes it, so nothing a person confirmed can be lost,
and an item marked delivered is never sent again, across restarts and ``kill -9``. The one window left is between
the moment a destination accepts an item and the moment the store marks it delivered: a crash there (the item is
then ``interrupted``: its send was counted, never confirmed nor refused) sends it again after the restart.

- **Telegram**: the staff chat then shows the request twice. Both messages carry the same reference (R-7K3Q), so
  staff see it is one request; the second is recorded as its message, and a button of the first still names the
  request (put the reference in the callback data).
- **E-mail**: the same message goes again with the same Message-ID, derived from the reference and the moment the
  request was made: mail programs thread it with the first, and many mailboxes drop the duplicate.
- **The person** (a notice, a relayed reply) may read it twice.

The idempotency key of each item (``R-7K3Q:new:telegram:-100…``) makes writing it twice harmless (a retried step,
a double press), and the window is one message wide: the store counts the attempt before the send and marks the
result right after it.

A failing destination is retried with exponential backoff and jitter (bounded: RetryPolicy), and reported to the
admins when it keeps failing; its items stay queued until it works again. Items to the person that can never
arrive (they blocked the bot) are abandoned; items to staff never are.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Protocol

from ..store import OutboxItem, Purged, Store, StoreUnavailable
from .outbox import PERSON, admin_item

log = logging.getLogger(__name__)
HOUR = 3600.0
MIN_PAUSE = 0.5
"""Never poll faster than this (an item held behind an older one is due but waits); wake() is immediate."""


class DeliveryError(Exception):
    """A destination did not take an item. ``temporary``: try again later (a server down, a time-out);
    otherwise someone must act (the bot was removed from the group, the address or the password is refused)."""

    def __init__(self, message: str, *, temporary: bool = True) -> None:
        super().__init__(message)
        self.temporary = temporary


class Deliverer(Protocol):
    async def deliver(self, item: OutboxItem) -> str | None:
        """Send the item; return what the destination calls it (a Telegram message id, an e-mail Message-ID).
        Raise DeliveryError when it was not taken."""


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    first_delay: float = 10.0
    factor: float = 2.0
    max_delay: float = HOUR
    """No wait is longer than this: a destination that works again gets its requests within the hour."""
    jitter: float = 0.2
    """Each wait is shortened by up to this fraction, at random, so that retries do not all come at once."""
    alert_after: int = 5
    """Failures in a row before the admins are told (at once for an error that is not temporary)."""
    alert_every: float = HOUR
    """At most one alert per destination in this time."""

    def __post_init__(self) -> None:
        if not (0 < self.first_delay <= self.max_delay and self.factor >= 1 and 0 <= self.jitter < 1):
            raise ValueError("RetryPolicy needs 0 < first_delay <= max_delay, factor >= 1 and 0 <= jitter < 1")

    def delay(self, failures: int, draw: float) -> float:
        """The wait after ``failures`` failures in a row; ``draw`` is a random number in [0, 1)."""
        base = min(self.max_delay, self.first_delay * self.factor ** min(max(failures - 1, 0), 64))
        return base * (1 - self.jitter * draw)


@dataclass(frozen=True, slots=True)
class Alert:
    """A destination that keeps failing, for the admins."""

    channel: str
    target: str
    failures: int
    pending: int
    error: str
    temporary: bool

    @property
    def text(self) -> str:
        where = (f"le groupe Telegram {self.target}" if self.channel == "telegram" else
                 f"l'adresse {self.target}" if self.channel == "email" else self.target)
        check = ("Le bot est-il toujours membre du groupe ?" if self.channel == "telegram" else
                 "Vérifiez l'adresse et les réglages SMTP du bot (BOT_SMTP_HOST et les suivants).")
        return (f"⚠️ Les demandes de contact n'arrivent plus à {where} : {self.failures} essai(s) sans succès. "
                f"{self.pending} message(s) attendent ; ils partiront dès que cela remarche. {check}\n"
                f"Dernière erreur : {self.error}")


@dataclass(frozen=True, slots=True)
class Retention:
    closed_days: float = 30
    open_days: float = 90
    every: float = 6 * HOUR


class OutboxSender:
    """One asyncio worker for the running bot. ``wake()`` after a step wrote outbox items; it also polls, and
    runs the retention (``retention=None``: never)."""

    def __init__(self, store: Store, deliverers: Mapping[str, Deliverer], *, admins: Collection[int] = (),
                 on_alert: Callable[[Alert], Awaitable[None]] | None = None, retry: RetryPolicy | None = None,
                 retention: Retention | None = Retention(), poll_every: float = 60.0, batch: int = 20,
                 timeout: float = 60.0, clock: Callable[[], float] = time.time,
                 draw: Callable[[], float] = random.random) -> None:
        self.store = store
        self.deliverers = dict(deliverers)
        self.admins = tuple(admins)
        self.on_alert = on_alert
        self.retry = retry or RetryPolicy()
        self.retention = retention
        self.poll_every = poll_every
        self.batch = batch
        self.timeout = timeout
        self.clock = clock
        self.draw = draw
        self._failures: dict[tuple[str, str], int] = {}
        """Failures in a row per (channel, target)."""
        self._alerted: dict[tuple[str, str], float] = {}
        self._woken = asyncio.Event()
        self._stopping = False
        self._next_housekeeping = 0.0

    def wake(self) -> None:
        self._woken.set()

    async def run(self) -> None:
        """Deliver until stop(); a failing store is logged and tried again, never the end of the worker."""
        self._stopping = False
        while not self._stopping:
            self._woken.clear()
            try:
                await self.housekeeping_when_due()
                await self.deliver_due()
                pause = await self._pause()
            except StoreUnavailable as exc:  # locked, full, read-only: one line, and the next round tries again
                log.warning("outbox: a round of deliveries stopped: %s", exc)
                pause = self.poll_every
            except Exception:  # the store itself failed: the next round tries again
                log.exception("outbox: a round of deliveries failed")
                pause = self.poll_every
            if self._stopping:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._woken.wait(), timeout=pause)

    def stop(self) -> None:
        """The current delivery finishes (then its result is recorded), and run() returns."""
        self._stopping = True
        self._woken.set()

    async def _pause(self) -> float:
        pause = self.poll_every
        due = await self.store.next_attempt_at()
        if due is not None:
            pause = min(pause, max(0.0, due - self.clock()))
        if self.retention is not None:
            pause = min(pause, max(0.0, self._next_housekeeping - self.clock()))
        return max(pause, MIN_PAUSE)

    async def housekeeping_when_due(self) -> Purged | None:
        if self.retention is None or self.clock() < self._next_housekeeping:
            return None
        self._next_housekeeping = self.clock() + self.retention.every
        purged = await self.store.purge_requests(self.clock(), closed_days=self.retention.closed_days,
                                                 open_days=self.retention.open_days)
        if purged.deleted or purged.expired:
            log.info("requests: %d finished deleted, %d expired", purged.deleted, purged.expired)
        return purged

    async def deliver_due(self) -> int:
        """Deliver every item due now, in rounds of ``batch``; the number delivered. A destination that fails
        waits (the store defers all its items), and the others go on."""
        delivered = 0
        tried: set[int] = set()
        while not self._stopping:
            items = [i for i in await self.store.due_outbox(self.clock(), self.batch + len(tried)) if i.id not in tried]
            if not items:
                return delivered
            failed: set[tuple[str, str]] = set()
            for item in items[:self.batch]:
                tried.add(item.id)
                if (item.channel, item.target) in failed:
                    continue  # it failed a moment ago in this round: the store has deferred this item too
                if await self.deliver(item):
                    delivered += 1
                else:
                    failed.add((item.channel, item.target))
                if self._stopping:
                    break
        return delivered

    async def deliver(self, item: OutboxItem) -> bool:
        """One item: True if it was delivered."""
        destination = (item.channel, item.target)
        deliverer = self.deliverers.get(item.channel)
        if deliverer is None:  # a setting is missing: kept, tried again later, never abandoned
            log.error("outbox: no deliverer for the channel %s: %s %s waits", item.channel, item.kind, item.ref)
            await self.store.mark_failed(item.id, self.clock(), f"no deliverer for {item.channel}",
                                         self.clock() + self.retry.max_delay)
            return False
        if not await self.store.start_attempt(item.id, self.clock()):
            return False  # erased meanwhile (/oubli), or already delivered
        if item.interrupted:
            log.warning("outbox: %s %s was being sent when the bot stopped: it may arrive twice", item.kind,
                        item.ref or "alert")
        try:
            async with asyncio.timeout(self.timeout):
                remote_id = await deliverer.deliver(item)
        except DeliveryError as exc:
            await self._failed(item, exc)
            return False
        except TimeoutError:
            await self._failed(item, DeliveryError(f"no answer in {self.timeout:g} s"))
            return False
        except Exception as exc:  # a bug in a deliverer must not stop the others: retried, and logged
            log.exception("outbox: the %s deliverer failed", item.channel)
            await self._failed(item, DeliveryError(f"{type(exc).__name__}: {exc}"))
            return False
        await self.store.mark_delivered(item.id, self.clock(), remote_id, _staff_message(item, remote_id))
        self._failures.pop(destination, None)
        log.info("outbox: %s %s delivered by %s", item.kind, item.ref or "alert", item.channel)
        return True

    async def _failed(self, item: OutboxItem, error: DeliveryError) -> None:
        now = self.clock()
        destination = (item.channel, item.target)
        if item.channel == PERSON and not error.temporary:
            await self.store.mark_abandoned(item.id, now, str(error))
            log.info("outbox: %s %s not deliverable to the person (%s): abandoned", item.kind, item.ref, error)
            return
        failures = max(self._failures.get(destination, 0), item.attempts) + 1
        self._failures[destination] = failures
        wait = self.retry.delay(failures, self.draw()) if error.temporary else self.retry.max_delay
        await self.store.mark_failed(item.id, now, str(error), now + wait)
        log.warning("outbox: %s %s not delivered by %s (%s); next try in %.0f s", item.kind, item.ref or "alert",
                    item.channel, error, wait)
        if item.kind != "admin" and (failures >= self.retry.alert_after or not error.temporary):
            await self._alert(Alert(item.channel, item.target, failures, 0, str(error), error.temporary), now)

    async def _alert(self, alert: Alert, now: float) -> None:
        destination = (alert.channel, alert.target)
        if now - self._alerted.get(destination, -self.retry.alert_every) < self.retry.alert_every:
            return
        self._alerted[destination] = now
        pending = (await self.store.pending_counts()).get(destination, 0)
        alert = Alert(alert.channel, alert.target, alert.failures, pending, alert.error, alert.temporary)
        window = int(now // self.retry.alert_every)  # the key keeps it to one per window across restarts too
        await self.store.queue([admin_item(admin, alert.text, f"{alert.channel}:{alert.target}:{window}")
                                for admin in self.admins], now)
        if not self.admins:
            log.error("outbox: %s (no BOT_ADMINS to tell)", alert.text.splitlines()[0])
        if self.on_alert is not None:
            await self.on_alert(alert)
        self.wake()


def _staff_message(item: OutboxItem, remote_id: str | None) -> tuple[int, int] | None:
    """A Telegram message in a staff chat that belongs to a request: replies to it reach the request."""
    if item.channel != "telegram" or item.ref is None or item.kind == "admin" or remote_id is None:
        return None
    if not (remote_id.isdigit() and item.target.lstrip("-").isdigit()):
        return None
    return int(item.target), int(remote_id)
