"""SQLite store (aiosqlite): WAL, synchronous=FULL, versioned schema with migrations.

Each save is one committed transaction before the reply is sent, so a crash after a reply never loses the
step that produced it.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from collections.abc import AsyncIterator, Iterable
from pathlib import Path

import aiosqlite

from ._sqlite_errors import guard_methods
from ._sqlite_requests import SQLiteRequests
from .base import OutboxItem, RequestRow, StatEvent, StoreError, StoreUnavailable

MIGRATIONS: tuple[str, ...] = (
    # 1: sessions and anonymous events
    """
    CREATE TABLE sessions (
        chat_key   TEXT PRIMARY KEY,
        state      TEXT NOT NULL,
        updated_at REAL NOT NULL
    );
    CREATE INDEX sessions_updated ON sessions(updated_at);
    CREATE TABLE events (
        id        INTEGER PRIMARY KEY,
        at        REAL NOT NULL,
        kind      TEXT NOT NULL,
        name      TEXT NOT NULL,
        territory TEXT,
        referent  TEXT,
        lang      TEXT
    );
    """,
    # 2: what a channel keeps about a chat beside the conversation (Telegram: the question message and its buttons)
    """
    CREATE TABLE channel_data (
        chat_key   TEXT PRIMARY KEY,
        data       TEXT NOT NULL,
        updated_at REAL NOT NULL
    );
    """,
    # 3: daily counts that raw events are rolled up into (bot/stats), and the time index rollups and windows use.
    # A missing territory, referent or language is '' here, never NULL: SQLite lets NULL into a composite
    # PRIMARY KEY and treats NULLs as distinct, so the upsert that adds a day's count would insert duplicates
    # instead. '' is never a real value (EPT ids, referent codes and language codes are never empty).
    """
    CREATE TABLE daily_counts (
        day       TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        kind      TEXT NOT NULL,
        name      TEXT NOT NULL,
        territory TEXT NOT NULL DEFAULT '',
        referent  TEXT NOT NULL DEFAULT '',
        lang      TEXT NOT NULL DEFAULT '',
        n         INTEGER NOT NULL CHECK (n > 0),
        PRIMARY KEY (day, kind, name, territory, referent, lang)
    ) WITHOUT ROWID;
    CREATE INDEX events_at ON events(at);
    """,
    # 4: requests to be contacted, their outbox (written with the step that causes them, delivered by the
    # sender), and the messages of staff chats that belong to a request. No semicolon inside: split on them.
    """
    CREATE TABLE requests (
        ref         TEXT PRIMARY KEY,
        chat_key    TEXT NOT NULL,
        destination TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('open', 'taken', 'closed', 'cancelled', 'withdrawn', 'expired')),
        payload     TEXT NOT NULL CHECK (json_valid(payload)),
        created_at  REAL NOT NULL,
        updated_at  REAL NOT NULL,
        taken_by    TEXT,
        closed_at   REAL
    );
    CREATE INDEX requests_chat ON requests(chat_key);
    CREATE UNIQUE INDEX requests_one_active ON requests(chat_key) WHERE status IN ('open', 'taken');
    CREATE TABLE outbox (
        id              INTEGER PRIMARY KEY,
        key             TEXT NOT NULL UNIQUE,
        ref             TEXT,
        chat_key        TEXT,
        channel         TEXT NOT NULL CHECK (channel IN ('telegram', 'email', 'person')),
        target          TEXT NOT NULL,
        kind            TEXT NOT NULL CHECK (kind IN ('new', 'taken', 'closed', 'cancelled', 'withdrawn', 'expired',
                                                      'relay', 'admin')),
        payload         TEXT NOT NULL CHECK (json_valid(payload)),
        created_at      REAL NOT NULL,
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at REAL NOT NULL,
        delivered_at    REAL,
        remote_id       TEXT,
        last_error      TEXT
    );
    CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE delivered_at IS NULL;
    CREATE INDEX outbox_ref ON outbox(ref);
    CREATE INDEX outbox_chat ON outbox(chat_key);
    CREATE TABLE staff_messages (
        ref        TEXT NOT NULL,
        chat_id    INTEGER NOT NULL,
        message_id INTEGER NOT NULL,
        PRIMARY KEY (chat_id, message_id)
    );
    CREATE INDEX staff_messages_ref ON staff_messages(ref);
    """,
)


BUSY_TIMEOUT = 5.0
"""Long enough for a rollup of months of raw events by `python -m bot stats`; short for someone waiting."""


@guard_methods
class SQLiteStore(SQLiteRequests):
    def __init__(self, path: str | Path, *, busy_timeout: float = BUSY_TIMEOUT) -> None:
        self.path = str(path)
        self.busy_timeout = busy_timeout
        """Seconds a write waits for another program's lock (a stats rollup, a backup) before the person is told
        to try again (StoreUnavailable)."""
        self._db: aiosqlite.Connection | None = None
        self._writing = asyncio.Lock()
        """One connection serves every chat: transactions of different chats must not interleave on it."""
        self._checkpoint_due = False
        """A checkpoint was asked for but could not run yet (see checkpoint())."""

    @property
    def db(self) -> aiosqlite.Connection:
        if self._db is None:
            raise RuntimeError("the store is not open")
        return self._db

    async def open(self) -> None:
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self._db = await aiosqlite.connect(self.path, isolation_level=None)
            await self.db.execute("PRAGMA journal_mode=WAL")
            await self.db.execute("PRAGMA synchronous=FULL")
            await self.db.execute(f"PRAGMA busy_timeout={round(self.busy_timeout * 1000)}")
            await self.db.execute("PRAGMA secure_delete=ON")  # what is deleted is overwritten, not left in free pages
            await self._migrate()
        except (sqlite3.Error, OSError, StoreError) as exc:
            await self.close()  # never leave the connection thread behind: the process could not exit
            if isinstance(exc, StoreError):
                raise
            raise StoreError(f"Cannot use the database {self.path} ({exc}): check the path and its permissions, "
                             "or choose another file with --database or BOT_DATABASE.") from None

    async def _migrate(self) -> None:
        async with self.db.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        version = int(row[0]) if row else 0
        if version > len(MIGRATIONS):
            raise StoreError(f"The database {self.path} was made by a newer version of the bot "
                             f"(schema {version}, this bot knows {len(MIGRATIONS)}): update the bot.")
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            await self.db.execute("BEGIN IMMEDIATE")
            try:
                for statement in filter(str.strip, script.split(";")):
                    await self.db.execute(statement)
                await self.db.execute(f"PRAGMA user_version = {number}")
                await self.db.execute("COMMIT")
            except BaseException:
                await self.db.execute("ROLLBACK")
                raise

    async def schema_version(self) -> int:
        async with self.db.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def close(self) -> None:
        if self._db is not None:
            await self._db.close()
            self._db = None

    async def load(self, chat_key: str) -> str | None:
        async with self.db.execute("SELECT state FROM sessions WHERE chat_key = ?", (chat_key,)) as cursor:
            row = await cursor.fetchone()
        return str(row[0]) if row else None

    async def save(self, chat_key: str, state_json: str, now: float, events: list[StatEvent] | None = None,
                   requests: Iterable[RequestRow] = (), outbox: Iterable[OutboxItem] = ()) -> None:
        async with self._write_turn(), self.transaction() as db:
            await db.execute(
                "INSERT INTO sessions(chat_key, state, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(chat_key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
                (chat_key, state_json, now))
            if events:
                await db.executemany(
                    "INSERT INTO events(at, kind, name, territory, referent, lang) VALUES (?, ?, ?, ?, ?, ?)",
                    [(now, e.kind, e.name, e.territory, e.referent, e.lang) for e in events])
            await self._write_requests(chat_key, requests)
            await self._insert_outbox(outbox, now)
        if self._checkpoint_due:  # one asked for earlier could not run then
            await self.checkpoint()

    async def forget(self, chat_key: str, now: float | None = None) -> bool:
        async with self._write_turn(), self.transaction() as db:
            cursor = await db.execute("DELETE FROM sessions WHERE chat_key = ?", (chat_key,))
            found = cursor.rowcount > 0
            await db.execute("DELETE FROM channel_data WHERE chat_key = ?", (chat_key,))
            await self._forget_requests(chat_key, time.time() if now is None else now)
        await self.checkpoint()
        return found

    async def purge_sessions(self, idle_before: float) -> int:
        async with self._write_turn(), self.transaction() as db:
            cursor = await db.execute("DELETE FROM sessions WHERE updated_at < ?", (idle_before,))
            deleted = cursor.rowcount
            await db.execute("DELETE FROM channel_data WHERE chat_key NOT IN (SELECT chat_key FROM sessions)")
        return deleted

    async def checkpoint(self) -> None:
        """Copy the WAL into the database file and empty it, so that the bytes of deleted rows leave the disk
        (with secure_delete they are zeroed in the database file). A read of another chat in progress on the
        connection makes SQLite refuse it for now (or another program's lock): it is then done after the next
        write. It never fails the caller: what was deleted is deleted already."""
        try:
            async with self._write_turn():
                await self._checkpoint()
        except StoreUnavailable:
            self._checkpoint_due = True

    async def _checkpoint(self) -> None:
        try:
            async with self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor:
                busy = await cursor.fetchone()
            self._checkpoint_due = bool(busy and busy[0])
        except sqlite3.OperationalError:
            self._checkpoint_due = True

    @contextlib.asynccontextmanager
    async def writing(self) -> AsyncIterator[aiosqlite.Connection]:
        """The connection, for a job that runs its own transaction (bot/retention: the statistics rollup)."""
        async with self._write_turn():
            yield self.db

    async def load_channel_data(self, chat_key: str) -> str | None:
        async with self.db.execute("SELECT data FROM channel_data WHERE chat_key = ?", (chat_key,)) as cursor:
            row = await cursor.fetchone()
        return str(row[0]) if row else None

    async def save_channel_data(self, chat_key: str, data: str, now: float) -> None:
        async with self._write_turn():
            await self.db.execute(
                "INSERT INTO channel_data(chat_key, data, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(chat_key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
                (chat_key, data, now))

    async def count_events(self, kind: str) -> dict[str, int]:
        async with self.db.execute("SELECT name, COUNT(*) FROM events WHERE kind = ? GROUP BY name", (kind,)) as cur:
            return {str(name): int(n) for name, n in await cur.fetchall()}
