"""SQLite's « not now »: another program holds the lock, the disk is full, the database went read-only, the disk
failed. The bot did nothing wrong and the same call can work a moment later, so these become StoreUnavailable,
one sentence for the operator (SQLite's own words and the file, never a row); any other error (a constraint, bad
SQL: a bug) stays what it is.

SQLite says so with the same error codes whatever the cause: a real ENOSPC and ``PRAGMA max_page_count`` both give
SQLITE_FULL, a read-only file or ``PRAGMA query_only`` both give SQLITE_READONLY (the tests use the pragmas).
"""

from __future__ import annotations

import functools
import inspect
import sqlite3
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from .base import StoreUnavailable

C = TypeVar("C", bound=type)
NOT_NOW: dict[int, str] = {
    sqlite3.SQLITE_BUSY: "another program holds its lock",
    sqlite3.SQLITE_LOCKED: "another program holds its lock",
    sqlite3.SQLITE_PROTOCOL: "another program holds its lock",
    sqlite3.SQLITE_FULL: "the disk is full",
    sqlite3.SQLITE_READONLY: "it is read-only (file, folder or disk)",
    sqlite3.SQLITE_IOERR: "the disk failed to read or write",
    sqlite3.SQLITE_CANTOPEN: "its file cannot be opened",
    sqlite3.SQLITE_CORRUPT: "it is damaged (run PRAGMA integrity_check, restore a backup)",
    sqlite3.SQLITE_NOTADB: "it is damaged (run PRAGMA integrity_check, restore a backup)",
}
"""Primary result codes (the low byte of an extended code such as SQLITE_IOERR_WRITE) → what the operator reads."""


def unavailable(error: sqlite3.Error, path: str) -> StoreUnavailable | None:
    """The StoreUnavailable for a « not now » error, None for any other."""
    code = getattr(error, "sqlite_errorcode", None)
    if not isinstance(code, int) or (reason := NOT_NOW.get(code & 0xFF)) is None:
        return None
    name = getattr(error, "sqlite_errorname", "") or str(code)
    return StoreUnavailable(f"The database {path} cannot be used now: {reason} (SQLite: {error}, {name}).")


def guard_methods(cls: C) -> C:
    """Every public coroutine method of ``cls`` raises StoreUnavailable instead of SQLite's « not now » errors."""
    for name, method in list(vars(cls).items()):
        if name.startswith("_") or name == "open" or not inspect.iscoroutinefunction(method):
            continue  # open() turns every error into StoreError itself (the bot does not start)
        setattr(cls, name, _guarded(method))
    return cls


def _guarded(method: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(method)
    async def guarded(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await method(self, *args, **kwargs)
        except sqlite3.Error as error:
            replaced = unavailable(error, str(getattr(self, "path", "")))
            if replaced is None:
                raise
            raise replaced from error

    return guarded
