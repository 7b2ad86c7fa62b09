"""The database says « not now » (locked by another process, disk full, read-only): StoreUnavailable, nothing half
written, and the same store works again once the cause is gone — no reopening."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.engine import Engine, Start, Text
from bot.golden import Clock
from bot.service import Conversations
from bot.store import SQLiteStore, StoreUnavailable
from bot.store._sqlite_errors import unavailable
from tests.auxil.disk import FAULTS, lock_held_by_another_process


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SQLiteStore]:
    store = SQLiteStore(tmp_path / "bot.sqlite3", busy_timeout=0.2)
    await store.open()
    try:
        yield store
    finally:
        await store.close()


def integrity(path: Path) -> str:
    with sqlite3.connect(path) as db:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])


@pytest.mark.parametrize("fault", FAULTS)
async def test_a_refused_step_writes_nothing_and_the_next_one_works(engine: Engine, store: SQLiteStore,
                                                                     tmp_path: Path, fault: str) -> None:
    path = tmp_path / "bot.sqlite3"
    make, reason = FAULTS[fault]
    conversations = Conversations(engine, store, Clock())
    await conversations.handle("chat:1", Start(lang_hint="fr"))
    await conversations.handle("chat:1", Text("je ne sais pas"))
    before = await store.load("chat:1")
    async with make(store):
        assert await store.load("chat:1") == before  # reading still works
        with pytest.raises(StoreUnavailable) as refused:
            await conversations.handle("chat:1", Text("un peu"))
        assert reason in str(refused.value) and str(path) in str(refused.value)
        assert "un peu" not in str(refused.value) and "chat:1" not in str(refused.value)
        assert await store.load("chat:1") == before
    assert integrity(path) == "ok"
    reply = await conversations.handle("chat:1", Text("un peu"))  # the same store, without reopening it
    assert reply.state.answers == {"besoin": "questions", "francais": "un-peu"}
    assert await store.load("chat:1") == reply.state.to_json()
    await store.save_channel_data("chat:1", "{}", 1.0)


async def test_steps_queued_behind_a_lock_give_up_too(engine: Engine, store: SQLiteStore, tmp_path: Path) -> None:
    conversations = Conversations(engine, store, Clock())
    with lock_held_by_another_process(tmp_path / "bot.sqlite3"):
        outcomes = await asyncio.wait_for(asyncio.gather(
            *(conversations.handle(f"chat:{n}", Start(lang_hint="fr")) for n in range(5)), return_exceptions=True),
            timeout=30)
    assert all(isinstance(o, StoreUnavailable) for o in outcomes), outcomes
    assert (await conversations.handle("chat:0", Start(lang_hint="fr"))).state.step == "accueil:besoin"


async def test_a_write_waits_for_the_writes_before_it_no_longer_than_the_busy_timeout(store: SQLiteStore) -> None:
    async with store._writing:  # a write stuck in front of this one (waiting for another program's lock)
        with pytest.raises(StoreUnavailable, match=r"the writes before this one waited more than 0\.2 s"):
            await asyncio.wait_for(store.save("chat:1", "{}", 1.0), timeout=10)
    await store.save("chat:1", "{}", 1.0)


def test_only_the_database_s_not_now_becomes_store_unavailable(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "x.sqlite3") as db:
        db.execute("CREATE TABLE t (x INTEGER PRIMARY KEY)")
        db.execute("INSERT INTO t VALUES (1)")
        errors = []
        for sql in ("INSERT INTO t VALUES (1)", "SELECT nothing FROM t", "PRAGMA query_only = 1",
                    "INSERT INTO t VALUES (2)"):
            try:
                db.execute(sql)
            except sqlite3.Error as error:
                errors.append(error)
    constraint, bad_sql, readonly = errors
    assert unavailable(constraint, "x") is None and unavailable(bad_sql, "x") is None  # bugs stay bugs
    assert unavailable(sqlite3.OperationalError("database is locked"), "x") is None  # no code: not SQLite's
    found = unavailable(readonly, "x.sqlite3")
    assert found is not None
    assert str(found) == ("The database x.sqlite3 cannot be used now: it is read-only (file, folder or disk) "
                          "(SQLite: attempt to write a readonly database, SQLITE_READONLY).")
