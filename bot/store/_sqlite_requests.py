"""The requests, outbox and staff messages of the SQLite store (tables of migration 4).

Every write runs inside one transaction of the store (``transaction()``), so a request, the step that confirms it
and the outbox items it causes are committed together or not at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Collection, Iterable
from contextlib import asynccontextmanager
from typing import Any, cast

import aiosqlite

from ._sqlite_errors import guard_methods
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
    StoreUnavailable,
    notice_key,
    withdrawal_payload,
)

_REQUEST_COLUMNS = "ref, chat_key, destination, status, payload, created_at, updated_at, taken_by, closed_at"
_OUTBOX_COLUMNS = ("id, key, ref, chat_key, channel, target, kind, payload, created_at, attempts, next_attempt_at, "
                   "delivered_at, remote_id, last_error")
_ACTIVE_SQL = "('open', 'taken')"


def _placeholders(values: Collection[Any]) -> str:
    return ", ".join("?" * len(values))


def _request(row: Any) -> RequestRow:
    return RequestRow(str(row[0]), str(row[1]), str(row[2]), cast(RequestStatus, row[3]), str(row[4]),
                      float(row[5]), float(row[6]), row[7], row[8])


def _item(row: Any) -> OutboxItem:
    return OutboxItem(id=int(row[0]), key=str(row[1]), ref=row[2], chat_key=row[3], channel=row[4], target=str(row[5]),
                      kind=row[6], payload=str(row[7]), created_at=float(row[8]), attempts=int(row[9]),
                      next_attempt_at=float(row[10]), delivered_at=row[11], remote_id=row[12], last_error=row[13])


@guard_methods
class SQLiteRequests:
    """Mixed into SQLiteStore, which provides the connection, the write lock and the transaction."""

    path: str
    busy_timeout: float
    _writing: asyncio.Lock

    @property
    def db(self) -> aiosqlite.Connection:
        raise NotImplementedError

    @asynccontextmanager
    async def _write_turn(self) -> AsyncIterator[None]:
        """The connection for one write, after the writes before it, waited for at most ``busy_timeout`` — as long
        as SQLite waits for another program's lock. While a program holds the lock, the steps queued behind the
        one waiting for it give up in that time too, instead of one ``busy_timeout`` after the other."""
        try:
            await asyncio.wait_for(self._writing.acquire(), self.busy_timeout)
        except TimeoutError:
            raise StoreUnavailable(f"The database {self.path} cannot be used now: the writes before this one "
                                   f"waited more than {self.busy_timeout:g} s.") from None
        try:
            yield
        finally:
            self._writing.release()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception — a failed COMMIT included (SQLite keeps the
        transaction open after a COMMIT refused as busy: the next BEGIN would fail forever). The caller holds
        ``_write_turn()``."""
        await self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
            await self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:  # SQLite may have rolled back already (a full disk does)
                with contextlib.suppress(sqlite3.Error):
                    await self.db.execute("ROLLBACK")
            raise

    # ---- writes inside a step -----------------------------------------------------------------------------
    async def _write_requests(self, chat_key: str, requests: Iterable[RequestRow]) -> None:
        for row in requests:
            if row.chat_key != chat_key:
                raise RequestConflict(f"request {row.ref} belongs to another chat than the step saving it")
            try:
                cursor = await self.db.execute(
                    f"INSERT INTO requests({_REQUEST_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT(ref) DO UPDATE SET destination = excluded.destination, status = excluded.status, "
                    "payload = excluded.payload, updated_at = excluded.updated_at, taken_by = excluded.taken_by, "
                    "closed_at = excluded.closed_at WHERE requests.chat_key = excluded.chat_key",
                    (row.ref, row.chat_key, row.destination, row.status, row.payload, row.created_at, row.updated_at,
                     row.taken_by, row.closed_at))
            except sqlite3.IntegrityError as exc:
                raise RequestConflict(f"the chat already has an open request ({exc})") from None
            if cursor.rowcount == 0:
                raise RequestConflict(f"the reference {row.ref} belongs to another chat")

    async def _insert_outbox(self, outbox: Iterable[OutboxItem], now: float) -> None:
        await self.db.executemany(
            "INSERT INTO outbox(key, ref, chat_key, channel, target, kind, payload, created_at, attempts, "
            "next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT(key) DO NOTHING",
            [(i.key, i.ref, i.chat_key, i.channel, i.target, i.kind, i.payload, now, max(now, i.next_attempt_at))
             for i in outbox])

    async def _forget_requests(self, chat_key: str, now: float) -> None:
        """Delete the chat's requests and everything tied to them; queue 'withdrawn' notices (reference only)."""
        async with self.db.execute("SELECT ref, status, created_at FROM requests WHERE chat_key = ?",
                                   (chat_key,)) as cursor:
            requests = [(str(ref), str(status), float(created)) for ref, status, created in await cursor.fetchall()]
        notices: list[OutboxItem] = []
        for ref, status, created_at in requests:
            notices += await self._notices(ref, created_at, "withdrawn", was=None if status in ACTIVE else status)
        await self._delete_requests([ref for ref, _, _ in requests])
        await self.db.execute("DELETE FROM outbox WHERE chat_key = ?", (chat_key,))
        await self._insert_outbox(notices, now)

    async def _notices(self, ref: str, created_at: float, kind: str, was: str | None = None) -> list[OutboxItem]:
        """Notices for the staff who got (or may have got) the request. A finished request only has its Telegram
        messages edited (``was``: its status), so that they no longer show the person's details."""
        async with self.db.execute(
                "SELECT DISTINCT channel, target FROM outbox WHERE ref = ? AND kind = 'new' AND channel != 'person' "
                "AND (delivered_at IS NOT NULL OR attempts > 0) ORDER BY id", (ref,)) as cursor:
            targets = [(str(channel), str(target)) for channel, target in await cursor.fetchall()]
        notices = []
        for channel, target in targets:
            messages: list[int] = []
            if channel == "telegram" and target.lstrip("-").isdigit():
                async with self.db.execute("SELECT message_id FROM staff_messages WHERE ref = ? AND chat_id = ? "
                                           "ORDER BY rowid", (ref, int(target))) as cursor:
                    messages = [int(m) for (m,) in await cursor.fetchall()]
            if was is not None and not messages:
                continue
            notices.append(OutboxItem(notice_key(ref, kind, channel, target), cast(Any, channel), target,
                                      cast(Any, kind), withdrawal_payload(ref, created_at, messages, was), ref=ref))
        return notices

    async def _delete_requests(self, refs: list[str]) -> None:
        for start in range(0, len(refs), 500):
            chunk = refs[start:start + 500]
            marks = _placeholders(chunk)
            await self.db.execute(f"DELETE FROM staff_messages WHERE ref IN ({marks})", chunk)
            await self.db.execute(f"DELETE FROM outbox WHERE ref IN ({marks})", chunk)
            await self.db.execute(f"DELETE FROM requests WHERE ref IN ({marks})", chunk)

    # ---- reads ----------------------------------------------------------------------------------------------
    async def reference_in_use(self, ref: str) -> bool:
        async with self.db.execute("SELECT 1 FROM requests WHERE ref = ? UNION ALL SELECT 1 FROM outbox WHERE ref = ? "
                                   "LIMIT 1", (ref, ref)) as cursor:
            return await cursor.fetchone() is not None

    async def request(self, ref: str) -> RequestRow | None:
        async with self.db.execute(f"SELECT {_REQUEST_COLUMNS} FROM requests WHERE ref = ?", (ref,)) as cursor:
            row = await cursor.fetchone()
        return _request(row) if row else None

    async def open_request(self, chat_key: str) -> RequestRow | None:
        async with self.db.execute(f"SELECT {_REQUEST_COLUMNS} FROM requests WHERE chat_key = ? AND status IN "
                                   f"{_ACTIVE_SQL}", (chat_key,)) as cursor:
            row = await cursor.fetchone()
        return _request(row) if row else None

    async def request_by_staff_message(self, chat_id: int, message_id: int) -> RequestRow | None:
        columns = ", ".join(f"r.{c.strip()}" for c in _REQUEST_COLUMNS.split(","))
        async with self.db.execute(f"SELECT {columns} FROM staff_messages s JOIN requests r ON r.ref = s.ref "
                                   "WHERE s.chat_id = ? AND s.message_id = ?", (chat_id, message_id)) as cursor:
            row = await cursor.fetchone()
        return _request(row) if row else None

    async def staff_messages(self, ref: str) -> list[tuple[int, int]]:
        async with self.db.execute("SELECT chat_id, message_id FROM staff_messages WHERE ref = ? ORDER BY rowid",
                                   (ref,)) as cursor:
            return [(int(chat), int(message)) for chat, message in await cursor.fetchall()]

    async def due_outbox(self, now: float, limit: int = 50) -> list[OutboxItem]:
        async with self.db.execute(
                f"SELECT {_OUTBOX_COLUMNS} FROM outbox o WHERE delivered_at IS NULL AND next_attempt_at <= ? "
                "AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.ref = o.ref AND p.channel = o.channel AND "
                "p.target = o.target AND p.id < o.id AND p.delivered_at IS NULL) "
                "ORDER BY next_attempt_at, id LIMIT ?", (now, limit)) as cursor:
            return [_item(row) for row in await cursor.fetchall()]

    async def outbox_item(self, item_id: int) -> OutboxItem | None:
        async with self.db.execute(f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE id = ?", (item_id,)) as cursor:
            row = await cursor.fetchone()
        return _item(row) if row else None

    async def next_attempt_at(self) -> float | None:
        async with self.db.execute("SELECT MIN(next_attempt_at) FROM outbox WHERE delivered_at IS NULL") as cursor:
            row = await cursor.fetchone()
        return float(row[0]) if row and row[0] is not None else None

    async def pending_counts(self) -> dict[tuple[str, str], int]:
        async with self.db.execute("SELECT channel, target, COUNT(*) FROM outbox WHERE delivered_at IS NULL "
                                   "GROUP BY channel, target") as cursor:
            return {(str(channel), str(target)): int(n) for channel, target, n in await cursor.fetchall()}

    # ---- writes outside a step ---------------------------------------------------------------------------
    async def record_staff_message(self, ref: str, chat_id: int, message_id: int) -> None:
        async with self._write_turn(), self.transaction() as db:
            await db.execute("INSERT OR IGNORE INTO staff_messages(ref, chat_id, message_id) SELECT ?, ?, ? "
                             "WHERE EXISTS (SELECT 1 FROM requests WHERE ref = ?)", (ref, chat_id, message_id, ref))

    async def update_request(self, ref: str, now: float, status: RequestStatus, *, expect: Collection[str],
                             taken_by: str | None = None, outbox: Iterable[OutboxItem] = ()) -> RequestRow | None:
        expected = sorted(expect)
        async with self._write_turn(), self.transaction() as db:
            cursor = await db.execute(
                "UPDATE requests SET status = ?, updated_at = ?, taken_by = COALESCE(?, taken_by), "
                f"closed_at = CASE WHEN ? THEN ? ELSE closed_at END WHERE ref = ? AND status IN "
                f"({_placeholders(expected)})",
                (status, now, taken_by, status in FINISHED, now, ref, *expected))
            if cursor.rowcount == 0:
                return None
            await self._insert_outbox(outbox, now)
        return await self.request(ref)

    async def queue(self, outbox: Iterable[OutboxItem], now: float) -> None:
        items = list(outbox)
        if items:
            async with self._write_turn(), self.transaction():
                await self._insert_outbox(items, now)

    async def start_attempt(self, item_id: int, now: float) -> bool:
        async with self._write_turn(), self.transaction() as db:
            cursor = await db.execute("UPDATE outbox SET attempts = attempts + 1, last_error = NULL WHERE id = ? AND "
                                      "delivered_at IS NULL", (item_id,))
            return cursor.rowcount > 0

    async def mark_delivered(self, item_id: int, now: float, remote_id: str | None,
                             staff_message: tuple[int, int] | None = None) -> None:
        async with self._write_turn(), self.transaction() as db:
            await db.execute("UPDATE outbox SET delivered_at = ?, remote_id = ?, last_error = NULL, payload = '{}' "
                             "WHERE id = ? AND delivered_at IS NULL", (now, remote_id, item_id))
            if staff_message is not None:  # only while the item and its request exist: a forgotten one stays gone
                await db.execute(
                    "INSERT OR IGNORE INTO staff_messages(ref, chat_id, message_id) SELECT o.ref, ?, ? FROM outbox o "
                    "JOIN requests r ON r.ref = o.ref WHERE o.id = ?", (*staff_message, item_id))

    async def mark_failed(self, item_id: int, now: float, error: str, next_attempt_at: float) -> None:
        async with self._write_turn(), self.transaction() as db:
            await db.execute("UPDATE outbox SET last_error = ?, next_attempt_at = ? WHERE id = ? AND "
                             "delivered_at IS NULL", (error[:MAX_ERROR] or "error", next_attempt_at, item_id))
            await db.execute("UPDATE outbox SET next_attempt_at = ? WHERE delivered_at IS NULL AND next_attempt_at < ? "
                             "AND (channel, target) = (SELECT channel, target FROM outbox WHERE id = ?)",
                             (next_attempt_at, next_attempt_at, item_id))

    async def mark_abandoned(self, item_id: int, now: float, error: str) -> None:
        async with self._write_turn(), self.transaction() as db:
            await db.execute("UPDATE outbox SET delivered_at = ?, last_error = ?, payload = '{}' WHERE id = ? AND "
                             "delivered_at IS NULL", (now, error[:MAX_ERROR] or "error", item_id))

    async def purge_requests(self, now: float, *, closed_days: float = 30, open_days: float = 90) -> Purged:
        finished_before, opened_before = now - closed_days * DAY, now - open_days * DAY
        async with self._write_turn(), self.transaction() as db:
            async with db.execute("SELECT ref FROM requests WHERE status NOT IN ('open', 'taken') AND "
                                  "COALESCE(closed_at, updated_at) < ?", (finished_before,)) as cursor:
                finished = [str(ref) for (ref,) in await cursor.fetchall()]
            await self._delete_requests(finished)
            async with db.execute(f"SELECT ref, created_at FROM requests WHERE status IN {_ACTIVE_SQL} AND "
                                  "created_at < ?", (opened_before,)) as cursor:
                stale = [(str(ref), float(created)) for ref, created in await cursor.fetchall()]
            notices: list[OutboxItem] = []
            for ref, created_at in stale:
                notices += await self._notices(ref, created_at, "expired")
            await self._delete_requests([ref for ref, _ in stale])
            await self._insert_outbox(notices, now)
            await db.execute("DELETE FROM outbox WHERE delivered_at IS NOT NULL AND delivered_at < ? AND (ref IS NULL "
                             "OR ref NOT IN (SELECT ref FROM requests))", (finished_before,))
        return Purged(len(finished), len(stale))
