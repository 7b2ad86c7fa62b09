"""The SQLite store: migrations, durability, and conversations that survive restarts and crashes."""

from __future__ import annotations

import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bot.engine import Engine, Press, Start, State, Text
from bot.golden import Clock
from bot.service import Conversations
from bot.store import MemoryStore, SQLiteStore
from bot.store.sqlite import MIGRATIONS
from tests.conftest import ROOT


async def test_new_database_is_migrated_and_uses_wal(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "bot.sqlite3")
    await store.open()
    try:
        assert await store.schema_version() == len(MIGRATIONS)
        async with store.db.execute("PRAGMA journal_mode") as cursor:
            assert (await cursor.fetchone())[0] == "wal"
    finally:
        await store.close()


async def test_reopening_keeps_data_and_does_not_migrate_twice(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    store = SQLiteStore(path)
    await store.open()
    await store.save("chat:1", '{"x": 1}', 1.0)
    await store.close()
    store = SQLiteStore(path)
    await store.open()
    try:
        assert await store.load("chat:1") == '{"x": 1}'
        assert await store.schema_version() == len(MIGRATIONS)
    finally:
        await store.close()


async def test_database_from_a_newer_bot_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    sqlite3.connect(path).execute("PRAGMA user_version = 99").connection.close()
    store = SQLiteStore(path)
    with pytest.raises(RuntimeError, match="newer version"):
        await store.open()
    await store.close()


async def test_forget_erases_the_conversation(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "bot.sqlite3")
    await store.open()
    try:
        await store.save("chat:1", "{}", 1.0)
        assert await store.forget("chat:1") is True
        assert await store.load("chat:1") is None
        assert await store.forget("chat:1") is False
    finally:
        await store.close()


async def test_each_step_is_committed_before_the_reply(engine: Engine, tmp_path: Path) -> None:
    """A second connection sees the step as soon as handle() returns: nothing waits in a buffer."""
    path = tmp_path / "bot.sqlite3"
    store = SQLiteStore(path)
    await store.open()
    try:
        conversations = Conversations(engine, store, Clock())
        reply = await conversations.handle("chat:1", Start(lang_hint="fr"))
        ask = reply.outputs[-1]
        reply = await conversations.handle("chat:1", Press(ask.token, "questions"))  # type: ignore[union-attr]
        ask = reply.outputs[-1]
        await conversations.handle("chat:1", Press(ask.token, "un-peu"))  # type: ignore[union-attr]
        raw = sqlite3.connect(path).execute("SELECT state FROM sessions WHERE chat_key='chat:1'").fetchone()[0]
        state = State.from_json(raw)
        assert state is not None and state.step == "accueil:numerique" and state.answers["francais"] == "un-peu"
    finally:
        await store.close()


async def test_conversation_resumes_after_a_restart_of_the_bot(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    store = SQLiteStore(path)
    await store.open()
    first = Conversations(engine, store, Clock())
    await first.handle("chat:1", Start(lang_hint="fr"))
    await first.handle("chat:1", Text("je ne sais pas"))
    await first.handle("chat:1", Text("un peu"))
    await store.close()

    store = SQLiteStore(path)
    await store.open()
    try:
        second = Conversations(engine, store, Clock())
        current = await second.current("chat:1")
        assert current is not None
        assert "téléphone ou un ordinateur" in current.outputs[-1].text  # type: ignore[union-attr]
        reply = await second.handle("chat:1", Text("difficile"))
        assert reply.state.step == "accueil:handicap"
    finally:
        await store.close()


async def test_unreadable_saved_state_starts_over_kindly(engine: Engine) -> None:
    store = MemoryStore()
    store.sessions["chat:1"] = "{not json"
    reply = await Conversations(engine, store, Clock()).handle("chat:1", Text("bonjour"))
    assert reply.state.step.startswith("accueil:")
    assert reply.outputs


async def test_anonymous_counts_have_no_chat_id_and_no_text(engine: Engine, tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "bot.sqlite3")
    await store.open()
    try:
        conversations = Conversations(engine, store, Clock())
        await conversations.handle("chat:42", Start(lang_hint="fr"))
        for text in ["je ne sais pas", "un peu", "facile", "non", "non", "oui", "Sevran", "1"]:
            await conversations.handle("chat:42", Text(text))
        orientations = await store.count_events("orientation")
        assert orientations["ali-sevran"] == 1 and sum(orientations.values()) == 3  # the three places listed
        assert await store.count_events("opened") == {"ali-sevran": 1}
        assert await store.count_events("started") == {"direct": 1}
        dump = "\n".join(sqlite3.connect(tmp_path / "bot.sqlite3").iterdump())
        events = [line for line in dump.splitlines() if line.startswith('INSERT INTO "events"')]
        assert events and not any("42" in line.split("VALUES")[1].split(",", 2)[2] for line in events)
        assert not any("Sevran" in line for line in events)
    finally:
        await store.close()


class _Lines:
    """Read a child's stdout in a thread, so a test can wait for a line with a deadline."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.queue: queue.Queue[str] = queue.Queue()
        self.thread = threading.Thread(target=self._pump, args=(proc,), daemon=True)
        self.thread.start()

    def _pump(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            self.queue.put(line)

    def until(self, needle: str, timeout: float = 30.0) -> str:
        seen = ""
        deadline = time.monotonic() + timeout
        while needle not in seen:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"timed out waiting for {needle!r}; got:\n{seen}"
            try:
                seen += self.queue.get(timeout=remaining)
            except queue.Empty:
                continue
        return seen


def test_chat_killed_mid_conversation_resumes_on_the_same_database(tmp_path: Path) -> None:
    database = tmp_path / "chat.sqlite3"
    command = [sys.executable, "-m", "bot", "chat", "--database", str(database), "--lang", "fr"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    lines = _Lines(proc)
    try:
        lines.until("Que cherchez-vous")
        assert proc.stdin is not None
        proc.stdin.write("7\n")
        proc.stdin.flush()
        lines.until("Vous parlez français")
        proc.stdin.write("2\n")
        proc.stdin.flush()
        lines.until("téléphone ou un ordinateur")
        proc.stdin.write("3\n")
        proc.stdin.flush()
        lines.until("Un handicap")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
        if proc.stdin:
            proc.stdin.close()
        lines.thread.join(timeout=5)
        if proc.stdout:
            proc.stdout.close()
    resumed = subprocess.run(command, cwd=ROOT, input="1\n", capture_output=True, text=True, timeout=60, env=env,
                             check=False)
    assert resumed.returncode == 0, resumed.stderr
    first_screen = resumed.stdout.split("> 1")[0]
    assert "Un handicap" in first_screen and "Vous parlez français" not in first_screen
    assert "créer votre entreprise" in resumed.stdout
