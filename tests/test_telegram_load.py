"""Load: 200 people at once, each through a whole conversation, over real HTTP on the loopback.

Each person types a burst of five answers without waiting (their order must hold), double-taps a button
(it must count once), then taps through the town list to the cards. Every message each chat receives is
compared with what the engine alone says for the same inputs: nothing lost, doubled or out of order.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bot.channels.telegram import RetryingRateLimiter
from bot.channels.telegram.render import TextMessage, render_outputs
from bot.content import Content
from bot.engine import Engine
from bot.i18n import Translations
from tests.auxil.botapi import BotApiEmulator
from tests.auxil.conversation import Client
from tests.auxil.telegram import RunningBot, button, running_bot

PEOPLE = 200
BURST = ["un peu", "facile", "non", "non", "oui"]
BUDGET_SECONDS = 30.0


def script(content: Content, n: int) -> list[tuple[str, str]]:
    territories = list(content.territories.values())
    territory = territories[n % len(territories)]
    communes = sorted((c for c in content.communes.values() if c.territoire == territory.id), key=lambda c: c.nom)
    commune = communes[(n // len(territories)) % len(communes)]
    return [("send", "/start"), *(("type", text) for text in BURST), ("press", "Choisir dans la liste"),
            ("double", territory.nom), ("press", commune.nom), ("press", "Non, merci")]


def expected_messages(engine: Engine, translations: Translations, steps: list[tuple[str, str]]) -> list[str]:
    """What the chat must receive: the engine's outputs, turn after turn, rendered by the adapter."""
    client = Client(engine)
    html: list[str] = []
    for action, value in steps:
        outputs = (client.start(lang_hint="fr") if value == "/start" else
                   client.type(value) if action == "type" else client.press(value))
        html += [m.html for m in render_outputs(outputs, translations, client.state.lang)
                 if isinstance(m, TextMessage)]
    return html


async def person(running: RunningBot, chat: int, steps: list[tuple[str, str]]) -> int:
    """Play one person's script; the number of updates they sent."""
    api, sent = running.api, 0
    for action, value in steps:
        if action == "send":
            ids = [api.user_sends_text(chat, value)]
        elif action == "type":
            continue
        else:
            question = running.person(chat).question
            data = button(question, value)
            ids = [api.user_presses(chat, question["message_id"], data) for _ in range(2 if action == "double" else 1)]
        await running.processed(*ids, timeout=BUDGET_SECONDS)
        sent += len(ids)
        if value == "/start":  # the burst: five answers typed before the bot had time to answer any
            burst = [api.user_sends_text(chat, text) for text in BURST]
            await running.processed(*burst, timeout=BUDGET_SECONDS)
            sent += len(burst)
    return sent


async def test_200_people_at_once(api: BotApiEmulator, tmp_path: Path, content: Content,
                                  translations: Translations) -> None:
    scripts = {9_000_000 + n: script(content, n) for n in range(PEOPLE)}
    limiter = RetryingRateLimiter(overall_max_rate=0, group_max_rate=0, backoff=0.01)  # the emulator has no limit
    async with running_bot(api, tmp_path / "bot.sqlite3", content, translations, limiter=limiter) as running:
        started = time.monotonic()
        counts = await asyncio.wait_for(asyncio.gather(*(person(running, chat, s) for chat, s in scripts.items())),
                                        BUDGET_SECONDS)
        elapsed = time.monotonic() - started
    calls = api.calls()
    assert not [c for c in calls if not c["ok"]]
    engine = Engine(content, translations)
    sent: dict[int, list[str]] = {}
    for call in calls:
        if call["method"] == "sendMessage":
            sent.setdefault(call["chat_id"], []).append(call["params"]["text"])
    for chat, steps in scripts.items():
        assert sent[chat] == expected_messages(engine, translations, steps), chat
    double_taps = [c for c in calls if c["method"] == "answerCallbackQuery" and c["params"].get("text")]
    assert len(double_taps) == PEOPLE  # each second tap: a toast, nothing else
    print(f"\n{PEOPLE} people, {sum(counts)} updates, {len(calls)} Bot API calls in {elapsed:.1f}s")
