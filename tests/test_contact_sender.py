"""The outbox sender: what a step committed reaches staff once, even across restarts and kill -9; a failing
destination keeps its requests and the admins hear of it once."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.contact import (
    Alert,
    DeliveryError,
    Destination,
    OutboxSender,
    RequestDesk,
    RetryPolicy,
    submission,
)
from bot.golden import Clock
from bot.store import MemoryStore, SQLiteStore, Store
from bot.store.base import DAY
from tests.auxil.contact import ALI_TEST, CREATED, EMAIL_ONLY, TEST_ADMIN, FakeDeliverer, a_request, down
from tests.conftest import ROOT

CHAT = "telegram:424242"


def clock() -> Clock:
    return Clock(CREATED)


def sender_for(store: Store, telegram: FakeDeliverer, email: FakeDeliverer, now: Clock, **options: Any) -> OutboxSender:
    return OutboxSender(store, {"telegram": telegram, "email": email, "person": FakeDeliverer("person")},
                        admins=[TEST_ADMIN], clock=now, draw=lambda: 0.0, retention=None, **options)


async def submit(store: Store, ref: str = "R-7K3Q", chat_key: str = CHAT, destination: Destination = ALI_TEST) -> None:
    sent = submission(a_request(ref, chat_key, destination=destination), destination)
    await store.save(chat_key, "{}", CREATED, [], [sent.row], sent.outbox)


async def test_a_request_written_with_its_step_is_delivered_once_after_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    store = SQLiteStore(path)
    await store.open()
    await submit(store)
    await store.close()  # the bot stops before its sender ran

    for _ in range(2):  # started again, twice
        store = SQLiteStore(path)
        await store.open()
        telegram, email = FakeDeliverer(), FakeDeliverer("email")
        sent = await sender_for(store, telegram, email, clock()).deliver_due()
        await store.close()
        if _ == 0:
            assert sent == 2 and telegram.kinds() == [("new", "R-7K3Q")] and email.kinds() == [("new", "R-7K3Q")]
        else:
            assert sent == 0 and telegram.sent == [] and email.sent == []


async def test_the_telegram_message_of_a_request_leads_back_to_it() -> None:
    store, telegram, email = MemoryStore(), FakeDeliverer(), FakeDeliverer("email")
    await submit(store)
    await sender_for(store, telegram, email, clock()).deliver_due()
    found = await RequestDesk(store).by_staff_message(ALI_TEST.telegram_chat or 0, 101)
    assert found is not None and found.ref == "R-7K3Q"


async def test_a_failing_destination_alerts_the_admins_once_and_keeps_the_request() -> None:
    store, telegram, email, now = MemoryStore(), FakeDeliverer(), FakeDeliverer("email"), clock()
    alerts: list[Alert] = []

    async def on_alert(alert: Alert) -> None:
        alerts.append(alert)

    email.failing = down()
    sender = sender_for(store, telegram, email, now, on_alert=on_alert)
    await submit(store, "R-7K3Q", CHAT, EMAIL_ONLY)
    await submit(store, "R-8L4R", "telegram:515151", EMAIL_ONLY)
    for _ in range(8):  # eight failures in a row, each retried when due: 42 minutes
        await sender.deliver_due()
        due = await store.next_attempt_at()
        assert due is not None
        now.now = due
    assert now() - CREATED < 3600
    assert len(alerts) == 1 and alerts[0].failures == sender.retry.alert_after and alerts[0].pending == 2
    admin = [i for i in telegram.sent if i.kind == "admin"]
    assert len(admin) == 1 and admin[0].target == str(TEST_ADMIN)
    text = json.loads(admin[0].payload)["text"]
    assert "equipe-test@example.org" in text and "5 essai(s)" in text and "2 message(s) attendent" in text
    assert (await store.pending_counts())[("email", "equipe-test@example.org")] == 2  # nothing lost

    email.failing = lambda _: None  # the server is back
    now.advance(sender.retry.max_delay)
    await sender.deliver_due()
    assert sorted(email.kinds()) == [("new", "R-7K3Q"), ("new", "R-8L4R")]
    assert await store.pending_counts() == {}


async def test_alerts_are_one_per_hour_per_destination() -> None:
    store, telegram, email, now = MemoryStore(), FakeDeliverer(), FakeDeliverer("email"), clock()
    email.failing = down()
    sender = sender_for(store, telegram, email, now, retry=RetryPolicy(first_delay=1, max_delay=60, alert_after=2))
    await submit(store, destination=EMAIL_ONLY)
    for _ in range(30):  # 30 failures in 30 minutes
        await sender.deliver_due()
        now.advance(60)
    assert [i.kind for i in telegram.sent] == ["admin"]
    now.advance(3600)
    await sender.deliver_due()
    assert [i.kind for i in telegram.sent] == ["admin", "admin"]


async def test_an_error_someone_must_fix_alerts_at_once_and_waits_the_longest() -> None:
    store, telegram, email, now = MemoryStore(), FakeDeliverer(), FakeDeliverer("email"), clock()
    email.failing = down(temporary=False)
    sender = sender_for(store, telegram, email, now)
    await submit(store, destination=EMAIL_ONLY)
    await sender.deliver_due()
    assert [i.kind for i in telegram.sent] == ["admin"]
    assert await store.next_attempt_at() == CREATED + sender.retry.max_delay


async def test_retries_back_off_exponentially_up_to_the_bound() -> None:
    store, telegram, email, now = MemoryStore(), FakeDeliverer(), FakeDeliverer("email"), clock()
    email.failing = down()
    sender = sender_for(store, telegram, email, now, retry=RetryPolicy(first_delay=10, factor=2, max_delay=60,
                                                                        alert_after=99))
    await submit(store, destination=EMAIL_ONLY)
    waits = []
    for _ in range(5):
        await sender.deliver_due()
        due = await store.next_attempt_at()
        assert due is not None
        waits.append(due - now())
        now.now = due
    assert waits == [10, 20, 40, 60, 60]


@given(failures=st.integers(min_value=0, max_value=10_000), draw=st.floats(min_value=0, max_value=0.999999),
       first=st.floats(min_value=0.1, max_value=100), jitter=st.floats(min_value=0, max_value=0.9))
def test_a_wait_is_never_longer_than_the_bound_nor_shorter_than_its_jitter_allows(
        failures: int, draw: float, first: float, jitter: float) -> None:
    policy = RetryPolicy(first_delay=first, max_delay=first * 50, jitter=jitter)
    wait = policy.delay(failures, draw)
    full = min(policy.max_delay, first * 2.0 ** min(max(failures - 1, 0), 64))
    assert full * (1 - jitter) - 1e-9 <= wait <= full <= policy.max_delay


async def test_a_failing_destination_does_not_hold_back_the_others() -> None:
    store, telegram, email, now = MemoryStore(), FakeDeliverer(), FakeDeliverer("email"), clock()
    email.failing = down()
    sender = sender_for(store, telegram, email, now, batch=1)
    for number in range(5):
        await submit(store, f"R-{'BCDFG'[number]}222", f"telegram:{number}", EMAIL_ONLY)
    await submit(store, "R-HHHH", "telegram:99")  # Telegram and e-mail
    await sender.deliver_due()
    assert ("new", "R-HHHH") in telegram.kinds()


async def test_the_person_who_blocked_the_bot_is_not_retried_but_staff_always_are() -> None:
    store, telegram, email, now = MemoryStore(), FakeDeliverer(), FakeDeliverer("email"), clock()
    person = FakeDeliverer("person")
    person.failing = down(temporary=False)
    sender = OutboxSender(store, {"telegram": telegram, "email": email, "person": person}, clock=now,
                          retention=None)
    await submit(store)
    await sender.deliver_due()
    await RequestDesk(store, now).take("R-7K3Q", "Fatima B.")
    await sender.deliver_due()
    assert await store.pending_counts() == {}  # the person's notice was abandoned, the staff edits delivered
    assert ("taken", "R-7K3Q") in telegram.kinds()


async def test_an_item_erased_before_its_turn_is_never_sent() -> None:
    store, email = MemoryStore(), FakeDeliverer("email")

    class ForgetsFirst(FakeDeliverer):
        async def deliver(self, item: object) -> str:
            await store.forget(CHAT, CREATED)  # /oubli while the sender works through its list
            return await super().deliver(item)  # type: ignore[arg-type]

    first = ForgetsFirst()
    await submit(store)
    await OutboxSender(store, {"telegram": first, "email": email}, clock=clock(), retention=None).deliver_due()
    assert email.sent == []  # the e-mail was due in the same round, and is gone


async def test_a_deliverer_that_crashes_is_retried_like_a_temporary_error() -> None:
    store, telegram, email, now = MemoryStore(), FakeDeliverer(), FakeDeliverer("email"), clock()

    def crash(_: object) -> DeliveryError | None:
        raise ZeroDivisionError("test: a bug")

    telegram.failing = crash  # type: ignore[assignment]
    sender = sender_for(store, telegram, email, now)
    await submit(store)
    await sender.deliver_due()
    assert email.kinds() == [("new", "R-7K3Q")]
    assert (await store.pending_counts()) == {("telegram", str(ALI_TEST.telegram_chat)): 1}


async def test_a_channel_without_deliverer_keeps_its_items() -> None:
    store, now = MemoryStore(), clock()
    email = FakeDeliverer("email")
    await submit(store)
    await OutboxSender(store, {"email": email}, clock=now, retention=None).deliver_due()
    assert email.kinds() == [("new", "R-7K3Q")]
    assert (await store.pending_counts()) == {("telegram", str(ALI_TEST.telegram_chat)): 1}


async def test_wake_delivers_at_once_without_waiting_for_the_poll() -> None:
    store, telegram, email = MemoryStore(), FakeDeliverer(), FakeDeliverer("email")
    sender = sender_for(store, telegram, email, clock(), poll_every=3600)
    worker = asyncio.create_task(sender.run())
    try:
        await asyncio.sleep(0)  # the worker found nothing and waits for an hour
        await submit(store)
        sender.wake()
        await asyncio.wait_for(telegram.arrived.wait(), timeout=30)  # a bound, not a measure
        assert telegram.kinds() == [("new", "R-7K3Q")]
    finally:
        sender.stop()
        await asyncio.wait_for(worker, timeout=30)


async def test_the_worker_runs_the_retention_and_the_expired_notices_go_out() -> None:
    store, telegram, email, now = MemoryStore(), FakeDeliverer(), FakeDeliverer("email"), clock()
    await submit(store)
    sender = OutboxSender(store, {"telegram": telegram, "email": email}, clock=now)
    await sender.deliver_due()
    now.advance(91 * DAY)
    purged = await sender.housekeeping_when_due()
    assert purged is not None and purged.expired == 1
    assert await sender.housekeeping_when_due() is None  # not again before its time
    await sender.deliver_due()
    assert telegram.kinds()[-1] == ("expired", "R-7K3Q") and email.kinds()[-1] == ("expired", "R-7K3Q")


_STEP_THEN_KILLED = """
import asyncio, os, signal, sys
sys.path.insert(0, {root!r})
from bot.contact import submission
from bot.store import SQLiteStore
from tests.auxil.contact import a_request, ALI_TEST

async def main():
    store = SQLiteStore({path!r})
    await store.open()
    sent = submission(a_request(), ALI_TEST)
    await store.save("telegram:424242", "{{}}", 1.0, [], [sent.row], sent.outbox)
    print("committed", flush=True)
    {then}
    os.kill(os.getpid(), signal.SIGKILL)

asyncio.run(main())
"""

_MID_SEND = """from bot.contact import OutboxSender
    class Dies:
        async def deliver(self, item):
            print("sending", item.kind, item.channel, flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
    await OutboxSender(store, {"telegram": Dies(), "email": Dies()}, retention=None).deliver_due()"""


def _killed(tmp_path: Path, then: str = "") -> tuple[Path, str]:
    path = tmp_path / "bot.sqlite3"
    script = _STEP_THEN_KILLED.format(root=str(ROOT), path=str(path), then=then)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == -signal.SIGKILL, done.stderr
    return path, done.stdout


async def test_kill_9_between_the_step_and_the_delivery_delivers_exactly_once(tmp_path: Path) -> None:
    path, out = _killed(tmp_path)
    assert "committed" in out
    for expected in (2, 0):
        store = SQLiteStore(path)
        await store.open()
        telegram, email = FakeDeliverer(), FakeDeliverer("email")
        assert await sender_for(store, telegram, email, clock()).deliver_due() == expected
        await store.close()


async def test_kill_9_during_a_send_sends_it_again_and_says_so(tmp_path: Path,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    """The one window left: the destination may have it, the store has no proof. It goes again (at least once),
    with the same key and reference, and the log says it may arrive twice."""
    path, out = _killed(tmp_path, _MID_SEND)
    assert "sending new telegram" in out
    store = SQLiteStore(path)
    await store.open()
    try:
        telegram, email = FakeDeliverer(), FakeDeliverer("email")
        assert await sender_for(store, telegram, email, clock()).deliver_due() == 2
        assert telegram.sent[0].interrupted and not email.sent[0].interrupted
        assert "may arrive twice" in caplog.text
    finally:
        await store.close()
