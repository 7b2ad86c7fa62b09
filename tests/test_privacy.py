"""Privacy by design: the health answer picks the places, then leaves the conversation, the events and the bytes
of the database; retention deletes what is kept too long; /oubli and `forget` leave no row and no byte about the
person. The people and numbers here are INVENTED test data.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.content import Content
from bot.content.routing import with_staff_chat
from bot.engine import Ask, Engine, Press, SharedContact, Start, StartPayload, State, Text
from bot.i18n import Translations
from bot.retention import RetentionPolicy, apply_retention
from bot.service import Conversations, Profile
from bot.store import SQLiteStore
from bot.store.base import DAY
from tests.auxil.botapi import BotApiEmulator
from tests.auxil.contact import TEST_GROUP
from tests.auxil.telegram import running_bot

CHAT = "telegram:987654321"
NOW = 1_796_202_000.0


class Person:
    def __init__(self, conversations: Conversations) -> None:
        self.conversations = conversations
        self.asked: Ask | None = None
        self.state: State | None = None

    async def send(self, event: object) -> None:
        reply = await self.conversations.handle(CHAT, event, Profile("Zénobie"))  # type: ignore[arg-type]
        self.state = reply.state
        asks = [o for o in reply.outputs if isinstance(o, Ask)]
        self.asked = asks[-1] if asks else self.asked

    async def press(self, value: str) -> None:
        assert self.asked is not None and value in [b.value for b in (*self.asked.buttons, *self.asked.nav)], (
            value, self.asked)
        await self.send(Press(self.asked.token, value))


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SQLiteStore]:
    made = SQLiteStore(tmp_path / "bot.sqlite3")
    await made.open()
    yield made
    await made.close()


def file_bytes(store: SQLiteStore) -> bytes:
    """Everything SQLite has on disk for this database: the file and its write-ahead log."""
    path = Path(store.path)
    return b"".join(p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists())


def conversations(content: Content, translations: Translations, store: SQLiteStore, clock: list[float],
                  staff_chat: int | None = None) -> Conversations:
    engine = Engine(content, translations, routing=with_staff_chat(content.routing, staff_chat))
    return Conversations(engine, store, lambda: clock[0])


async def questionnaire_to_the_handicap_answer(person: Person) -> None:
    await person.send(Start(lang_hint="fr"))
    await person.press("questions")
    for value in ("bien", "facile", "facile", "oui"):  # French, reading, phones; « a disability hinders me »
        await person.press(value)


async def test_the_health_answer_picks_the_places_then_leaves_the_state_and_the_database_bytes(
        content: Content, translations: Translations, store: SQLiteStore) -> None:
    person = Person(conversations(content, translations, store, [NOW]))
    await questionnaire_to_the_handicap_answer(person)
    assert b'"handicap":"oui"' in file_bytes(store)  # kept while it may still change the places
    for value in ("non", "oui"):  # a business idea? a referent?
        await person.press(value)
    await person.send(Text("Bondy"))
    state = person.state
    assert state is not None and state.step == "accueil:resultat"
    cards = [entry.partition("|")[0] for entry in state.places]
    assert "mdaa" in cards  # the answer chose the health places…
    assert "handicap" not in state.answers  # … and is gone: from the answers, from « back », from the disk
    assert all("handicap" not in entry.answers for entry in state.history)
    stored = file_bytes(store)
    assert b'"handicap":"oui"' not in stored and b'"handicap": "oui"' not in stored
    assert b'"handicap":' not in stored
    with sqlite3.connect(store.path) as db:
        rows = db.execute("SELECT territory, referent, lang FROM events WHERE kind = 'orientation' AND "
                          "name IN ('mdaa', 'handiforum')").fetchall()
        others = db.execute("SELECT territory FROM events WHERE kind = 'orientation' AND name NOT IN "
                            "('mdaa', 'handiforum')").fetchall()
    assert rows and all(row == (None, None, None) for row in rows)  # counted alone: nobody can be picked out
    assert others and all(row == ("est-ensemble",) for row in others)


async def test_a_health_theme_and_the_quick_health_need_leave_no_trace_after_the_list(
        content: Content, translations: Translations, store: SQLiteStore) -> None:
    person = Person(conversations(content, translations, store, [NOW]))
    await person.send(Start(StartPayload(referent="ref-test", theme="handicap"), lang_hint="fr"))
    await person.send(Text("Montreuil"))
    state = person.state
    assert state is not None and state.step == "accueil:resultat" and "mdaa" in state.places[0]
    assert state.theme is None and "besoin" not in state.answers and "theme" not in state.answers
    assert b"sante" not in file_bytes(store) and b'"theme":"handicap"' not in file_bytes(store)
    with sqlite3.connect(store.path) as db:
        (started,) = db.execute("SELECT name, referent, lang FROM events WHERE kind = 'started'").fetchall()
    assert started == ("handicap", None, None)


async def ask_to_be_called(person: Person, need: str, town: str) -> None:
    """The quick way in, the list, then a request with the shared number, to be called in the morning."""
    await person.send(Start(lang_hint="fr"))
    await person.press(need)
    await person.send(Text(town))
    await person.press("!request")
    await person.press("!send")
    await person.send(SharedContact("+33612345678", own=True))
    await person.press("!matin")


async def test_a_request_carries_the_health_answer_only_when_the_person_says_it_again(
        content: Content, translations: Translations, store: SQLiteStore) -> None:
    person = Person(conversations(content, translations, store, [NOW], staff_chat=TEST_GROUP))
    await ask_to_be_called(person, "sante", "Montreuil")
    row = await store.open_request(CHAT)
    assert row is not None and '"health":null' in row.payload and "Santé" not in row.payload


async def test_forget_leaves_no_row_and_no_byte_about_the_person(
        content: Content, translations: Translations, store: SQLiteStore) -> None:
    person = Person(conversations(content, translations, store, [NOW], staff_chat=TEST_GROUP))
    await ask_to_be_called(person, "referent", "Clichy-sous-Bois")
    await store.save_channel_data(CHAT, '{"format":1,"question":null,"answered_id":null}', NOW)
    for item in await store.due_outbox(NOW):  # the team got it (as the sender does): message 77 of its group
        assert await store.start_attempt(item.id, NOW)
        await store.mark_delivered(item.id, NOW, "77", (TEST_GROUP, 77))
    needles = ("987654321", "Zénobie", "612345678")
    assert all(n.encode() in file_bytes(store) for n in needles)

    assert await person.conversations.forget(CHAT)
    with sqlite3.connect(store.path) as db:
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        assert {"sessions", "channel_data", "requests", "outbox", "staff_messages", "events"} <= set(tables)
        for table in tables:
            for row in db.execute(f"SELECT * FROM {table}"):  # table names from sqlite_master
                cells = " ".join(str(cell) for cell in row)
                assert not any(n in cells for n in needles), (table, row)
        withdrawn = db.execute("SELECT kind, chat_key FROM outbox").fetchall()
    assert withdrawn == [("withdrawn", None)]  # staff are told, with the reference only
    stored = file_bytes(store)
    assert not any(n.encode() in stored for n in needles)


async def test_retention_deletes_idle_conversations_and_rolls_raw_events_up(
        content: Content, translations: Translations, store: SQLiteStore) -> None:
    clock = [NOW]
    person = Person(conversations(content, translations, store, clock))
    await person.send(Start(lang_hint="fr"))
    await person.press("numerique")
    await person.send(Text("Bondy"))
    with sqlite3.connect(store.path) as db:
        raw = db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    policy = RetentionPolicy(session_days=30, event_days=7)
    kept = await apply_retention(store, policy, NOW + 29 * DAY)
    assert kept.sessions == 0 and await store.load(CHAT) is not None and kept.events == raw
    gone = await apply_retention(store, policy, NOW + 31 * DAY)
    assert gone.sessions == 1 and await store.load(CHAT) is None
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT COUNT(*) FROM events").fetchone() == (0,)
        assert db.execute("SELECT SUM(n) FROM daily_counts").fetchone() == (raw,)  # the figures stay
        assert db.execute("SELECT COUNT(*) FROM channel_data").fetchone() == (0,)


def test_purge_and_forget_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    database = tmp_path / "bot.sqlite3"
    assert main(["purge", "--database", str(database)]) == 0  # a new database: made, nothing to delete
    with sqlite3.connect(database) as db:
        db.execute("INSERT INTO sessions(chat_key, state, updated_at) VALUES ('telegram:1', '{}', 0)")
        db.execute("INSERT INTO sessions(chat_key, state, updated_at) VALUES ('telegram:987654321', '{}', "
                   "strftime('%s','now'))")
    capsys.readouterr()
    assert main(["purge", "--database", str(database)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1 conversation(s) idle too long deleted") and "30 days after their last message" in out
    assert main(["forget", "987654321", "--database", str(database)]) == 0
    assert "Everything about this person was erased." in capsys.readouterr().out
    assert main(["forget", "987654321", "--database", str(database)]) == 0
    assert "Nothing was kept about this person." in capsys.readouterr().out
    assert main(["forget", "Zénobie", "--database", str(database)]) == 2
    assert "is not a chat" in capsys.readouterr().err
    monkeypatch.setenv("BOT_SESSION_RETENTION_DAYS", "jamais")
    assert main(["purge", "--database", str(database)]) == 2
    assert "BOT_SESSION_RETENTION_DAYS must be a number of days" in capsys.readouterr().err
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT chat_key FROM sessions").fetchall() == []


async def test_the_running_bot_applies_the_retention_by_itself(api: BotApiEmulator, tmp_path: Path,
                                                               content: Content, translations: Translations) -> None:
    database = tmp_path / "bot.sqlite3"
    old = SQLiteStore(database)
    await old.open()
    await old.save("telegram:1", '{"step": "accueil:besoin"}', NOW - 40 * DAY)  # idle for 40 days
    await old.save_channel_data("telegram:1", '{"format":1}', NOW - 40 * DAY)
    await old.close()

    def kept() -> list[tuple[str]]:
        with sqlite3.connect(database) as db:
            return db.execute("SELECT chat_key FROM sessions UNION ALL SELECT chat_key FROM channel_data").fetchall()

    assert kept()
    async with running_bot(api, database, content, translations):
        await api.wait_for(lambda: not kept(), what="the idle conversation deleted at start")
