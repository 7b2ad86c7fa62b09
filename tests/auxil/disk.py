"""The database in trouble, for tests: another program holding its lock, a full disk, a read-only database.

SQLite reports each with one error code whatever its cause, and the bot only sees that code, so these produce the
very code a real cause would: SQLITE_BUSY from a real second process, SQLITE_FULL from ``max_page_count`` (a real
ENOSPC gives the same), SQLITE_READONLY from ``query_only`` (a file SQLite could only open read-only gives the
same). Mounting a small filesystem would need root, which CI does not have.
"""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path

from bot.store import SQLiteStore

_HOLD = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
db.execute("ROLLBACK")
"""
MAX_PAGES = 1_073_741_823
"""SQLite's default max_page_count."""
FILLER_ROWS = 100_000
"""A bound on the rows it takes to fill the free space (a test database needs a few hundred)."""


@contextlib.contextmanager
def lock_held_by_another_process(database: Path) -> Iterator[None]:
    """Another process holds ``BEGIN EXCLUSIVE`` on the database until the block ends (in WAL mode the bot can still
    read; any write waits for the lock, then fails)."""
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(database)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdin is not None and holder.stdout is not None
    try:
        assert holder.stdout.readline().strip() == "locked"  # returns '' if the holder died: the test fails
        yield
    finally:
        holder.stdin.close()
        try:
            holder.wait(timeout=10)
        except subprocess.TimeoutExpired:
            holder.kill()
            holder.wait(timeout=10)
        holder.stdout.close()


async def _pragma(store: SQLiteStore, pragma: str) -> None:
    async with store.db.execute(f"PRAGMA {pragma}") as cursor:
        await cursor.fetchall()


@contextlib.asynccontextmanager
async def disk_full(store: SQLiteStore) -> AsyncIterator[None]:
    """No page more for the store's connection, and no room left in the pages a step appends to, until the block
    ends (then the disk « comes back »: the limit is lifted, nothing is deleted).

    The database may not grow (``max_page_count`` = its size); then tiny rows fill its free pages and the last page
    of ``events`` and of its index, where every step that reaches a new question writes a count. A write fails
    with SQLITE_FULL when it needs a page more, exactly as on a full disk. SQLite rolls back a transaction that
    hit SQLITE_FULL, so the rows go in batches that halve until not even one fits."""
    async with store._writing:  # the bot is idle; nothing else writes on its connection meanwhile
        async with store.db.execute("PRAGMA page_count") as cursor:
            row = await cursor.fetchone()
        assert row is not None
        await _pragma(store, f"max_page_count = {int(row[0])}")
        now, batch, written = time.time(), 256, 0
        while batch and written < FILLER_ROWS:
            try:
                await store.db.execute("BEGIN IMMEDIATE")
                await store.db.executemany("INSERT INTO events(at, kind, name) VALUES (?, 'test-filler', '')",
                                           [(now,)] * batch)
                await store.db.execute("COMMIT")
                written += batch
            except sqlite3.OperationalError as error:
                assert error.sqlite_errorcode == sqlite3.SQLITE_FULL, error
                if store.db.in_transaction:
                    await store.db.execute("ROLLBACK")
                batch //= 2
        assert not batch, "the database never filled up"
    try:
        yield
    finally:
        await _pragma(store, f"max_page_count = {MAX_PAGES}")


@contextlib.asynccontextmanager
async def read_only(store: SQLiteStore) -> AsyncIterator[None]:
    """The store's connection may read but not write until the block ends."""
    await _pragma(store, "query_only = 1")
    try:
        yield
    finally:
        await _pragma(store, "query_only = 0")


@contextlib.asynccontextmanager
async def locked(store: SQLiteStore) -> AsyncIterator[None]:
    """``lock_held_by_another_process`` on the store's file."""
    with lock_held_by_another_process(Path(store.path)):
        yield


FAULTS: dict[str, tuple[Callable[[SQLiteStore], AbstractAsyncContextManager[None]], str]] = {
    "disk full": (disk_full, "the disk is full"),
    "read-only": (read_only, "it is read-only"),
    "locked": (locked, "another program holds its lock"),
}
"""Each fault, and the words of StoreUnavailable that name it."""
