"""Load: 200 people at once, each through a whole conversation, over real HTTP on the loopback.

Each person types a burst of answers without waiting (their order must hold), double-taps a button (it must
count once), reaches their list of places, opens one (its card) and ends. Half of them type their town at the
end of the burst and double-tap a place (the card must come once); the others tap through the town list,
double-tapping the territory. Every message each chat receives is compared with what the engine alone says for
the same inputs: nothing lost, doubled or out of order.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bot.channels.telegram import RetryingRateLimiter
from bot.channels.telegram.render import TextMessage, render_outputs
from bot.content import Content
from bot.engine import Engine, ShowCard
from bot.engine.places import V_PLACE
from bot.golden import Client
from bot.i18n import Translations
from tests.auxil.botapi import BotApiEmulator
from tests.auxil.telegram import RunningBot, button, running_bot

PEOPLE = 200
BURST = ["je ne sais pas", "un peu", "facile", "non", "non", "oui"]
BUDGET_SECONDS = 90.0
"""A guard against a hang, not a measure: CI shares two cores (the load takes about 19 s alone)."""
Script = list[tuple[str, str]]


def script(content: Content, n: int) -> tuple[list[str], Script]:
    """The burst a person types right after /start, then what they press, one update after another.

    ("place", "2"), ("double-place", "2"): the list's 3rd button (a place), pressed once or twice."""
    territories = list(content.territories.values())
    territory = territories[n % len(territories)]
    communes = sorted((c for c in content.communes.values() if c.territoire == territory.id), key=lambda c: c.nom)
    commune = communes[(n // len(territories)) % len(communes)]
    place = str(n % 3)
    if n % 2:
        return BURST, [("press", "Choisir dans la liste"), ("double", territory.nom), ("press", commune.nom),
                       ("place", place), ("press", "C'est bon, merci")]
    return [*BURST, commune.nom], [("double-place", place), ("press", "C'est bon, merci")]


def expected_messages(engine: Engine, translations: Translations, burst: list[str], presses: Script) -> list[str]:
    """What the chat must receive: the engine's outputs, turn after turn, rendered by the adapter."""
    client = Client(engine)
    turns = [client.start(lang_hint="fr"), *(client.type(text) for text in burst)]
    for action, value in presses:
        if action.endswith("place"):  # the n-th button of the list: a place, whose card opens (once)
            assert client.last_ask is not None and client.asking == "resultat"
            place = client.last_ask.buttons[int(value)].value
            assert place.startswith(V_PLACE)
            turns.append(client.press(place))
            assert [o for o in client.outputs if isinstance(o, ShowCard)]
        else:
            turns.append(client.press(value))
    assert client.finished
    return [m.html for outputs in turns for m in render_outputs(outputs, translations, client.state.lang)
            if isinstance(m, TextMessage)]


async def person(running: RunningBot, chat: int, burst: list[str], presses: Script) -> int:
    """Play one person's script; the number of updates they sent."""
    api = running.api
    await running.processed(api.user_sends_text(chat, "/start"), timeout=BUDGET_SECONDS)
    typed = [api.user_sends_text(chat, text) for text in burst]  # before the bot had time to answer any
    await running.processed(*typed, timeout=BUDGET_SECONDS)
    sent = 1 + len(typed)
    for action, value in presses:
        question = running.person(chat).question
        if action.endswith("place"):  # the keyboard keeps the list's order: its n-th button is the n-th place
            data = [b["callback_data"] for row in question["reply_markup"]["inline_keyboard"] for b in row][int(value)]
        else:
            data = button(question, value)
        ids = [api.user_presses(chat, question["message_id"], data) for _ in range(2 if "double" in action else 1)]
        await running.processed(*ids, timeout=BUDGET_SECONDS)
        sent += len(ids)
    return sent


async def test_200_people_at_once(api: BotApiEmulator, tmp_path: Path, content: Content,
                                  translations: Translations) -> None:
    scripts = {9_000_000 + n: script(content, n) for n in range(PEOPLE)}
    limiter = RetryingRateLimiter(overall_max_rate=0, group_max_rate=0, backoff=0.01)  # the emulator has no limit
    async with running_bot(api, tmp_path / "bot.sqlite3", content, translations, limiter=limiter) as running:
        started = time.monotonic()
        counts = await asyncio.wait_for(asyncio.gather(*(person(running, chat, *s) for chat, s in scripts.items())),
                                        BUDGET_SECONDS)
        elapsed = time.monotonic() - started
    calls = api.calls()
    assert not [c for c in calls if not c["ok"]]
    engine = Engine(content, translations)
    sent: dict[int, list[str]] = {}
    for call in calls:
        if call["method"] == "sendMessage":
            sent.setdefault(call["chat_id"], []).append(call["params"]["text"])
    for chat, (burst, presses) in scripts.items():
        assert sent[chat] == expected_messages(engine, translations, burst, presses), chat
    double_taps = [c for c in calls if c["method"] == "answerCallbackQuery" and c["params"].get("text")]
    assert len(double_taps) == PEOPLE  # each second tap: a toast, nothing else
    print(f"\n{PEOPLE} people, {sum(counts)} updates, {len(calls)} Bot API calls in {elapsed:.1f}s")
