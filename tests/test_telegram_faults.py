"""Telegram failing during a load: 200 people at once, each a short conversation (pressing and typing), through a
proxy that spoils 10 % of the Bot API calls (429, 500, 502, slow answers, dropped connections; tests/auxil/faults.py).

Every chat receives exactly the messages the same conversation gets without faults, in order, none doubled or
missing; every answered question shows its answer once; each person's stored state is where their inputs lead;
and the bot never stops polling: it answers someone new at the end.
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import pytest

from bot.channels.telegram import RetryingRateLimiter
from bot.channels.telegram.render import TextMessage, render_outputs
from bot.content import Content
from bot.engine import Engine, State
from bot.golden import Client
from bot.i18n import Translations
from tests.auxil.botapi import BotApiEmulator
from tests.auxil.faults import KINDS, FaultyProxy
from tests.auxil.telegram import RunningBot, button, running_bot

PEOPLE = 200
RATE = 0.10
SEED = 93
BUDGET_SECONDS = 150.0
"""A guard against a hang, not a measure (docs/reliability.md gives the times)."""
Script = list[tuple[str, str]]
"""("type", text) or ("press", a button's label), one update each, after /start."""


def script(n: int) -> Script:
    """A few questions of the questionnaire, answered by typing and pressing, different from one person to the next."""
    french = ("un peu", "non", "oui")[n % 3]  # « oui » leads to one question more (reading)
    reading: Script = [("press", "Oui, facilement")] if french == "oui" else []
    digital = ("Oui, facilement", "Un peu", "C'est difficile")[n // 3 % 3]
    health = ("non", "oui", "je ne sais pas")[n // 9 % 3]
    return [("press", "Je ne sais pas, posez-moi des questions"), ("type", french), *reading, ("press", digital),
            ("type", health)]


def expected(engine: Engine, translations: Translations, steps: Script) -> tuple[list[str], State]:
    """What the chat must receive without any fault (the engine's outputs rendered by the adapter), and the state."""
    client = Client(engine)
    turns = [client.start(lang_hint="fr")]
    for action, value in steps:
        turns.append(client.type(value) if action == "type" else client.press(value))
    return ([m.html for outputs in turns for m in render_outputs(outputs, translations, client.state.lang)
             if isinstance(m, TextMessage)], client.state)


async def person(running: RunningBot, chat: int, steps: Script) -> None:
    api = running.api
    await running.processed(api.user_sends_text(chat, "/start"), timeout=BUDGET_SECONDS)
    for action, value in steps:
        if action == "type":
            update = api.user_sends_text(chat, value)
        else:
            question = running.person(chat).question
            update = api.user_presses(chat, question["message_id"], button(question, value))
        await running.processed(update, timeout=BUDGET_SECONDS)


async def test_200_people_while_a_tenth_of_the_calls_fail(
        api: BotApiEmulator, tmp_path: Path, content: Content, translations: Translations,
        caplog: pytest.LogCaptureFixture) -> None:
    scripts = {9_100_000 + n: script(n) for n in range(PEOPLE)}
    limiter = RetryingRateLimiter(overall_max_rate=0, group_max_rate=0, backoff=0.01)  # the emulator has no limit
    with FaultyProxy(api.base_url, rate=RATE, seed=SEED) as proxy, caplog.at_level(logging.INFO):
        async with running_bot(api, tmp_path / "bot.sqlite3", content, translations, limiter=limiter,
                               api_url=proxy.base_url) as running:
            started = time.monotonic()
            await asyncio.wait_for(asyncio.gather(*(person(running, chat, s) for chat, s in scripts.items())),
                                   BUDGET_SECONDS)
            elapsed = time.monotonic() - started
            polls_before = proxy.forwarded["getUpdates"]
            late = running.person(9_099_999)
            await late.send("/start")  # polling goes on after all those faults
            assert late.question["text"] == "🧭 Que cherchez-vous ?"
            # and polls again after it (the answer may have come in a long poll already on its way when counted)
            await api.wait_for(lambda: proxy.forwarded["getUpdates"] > polls_before, 10.0, "a getUpdates after it")
            states = {chat: await running.state(chat) for chat in scripts}
            proxy.rate = 0.0  # PTB confirms the last updates with one getUpdates when it stops, and does not retry it
    engine = Engine(content, translations)
    calls = api.calls()
    assert not [c for c in calls if not c["ok"]]  # nothing done twice (a second edit would be refused)
    sent: dict[int, list[str]] = {}
    for call in calls:
        if call["method"] == "sendMessage":
            sent.setdefault(call["chat_id"], []).append(call["params"]["text"])
    for chat, steps in scripts.items():
        messages, state = expected(engine, translations, steps)
        assert sent[chat] == messages, chat
        stored = states[chat]
        assert stored is not None and (stored.step, stored.answers) == (state.step, state.answers), chat
        shown = api.messages(chat)
        assert [m["message_id"] for m in shown if m.get("reply_markup")] == [shown[-1]["message_id"]], chat
        presses = sum(1 for action, _ in steps if action == "press")
        assert sum(1 for m in shown if "\n→ " in m["text"]) == presses, chat  # each press shown under its question
    faults = proxy.counts()
    assert set(faults) == set(KINDS) and sum(faults.values()) > 0.05 * len(calls)
    assert proxy.counts("getUpdates")
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, errors[:3]
    print(f"\n{PEOPLE} people, {len(calls)} Bot API calls carried out and {proxy.forwarded['getUpdates']} getUpdates, "
          f"{sum(faults.values())} spoiled ({dict(faults)}; of getUpdates: {dict(proxy.counts('getUpdates'))}) "
          f"in {elapsed:.1f}s")
