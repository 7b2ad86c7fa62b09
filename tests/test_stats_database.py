"""Statistics in SQLite: migration 3, rollups that never change a figure, crashes mid-way, one referent's rows."""

from __future__ import annotations

import asyncio
import re
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot.engine import Ask, Engine, Press, Start
from bot.golden import Clock
from bot.service import Conversations
from bot.stats import Catalog, Window, as_json, publish, read_counts, rollup, summarize
from bot.store import SQLiteStore
from bot.store.sqlite import MIGRATIONS
from tests.auxil.events import at, demo_events, insert
from tests.conftest import ROOT

NOW = at("2026-06-06", 18)
WINDOW = Window.last_days(60, NOW)


async def opened(path: Path) -> SQLiteStore:
    store = SQLiteStore(path)
    await store.open()
    return store


async def figures(store: SQLiteStore, by: str = "card", per: str = "day", referent: str | None = None) -> object:
    counts = await read_counts(store, WINDOW, referent)
    return as_json(publish(counts, WINDOW, by=by, per=per, referent=referent))  # type: ignore[arg-type]


async def rows(store: SQLiteStore, table: str) -> int:
    async with store.db.execute(f"SELECT COUNT(*) FROM {table}") as cursor:
        row = await cursor.fetchone()
    assert row is not None
    return int(row[0])


async def test_a_database_of_schema_2_gains_daily_counts_and_keeps_its_events(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = sqlite3.connect(path)
    for number, script in enumerate(MIGRATIONS[:2], start=1):
        db.executescript(script)
        db.execute(f"PRAGMA user_version = {number}")
    db.execute("INSERT INTO events(at, kind, name) VALUES (?, 'step', 'accueil:francais')", (NOW,))
    db.commit()
    db.close()
    store = await opened(path)
    try:
        assert await store.schema_version() == len(MIGRATIONS)  # 3 here; another branch's migration may come first
        assert await rows(store, "events") == 1
        assert await rows(store, "daily_counts") == 0
    finally:
        await store.close()


async def test_rollup_moves_old_events_into_daily_counts_and_no_figure_changes(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    await insert(path, demo_events(NOW, days=50, people=150))
    store = await opened(path)
    try:
        before = {(by, per): await figures(store, by, per) for by in ("card", "step", "referent") for per in
                  ("day", "week")}
        raw = await rows(store, "events")
        first = await rollup(store, at("2026-05-20", 15))  # the cutoff falls in the middle of a day
        assert 0 < first.events < raw
        assert await rows(store, "events") == raw - first.events
        assert {key: await figures(store, *key) for key in before} == before
        second = await rollup(store, NOW + 1)  # the rest of that day joins the same daily counts
        assert second.events == raw - first.events
        assert await rows(store, "events") == 0
        assert {key: await figures(store, *key) for key in before} == before
        again = await rollup(store, NOW + 1)
        assert (again.events, again.days) == (0, 0)
        assert {key: await figures(store, *key) for key in before} == before
    finally:
        await store.close()


async def test_events_without_territory_referent_or_language_add_up_in_one_daily_row(tmp_path: Path) -> None:
    """NULLs would be distinct in the primary key: the second rollup would add a duplicate instead of adding up."""
    path = tmp_path / "bot.sqlite3"
    await insert(path, [(at("2026-06-01", 9), "started", "accueil", None, None, None)] * 3)
    store = await opened(path)
    try:
        await rollup(store, at("2026-06-01", 10))
        await insert(path, [(at("2026-06-01", 11), "started", "accueil", None, None, None)] * 2)
        await rollup(store, at("2026-06-01", 12))
        async with store.db.execute("SELECT day, territory, referent, lang, n FROM daily_counts") as cursor:
            assert await cursor.fetchall() == [("2026-06-01", "", "", "", 5)]
        counts = await read_counts(store, WINDOW)
        assert [(c.territory, c.referent, c.lang, c.n) for c in counts] == [(None, None, None, 5)]
    finally:
        await store.close()


async def test_a_rollup_that_fails_half_way_changes_nothing_and_can_run_again(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    await insert(path, demo_events(NOW, days=20, people=40))
    store = await opened(path)
    try:
        before = await figures(store)
        raw = await rows(store, "events")
        await store.db.execute("CREATE TEMP TRIGGER fail_delete BEFORE DELETE ON events "
                               "BEGIN SELECT RAISE(ABORT, 'disk gone'); END")
        with pytest.raises(sqlite3.IntegrityError, match="disk gone"):
            await rollup(store, NOW + 1)  # daily counts are written, then deleting the raw rows fails
        assert (await rows(store, "events"), await rows(store, "daily_counts")) == (raw, 0)
        assert await figures(store) == before
        await store.db.execute("DROP TRIGGER fail_delete")
        assert (await rollup(store, NOW + 1)).events == raw
        assert await figures(store) == before
    finally:
        await store.close()


CRASH = textwrap.dedent("""
    import asyncio, os, sys
    from bot.stats import rollup
    from bot.store import SQLiteStore

    async def main():
        store = SQLiteStore(sys.argv[1])
        await store.open()
        await store.db.create_function("crash", 0, lambda: os._exit(9))
        await store.db.execute("CREATE TEMP TRIGGER crash BEFORE DELETE ON events BEGIN SELECT crash(); END")
        await rollup(store, float(sys.argv[2]))

    asyncio.run(main())
""")


async def test_a_process_killed_in_the_middle_of_a_rollup_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    await insert(path, demo_events(NOW, days=20, people=40))
    store = await opened(path)
    before, raw = await figures(store), await rows(store, "events")
    await store.close()
    result = await asyncio.to_thread(subprocess.run, [sys.executable, "-c", CRASH, str(path), str(NOW + 1)],
                                     cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 9, result.stderr
    store = await opened(path)
    try:
        assert (await rows(store, "events"), await rows(store, "daily_counts")) == (raw, 0)
        assert await figures(store) == before
        assert (await rollup(store, NOW + 1)).events == raw
        assert await figures(store) == before
    finally:
        await store.close()


async def test_a_referent_gets_only_the_rows_of_their_own_code(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    mine = [(at("2026-06-01"), "orientation", "platin", "est-ensemble", "ALI93-07", "fr")] * 7
    theirs = [(at("2026-06-01"), "orientation", "yookan", "plaine-commune", "CCAS-BONDY", "ar")] * 9
    await insert(path, mine + theirs)
    store = await opened(path)
    try:
        await rollup(store, at("2026-06-01", 13))
        await insert(path, [(at("2026-06-02"), "orientation", "platin", None, "ALI93-07", "fr")] * 2
                     + [(at("2026-06-02"), "orientation", "adie", None, "CCAS-BONDY", "fr")] * 8)
        counts = await read_counts(store, WINDOW, "ALI93-07")
        assert {c.referent for c in counts} == {"ALI93-07"}
        assert sum(c.n for c in counts) == 9
        summary = await summarize(store, 30, referent="ALI93-07", by="referent", now=NOW, chart=False)
        text = "\n".join(summary.lines)
        assert "CCAS-BONDY" not in text and "Yookan" not in text
        assert re.search(r"^Lieux montrés +9$", text, re.MULTILINE)
        assert summary.publication is not None
        assert "CCAS-BONDY" not in str(as_json(summary.publication))
    finally:
        await store.close()


async def test_a_code_that_is_not_a_referent_code_is_refused(tmp_path: Path) -> None:
    store = await opened(tmp_path / "bot.sqlite3")
    try:
        with pytest.raises(ValueError, match="not a referent code"):
            await summarize(store, 30, referent="x' OR 1=1 --", now=NOW)
    finally:
        await store.close()


async def test_conversations_through_the_real_store_show_up_in_the_funnel(engine: Engine, tmp_path: Path) -> None:
    """Six people reach the first question; four of them press its first button and reach the next one."""
    store = await opened(tmp_path / "bot.sqlite3")
    try:
        conversations = Conversations(engine, store, Clock(NOW))
        for person in range(6):
            reply = await conversations.handle(f"test:{person}", Start(lang_hint="fr"))
            first, ask = reply.state.step, reply.outputs[-1]
            assert isinstance(ask, Ask)
            if person < 4:
                reply = await conversations.handle(f"test:{person}", Press(ask.token, ask.buttons[0].value))
                second = reply.state.step
        catalog = Catalog.from_content(engine.content)
        summary = await summarize(store, 7, by="step", now=NOW, chart=False, catalog=catalog)
        assert first == catalog.steps[0] and second != first
        assert summary.publication is not None
        reached = {row.key: str(row.total) for row in summary.publication.table("step").rows}
        assert (reached[first], reached[second]) == ("6", "< 5")
        lines = [re.split(r" {2,}", line.strip()) for line in summary.lines]
        assert [catalog.label("step", first), "6", "100 %"] in lines
    finally:
        await store.close()
