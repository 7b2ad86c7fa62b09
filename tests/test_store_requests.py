"""Requests, outbox and staff messages in the store: SQLite and its in-memory twin behave the same."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.contact import RequestRecord, status_items, submission
from bot.store import MemoryStore, OutboxItem, RequestConflict, SQLiteStore, Store
from bot.store.base import DAY
from bot.store.sqlite import MIGRATIONS
from tests.auxil.contact import ALI_TEST, CREATED, TEST_GROUP, a_request

CHAT = "telegram:424242"
OTHER = "telegram:515151"


@pytest.fixture(params=["sqlite", "memory"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    made: Store = SQLiteStore(tmp_path / "bot.sqlite3") if request.param == "sqlite" else MemoryStore()
    await made.open()
    yield made
    await made.close()


async def submit(store: Store, ref: str = "R-7K3Q", chat_key: str = CHAT, now: float = CREATED) -> RequestRecord:
    sent = submission(a_request(ref, chat_key, created_at=now), ALI_TEST)
    await store.save(chat_key, '{"step": "confirmed"}', now, [], [sent.row], sent.outbox)
    return sent.record


async def deliver_all(store: Store, now: float) -> list[OutboxItem]:
    """What a sender would do, without one: every due item delivered (Telegram ids 1, 2, …)."""
    done = []
    for number, item in enumerate(await store.due_outbox(now, 100), start=1):
        assert await store.start_attempt(item.id, now)
        staff = (int(item.target), number) if item.channel == "telegram" and item.ref else None
        await store.mark_delivered(item.id, now, str(number), staff)
        done.append(item)
    return done


async def test_the_request_and_its_outbox_are_saved_with_the_step(store: Store) -> None:
    record = await submit(store)
    assert await store.load(CHAT) == '{"step": "confirmed"}'
    row = await store.open_request(CHAT)
    assert row is not None and RequestRecord.from_row(row) == record
    due = await store.due_outbox(CREATED)
    assert [(i.kind, i.channel, i.target) for i in due] == [("new", "telegram", str(TEST_GROUP)),
                                                            ("new", "email", "ali-test@example.org")]
    assert all(i.chat_key == CHAT and i.ref == "R-7K3Q" for i in due)


async def test_a_delivered_item_keeps_its_key_not_what_it_said(store: Store) -> None:
    await submit(store)
    (item, *_) = await deliver_all(store, CREATED)
    await submit(store)  # the same step again: the key is still there, nothing goes twice
    assert await store.due_outbox(CREATED) == []
    kept = await store.outbox_item(item.id)
    assert kept is not None and kept.payload == "{}" and kept.remote_id == "1" and kept.delivered_at == CREATED


async def test_the_same_outbox_key_written_twice_is_one_item(store: Store) -> None:
    await submit(store)
    await submit(store)  # the step handled twice (a retried update)
    assert len(await store.due_outbox(CREATED)) == 2


async def test_a_second_open_request_writes_nothing_not_even_the_step(store: Store) -> None:
    await submit(store)
    with pytest.raises(RequestConflict):
        sent = submission(a_request("R-8L4R"), ALI_TEST)
        await store.save(CHAT, '{"step": "second"}', CREATED + 1, [], [sent.row], sent.outbox)
    assert await store.load(CHAT) == '{"step": "confirmed"}'
    assert not await store.reference_in_use("R-8L4R")


async def test_a_reference_of_another_chat_is_never_overwritten(store: Store) -> None:
    await submit(store)
    with pytest.raises(RequestConflict):
        await submit(store, chat_key=OTHER)
    row = await store.request("R-7K3Q")
    assert row is not None and row.chat_key == CHAT
    assert await store.load(OTHER) is None


async def test_references_in_use_are_those_of_requests_and_queued_notices(store: Store) -> None:
    await submit(store)
    assert await store.reference_in_use("R-7K3Q")
    await deliver_all(store, CREATED)
    await store.forget(CHAT, CREATED + 10)  # the request is gone; its withdrawal notice still names it
    assert await store.request("R-7K3Q") is None
    assert await store.reference_in_use("R-7K3Q")
    assert not await store.reference_in_use("R-2222")


async def test_a_notice_waits_for_the_message_it_edits(store: Store) -> None:
    record = await submit(store)
    taken = record.changed("taken", CREATED + 60, "Fatima B.")
    assert await store.update_request(record.ref, CREATED + 60, "taken", expect={"open"}, taken_by="Fatima B.",
                                      outbox=status_items(taken))
    due = await store.due_outbox(CREATED + 60)
    # the two requests first; the 'taken' edits wait; the person's notice has its own thread
    assert [(i.kind, i.channel) for i in due] == [("new", "telegram"), ("new", "email"), ("taken", "person")]
    await deliver_all(store, CREATED + 61)
    assert [(i.kind, i.channel) for i in await store.due_outbox(CREATED + 61)] == [("taken", "telegram"),
                                                                                 ("taken", "email")]


async def test_a_destination_that_failed_waits_with_all_its_items(store: Store) -> None:
    await submit(store)
    await submit(store, "R-9M5S", OTHER)
    first = (await store.due_outbox(CREATED))[0]
    assert await store.start_attempt(first.id, CREATED)
    await store.mark_failed(first.id, CREATED, "test: down", CREATED + 30)
    assert [(i.ref, i.channel) for i in await store.due_outbox(CREATED)] == [("R-7K3Q", "email"),
                                                                            ("R-9M5S", "email")]
    assert len(await store.due_outbox(CREATED + 30)) == 4


async def test_only_the_expected_status_changes(store: Store) -> None:
    record = await submit(store)
    first = await store.update_request(record.ref, CREATED + 5, "taken", expect={"open"}, taken_by="Fatima B.")
    second = await store.update_request(record.ref, CREATED + 6, "taken", expect={"open"}, taken_by="Karim D.",
                                        outbox=status_items(record.changed("taken", CREATED + 6, "Karim D.")))
    assert first is not None and first.taken_by == "Fatima B." and second is None
    row = await store.request(record.ref)
    assert row is not None and row.taken_by == "Fatima B."
    assert len(await store.due_outbox(CREATED + 6)) == 2  # Karim's notices were not written


async def test_staff_messages_lead_back_to_their_request(store: Store) -> None:
    await submit(store)
    await deliver_all(store, CREATED)
    await store.record_staff_message("R-7K3Q", TEST_GROUP, 77)  # a relayed message of the thread
    found = await store.request_by_staff_message(TEST_GROUP, 77)
    assert found is not None and found.ref == "R-7K3Q"
    assert await store.staff_messages("R-7K3Q") == [(TEST_GROUP, 1), (TEST_GROUP, 77)]
    assert await store.request_by_staff_message(TEST_GROUP, 78) is None


async def test_a_failed_send_is_kept_for_later_and_counted(store: Store) -> None:
    await submit(store)
    item = (await store.due_outbox(CREATED))[0]
    assert await store.start_attempt(item.id, CREATED)
    await store.mark_failed(item.id, CREATED, "test: down", CREATED + 30)
    assert [i.channel for i in await store.due_outbox(CREATED + 29)] == ["email"]
    again = next(i for i in await store.due_outbox(CREATED + 30) if i.id == item.id)
    assert again.attempts == 1 and again.last_error == "test: down" and not again.interrupted
    assert await store.pending_counts() == {("telegram", str(TEST_GROUP)): 1, ("email", "ali-test@example.org"): 1}
    assert await store.next_attempt_at() == CREATED


async def test_a_send_cut_short_is_marked_interrupted(store: Store) -> None:
    await submit(store)
    item = (await store.due_outbox(CREATED))[0]
    assert await store.start_attempt(item.id, CREATED)  # … and the bot is killed here
    again = (await store.due_outbox(CREATED))[0]
    assert again.id == item.id and again.interrupted


async def test_an_item_to_a_person_who_blocked_the_bot_is_abandoned(store: Store) -> None:
    record = await submit(store)
    await deliver_all(store, CREATED)
    await store.update_request(record.ref, CREATED + 5, "taken", expect={"open"}, taken_by="Fatima B.",
                               outbox=status_items(record.changed("taken", CREATED + 5, "Fatima B.")))
    person = next(i for i in await store.due_outbox(CREATED + 5) if i.channel == "person")
    await store.mark_abandoned(person.id, CREATED + 6, "blocked")
    assert all(i.channel != "person" for i in await store.due_outbox(CREATED + 6))


async def test_a_closed_request_is_gone_after_30_days(store: Store) -> None:
    record = await submit(store)
    await deliver_all(store, CREATED)
    await store.update_request(record.ref, CREATED + DAY, "closed", expect={"open", "taken"})
    assert (await store.purge_requests(CREATED + 30 * DAY)).deleted == 0  # 29 days after closing: kept
    assert await store.request(record.ref) is not None
    purged = await store.purge_requests(CREATED + 31 * DAY + 1)
    assert purged.deleted == 1 and purged.expired == 0
    assert await store.request(record.ref) is None
    assert await store.staff_messages(record.ref) == []
    assert not await store.reference_in_use(record.ref)  # its delivered outbox items went with it


async def test_an_open_request_expires_after_90_days_with_a_notice_to_staff(store: Store) -> None:
    record = await submit(store)
    await deliver_all(store, CREATED)
    assert (await store.purge_requests(CREATED + 89 * DAY)).expired == 0
    purged = await store.purge_requests(CREATED + 91 * DAY)
    assert purged.expired == 1
    assert await store.request(record.ref) is None and await store.open_request(CHAT) is None
    notices = await store.due_outbox(CREATED + 91 * DAY)
    assert [(n.kind, n.channel) for n in notices] == [("expired", "telegram"), ("expired", "email")]
    assert all(n.chat_key is None for n in notices)
    payload = json.loads(notices[0].payload)
    assert payload == {"ref": record.ref, "created_at": CREATED, "staff_messages": [1], "was": None}


async def test_retention_days_are_settings(store: Store) -> None:
    record = await submit(store)
    await store.update_request(record.ref, CREATED, "cancelled", expect={"open"})
    assert (await store.purge_requests(CREATED + 8 * DAY, closed_days=7)).deleted == 1


async def test_forget_withdraws_an_open_request_and_tells_only_staff_who_got_it(store: Store) -> None:
    record = await submit(store)
    await deliver_all(store, CREATED)
    await submit(store, "R-9M5S", OTHER)  # someone else's request stays
    assert await store.forget(CHAT, CREATED + 100)
    assert await store.request(record.ref) is None and await store.request("R-9M5S") is not None
    withdrawn = [i for i in await store.due_outbox(CREATED + 100) if i.kind == "withdrawn"]
    assert [(i.channel, i.chat_key) for i in withdrawn] == [("telegram", None), ("email", None)]
    assert json.loads(withdrawn[0].payload)["staff_messages"] == [1]


async def test_forget_before_delivery_sends_nothing_at_all(store: Store) -> None:
    await submit(store)
    await store.forget(CHAT, CREATED + 1)
    assert await store.due_outbox(CREATED + 1) == []


async def test_forget_of_a_finished_request_only_edits_its_telegram_messages(store: Store) -> None:
    record = await submit(store)
    await deliver_all(store, CREATED)
    await store.update_request(record.ref, CREATED + 5, "closed", expect={"open"})
    await store.forget(CHAT, CREATED + 10)
    notices = await store.due_outbox(CREATED + 10)
    assert [(n.kind, n.channel, json.loads(n.payload)["was"]) for n in notices] == [("withdrawn", "telegram",
                                                                                     "closed")]


async def test_forget_erases_every_row_of_the_person_in_every_table(tmp_path: Path) -> None:
    """/oubli: every table of the database is searched, column by column, for the chat key and the person."""
    path = tmp_path / "bot.sqlite3"
    store = SQLiteStore(path)
    await store.open()
    try:
        record = await submit(store)
        await store.save_channel_data(CHAT, '{"question": 12}', CREATED)
        await deliver_all(store, CREATED)
        await store.record_staff_message(record.ref, TEST_GROUP, 77)
        await store.update_request(record.ref, CREATED + 5, "taken", expect={"open"}, taken_by="Fatima B.",
                                   outbox=status_items(record.changed("taken", CREATED + 5, "Fatima B.")))
        await store.forget(CHAT, CREATED + 10)
    finally:
        await store.close()
    with sqlite3.connect(path) as db:
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        assert {"sessions", "channel_data", "requests", "outbox", "staff_messages"} <= set(tables)
        for table in tables:
            for row in db.execute(f'SELECT * FROM "{table}"'):
                text = " ".join(map(str, row))
                for trace in (CHAT, "424242", "Samira", "+33612345678", "Clichy-sous-Bois"):
                    assert trace not in text, f"{trace} is still in {table}: {row}"
        assert db.execute("SELECT COUNT(*) FROM staff_messages").fetchone() == (0,)
        assert db.execute("SELECT kind FROM outbox").fetchall() == [("withdrawn",), ("withdrawn",)]


async def test_forget_leaves_nothing_of_the_person_in_the_memory_twin() -> None:
    store = MemoryStore()
    record = await submit(store)
    await deliver_all(store, CREATED)
    await store.forget(CHAT, CREATED + 10)
    kept = repr((store.sessions, store.channel_data, store.requests, store.outbox, store.staff))
    assert CHAT not in kept and "Samira" not in kept and "+33612345678" not in kept
    assert record.ref in kept  # only in the withdrawal notices


async def test_an_older_database_gains_the_request_tables(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    with sqlite3.connect(path) as db:  # a database made by the bot before requests existed (schema 2)
        for script in MIGRATIONS[:2]:
            db.executescript(script)
        db.execute("PRAGMA user_version = 2")
        db.execute("INSERT INTO sessions VALUES ('telegram:1', '{}', 1.0)")
    store = SQLiteStore(path)
    await store.open()
    try:
        assert await store.schema_version() == len(MIGRATIONS)
        assert await store.load("telegram:1") == "{}"
        await submit(store)
        assert await store.open_request(CHAT) is not None
    finally:
        await store.close()
