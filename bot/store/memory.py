"""An in-memory Store for tests: the same behaviour as SQLite (tests/test_store_requests.py runs both)."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Collection, Iterable
from typing import Any, cast

from .base import (
    ACTIVE,
    DAY,
    FINISHED,
    MAX_ERROR,
    OutboxItem,
    Purged,
    RequestConflict,
    RequestRow,
    RequestStatus,
    StatEvent,
    notice_key,
    withdrawal_payload,
)


class MemoryStore:
    def __init__(self) -> None:
        self.sessions: dict[str, str] = {}
        self.saved_at: dict[str, float] = {}
        self.events: list[StatEvent] = []
        self.channel_data: dict[str, str] = {}
        self.requests: dict[str, RequestRow] = {}
        self.outbox: dict[int, OutboxItem] = {}
        self.staff: dict[tuple[int, int], str] = {}
        """(chat id, message id) → reference, in the order they were recorded."""
        self._next_id = 1

    async def open(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def load(self, chat_key: str) -> str | None:
        return self.sessions.get(chat_key)

    async def save(self, chat_key: str, state_json: str, now: float, events: list[StatEvent] | None = None,
                   requests: Iterable[RequestRow] = (), outbox: Iterable[OutboxItem] = ()) -> None:
        rows, items = list(requests), list(outbox)
        merged = dict(self.requests)
        for row in rows:  # check everything first: a conflict writes nothing, as a rolled-back transaction
            old = merged.get(row.ref)
            if row.chat_key != chat_key or (old is not None and old.chat_key != chat_key):
                raise RequestConflict(f"the reference {row.ref} belongs to another chat")
            merged[row.ref] = row if old is None else dataclasses.replace(row, created_at=old.created_at)
            if sum(1 for r in merged.values() if r.chat_key == chat_key and r.status in ACTIVE) > 1:
                raise RequestConflict("the chat already has an open request")
        self.sessions[chat_key] = state_json
        self.saved_at[chat_key] = now
        self.events.extend(events or [])
        self.requests = merged
        self._insert(items, now)

    async def forget(self, chat_key: str, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        self.channel_data.pop(chat_key, None)
        mine = [r for r in self.requests.values() if r.chat_key == chat_key]
        notices: list[OutboxItem] = []
        for row in mine:
            notices += self._notices(row, "withdrawn", None if row.status in ACTIVE else row.status)
        self._delete([r.ref for r in mine])
        self.outbox = {i: item for i, item in self.outbox.items() if item.chat_key != chat_key}
        self._insert(notices, now)
        self.saved_at.pop(chat_key, None)
        return self.sessions.pop(chat_key, None) is not None

    async def purge_sessions(self, idle_before: float) -> int:
        idle = [key for key, at in self.saved_at.items() if at < idle_before]
        for key in idle:
            self.sessions.pop(key, None)
            self.saved_at.pop(key, None)
            self.channel_data.pop(key, None)
        return len(idle)

    async def checkpoint(self) -> None:
        return None

    async def load_channel_data(self, chat_key: str) -> str | None:
        return self.channel_data.get(chat_key)

    async def save_channel_data(self, chat_key: str, data: str, now: float) -> None:
        self.channel_data[chat_key] = data

    # ---- requests ------------------------------------------------------------------------------------------
    async def reference_in_use(self, ref: str) -> bool:
        return ref in self.requests or any(item.ref == ref for item in self.outbox.values())

    async def request(self, ref: str) -> RequestRow | None:
        return self.requests.get(ref)

    async def open_request(self, chat_key: str) -> RequestRow | None:
        return next((r for r in self.requests.values() if r.chat_key == chat_key and r.status in ACTIVE), None)

    async def request_by_staff_message(self, chat_id: int, message_id: int) -> RequestRow | None:
        ref = self.staff.get((chat_id, message_id))
        return self.requests.get(ref) if ref else None

    async def record_staff_message(self, ref: str, chat_id: int, message_id: int) -> None:
        if ref in self.requests:
            self.staff.setdefault((chat_id, message_id), ref)

    async def staff_messages(self, ref: str) -> list[tuple[int, int]]:
        return [key for key, owner in self.staff.items() if owner == ref]

    async def update_request(self, ref: str, now: float, status: RequestStatus, *, expect: Collection[str],
                             taken_by: str | None = None, outbox: Iterable[OutboxItem] = ()) -> RequestRow | None:
        row = self.requests.get(ref)
        if row is None or row.status not in expect:
            return None
        row = dataclasses.replace(row, status=status, updated_at=now, taken_by=taken_by or row.taken_by,
                                  closed_at=now if status in FINISHED else row.closed_at)
        self.requests[ref] = row
        self._insert(outbox, now)
        return row

    async def queue(self, outbox: Iterable[OutboxItem], now: float) -> None:
        self._insert(outbox, now)

    # ---- the outbox ----------------------------------------------------------------------------------------
    async def due_outbox(self, now: float, limit: int = 50) -> list[OutboxItem]:
        waiting = sorted(self._undelivered(), key=lambda i: i.id)
        due = [item for item in waiting if item.next_attempt_at <= now and not any(
            o.id < item.id and o.ref is not None and o.ref == item.ref and (o.channel, o.target) ==
            (item.channel, item.target) for o in waiting)]
        return sorted(due, key=lambda i: (i.next_attempt_at, i.id))[:limit]

    async def outbox_item(self, item_id: int) -> OutboxItem | None:
        return self.outbox.get(item_id)

    async def next_attempt_at(self) -> float | None:
        return min((i.next_attempt_at for i in self._undelivered()), default=None)

    async def start_attempt(self, item_id: int, now: float) -> bool:
        return self._change(item_id, lambda i: {"attempts": i.attempts + 1, "last_error": None})

    async def mark_delivered(self, item_id: int, now: float, remote_id: str | None,
                             staff_message: tuple[int, int] | None = None) -> None:
        item = self.outbox.get(item_id)
        if item is None or item.delivered_at is not None:
            return
        self.outbox[item_id] = dataclasses.replace(item, delivered_at=now, remote_id=remote_id, last_error=None,
                                                   payload="{}")
        if staff_message is not None and item.ref in self.requests:
            self.staff.setdefault(staff_message, item.ref)

    async def mark_failed(self, item_id: int, now: float, error: str, next_attempt_at: float) -> None:
        failed = self.outbox.get(item_id)
        if not self._change(item_id, lambda _: {"last_error": error[:MAX_ERROR] or "error",
                                                "next_attempt_at": next_attempt_at}) or failed is None:
            return
        for item in self._undelivered():
            same = (item.channel, item.target) == (failed.channel, failed.target)
            if same and item.next_attempt_at < next_attempt_at:
                self._change(item.id, lambda _: {"next_attempt_at": next_attempt_at})

    async def mark_abandoned(self, item_id: int, now: float, error: str) -> None:
        self._change(item_id, lambda _: {"delivered_at": now, "last_error": error[:MAX_ERROR] or "error",
                                         "payload": "{}"})

    async def pending_counts(self) -> dict[tuple[str, str], int]:
        counts: dict[tuple[str, str], int] = {}
        for item in self._undelivered():
            counts[item.channel, item.target] = counts.get((item.channel, item.target), 0) + 1
        return counts

    async def purge_requests(self, now: float, *, closed_days: float = 30, open_days: float = 90) -> Purged:
        finished_before, opened_before = now - closed_days * DAY, now - open_days * DAY
        finished = [r.ref for r in self.requests.values() if r.status not in ACTIVE
                    and (r.closed_at if r.closed_at is not None else r.updated_at) < finished_before]
        self._delete(finished)
        stale = [r for r in self.requests.values() if r.status in ACTIVE and r.created_at < opened_before]
        notices = [n for row in stale for n in self._notices(row, "expired")]
        self._delete([r.ref for r in stale])
        self._insert(notices, now)
        self.outbox = {i: item for i, item in self.outbox.items() if not (
            item.delivered_at is not None and item.delivered_at < finished_before
            and (item.ref is None or item.ref not in self.requests))}
        return Purged(len(finished), len(stale))

    # ---- helpers -------------------------------------------------------------------------------------------
    def _undelivered(self) -> list[OutboxItem]:
        return [item for item in self.outbox.values() if item.delivered_at is None]

    def _insert(self, items: Iterable[OutboxItem], now: float) -> None:
        keys = {item.key for item in self.outbox.values()}
        for item in items:
            if item.key in keys:
                continue
            keys.add(item.key)
            self.outbox[self._next_id] = dataclasses.replace(
                item, id=self._next_id, created_at=now, attempts=0, next_attempt_at=max(now, item.next_attempt_at),
                delivered_at=None, remote_id=None, last_error=None)
            self._next_id += 1

    def _change(self, item_id: int, changes: Any) -> bool:
        item = self.outbox.get(item_id)
        if item is None or item.delivered_at is not None:
            return False
        self.outbox[item_id] = dataclasses.replace(item, **changes(item))
        return True

    def _delete(self, refs: list[str]) -> None:
        gone = set(refs)
        for ref in gone:
            self.requests.pop(ref, None)
        self.staff = {key: ref for key, ref in self.staff.items() if ref not in gone}
        self.outbox = {i: item for i, item in self.outbox.items() if item.ref not in gone}

    def _notices(self, row: RequestRow, kind: str, was: str | None = None) -> list[OutboxItem]:
        targets: list[tuple[str, str]] = []
        for item in sorted(self.outbox.values(), key=lambda i: i.id):
            if (item.ref == row.ref and item.kind == "new" and item.channel != "person"
                    and (item.delivered_at is not None or item.attempts > 0)
                    and (item.channel, item.target) not in targets):
                targets.append((item.channel, item.target))
        notices = []
        for channel, target in targets:
            messages = [message for (chat, message), ref in self.staff.items()
                        if ref == row.ref and channel == "telegram" and str(chat) == target]
            if was is not None and not messages:
                continue
            notices.append(OutboxItem(notice_key(row.ref, kind, channel, target), cast(Any, channel), target,
                                      cast(Any, kind), withdrawal_payload(row.ref, row.created_at, messages, was),
                                      ref=row.ref))
        return notices
