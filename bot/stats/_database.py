"""Reading counts from SQLite and rolling raw events up into daily counts.

Raw events carry a timestamp; past a retention period they are better kept only as daily counts. A rollup moves
them in one transaction: a crash leaves either the raw events or their daily counts, never both, never neither.
Readers take raw events and daily counts in one statement (one snapshot), so a rollup running at the same time
cannot make a figure count twice or vanish.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

import aiosqlite

from ..store import SQLiteStore
from ._counts import Count
from ._time import Window, day_of_hour

Database = SQLiteStore | aiosqlite.Connection

# Raw events are grouped per whole UTC hour in SQL (Paris changes day only on a whole hour), then dated in Python.
_RAW = ("SELECT CAST(at AS INTEGER) / 3600, kind, name, territory, referent, lang, COUNT(*) FROM events "
        "WHERE at < ? GROUP BY 1, 2, 3, 4, 5, 6")
_READ = ("SELECT NULL, CAST(at AS INTEGER) / 3600, kind, name, territory, referent, lang, COUNT(*) FROM events "
         "WHERE at >= ? AND at < ? AND (? IS NULL OR referent = ?) GROUP BY 2, 3, 4, 5, 6, 7 "
         "UNION ALL "
         "SELECT day, NULL, kind, name, NULLIF(territory, ''), NULLIF(referent, ''), NULLIF(lang, ''), n "
         "FROM daily_counts WHERE day >= ? AND day <= ? AND (? IS NULL OR referent = ?)")
_UPSERT = ("INSERT INTO daily_counts(day, kind, name, territory, referent, lang, n) VALUES (?, ?, ?, ?, ?, ?, ?) "
           "ON CONFLICT(day, kind, name, territory, referent, lang) DO UPDATE SET n = n + excluded.n")


def connection(db: Database) -> aiosqlite.Connection:
    return db.db if isinstance(db, SQLiteStore) else db


async def read_counts(db: Database, window: Window, referent: str | None = None) -> list[Count]:
    """Every count of the window, raw and rolled up alike; with a referent, only rows of that code leave SQLite."""
    start, end = window.epoch_bounds
    params = (start, end, referent, referent, window.first.isoformat(), window.last.isoformat(), referent, referent)
    async with connection(db).execute(_READ, params) as cursor:
        rows = await cursor.fetchall()
    counts = []
    for day, hour, kind, name, territory, code, lang, n in rows:
        when = date.fromisoformat(day) if day is not None else day_of_hour(int(hour))
        counts.append(Count(when, str(kind), str(name), territory, code, lang, int(n)))
    return counts


async def has_events(db: Database) -> bool:
    """Has anything ever been counted (raw or rolled up)? Says nothing about any one code or window."""
    sql = "SELECT EXISTS(SELECT 1 FROM events) OR EXISTS(SELECT 1 FROM daily_counts)"
    async with connection(db).execute(sql) as cursor:
        row = await cursor.fetchone()
    return bool(row and row[0])


@dataclass(frozen=True, slots=True)
class Rollup:
    events: int
    """Raw events turned into daily counts (and deleted)."""
    days: int
    """Days whose counts were created or increased."""


async def rollup(db: Database, older_than_epoch: float) -> Rollup:
    """Turn the raw events older than the cutoff into daily counts and delete them, in one transaction.

    Running it twice does nothing the second time (the raw rows are gone); a crash before COMMIT leaves the
    database as it was. A cutoff in the middle of a day is fine: the rest of that day is added to the same daily
    counts by a later rollup. Use a connection that no other task is using for a transaction at the same time
    (e.g. a SQLiteStore opened for this): SQLite serialises writers between connections, not between the tasks
    sharing one.
    """
    conn = connection(db)
    await conn.execute("BEGIN IMMEDIATE")
    try:
        async with conn.execute(_RAW, (older_than_epoch,)) as cursor:
            rows = await cursor.fetchall()
        daily: Counter[tuple[str, str, str, str, str, str]] = Counter()
        for hour, kind, name, territory, referent, lang, n in rows:
            day = day_of_hour(int(hour)).isoformat()
            daily[day, str(kind), str(name), territory or "", referent or "", lang or ""] += int(n)
        await conn.executemany(_UPSERT, [(*key, n) for key, n in sorted(daily.items())])
        cursor = await conn.execute("DELETE FROM events WHERE at < ?", (older_than_epoch,))
        deleted = cursor.rowcount
        await conn.execute("COMMIT")
    except BaseException:
        await conn.execute("ROLLBACK")
        raise
    return Rollup(events=deleted, days=len({key[0] for key in daily}))
