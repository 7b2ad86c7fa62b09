"""kill -9 during a load: the bot (`python -m bot run`, as in production) is killed three times at random moments
while 30 people press and type, and started again each time.

After each restart the database passes ``PRAGMA integrity_check``; every person's stored conversation is where their
inputs lead, the one in flight either done or not done (never twice, never half); a step whose reply had begun to
show is never lost; and each person resumes at their step: an answer to the question they see continues the
conversation, and a press on a question the restart left behind brings the current one back. Everyone ends where
the same inputs lead without a crash.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.channels.telegram.render import TextMessage, render_outputs
from bot.content import Content
from bot.engine import Engine, State
from bot.golden import Client
from bot.i18n import Translations
from tests.auxil.botapi import DEFAULT_TOKEN, JSON, parse_html
from tests.auxil.telegram import SlowEmulator, button
from tests.conftest import ROOT
from tests.test_telegram_faults import Script, script

PEOPLE = 30
KILLS = 3
SEED = 9393
STARTUP_SECONDS = 30.0
ROUND_SECONDS = 30.0
"""Guards against a hang, not measures: a round takes well under a second."""


@dataclass
class Someone:
    chat: int
    steps: Script
    states: list[tuple[str, dict[str, str]]]
    """(step, answers) after /start and after each input."""
    questions: list[str]
    """The text of the question they should see after /start and after each input."""
    done: int = 0
    """Inputs carried out, as the database says."""

    @property
    def finished(self) -> bool:
        return self.done == len(self.steps)


def someone(engine: Engine, translations: Translations, chat: int, steps: Script) -> Someone:
    client = Client(engine)
    client.start(lang_hint="fr")
    states, questions = [], []

    def note() -> None:
        state: State = client.state
        states.append((state.step, dict(state.answers)))
        assert client.last_ask is not None
        (html,) = [m.html for m in render_outputs([client.last_ask], translations, state.lang)
                   if isinstance(m, TextMessage)]
        questions.append(parse_html(html)[0].strip())

    note()
    for action, value in steps:
        client.type(value) if action == "type" else client.press(value)
        note()
    return Someone(chat, steps, states, questions)


def start(api: SlowEmulator, database: Path, log: Path) -> subprocess.Popen[bytes]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    environment.update(TELEGRAM_BOT_TOKEN=DEFAULT_TOKEN, TELEGRAM_API_URL=api.base_url, BOT_DATABASE=str(database),
                       PYTHONPATH=str(ROOT))
    with log.open("ab") as output:
        return subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=environment,
                                stdout=output, stderr=output)


async def polling(api: SlowEmulator, polls_before: int, process: subprocess.Popen[bytes]) -> None:
    """The new process polls, has fetched everything and has been quiet for a moment."""
    await api.wait_for(lambda: api.received.count("getupdates") > polls_before or process.poll() is not None,
                       STARTUP_SECONDS, "the bot polling")
    assert process.poll() is None, "the bot stopped"
    await api.wait_until_idle(ROUND_SECONDS, quiet=0.3)


def stored(database: Path) -> dict[str, tuple[str, dict[str, str]]]:
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = db.execute("SELECT chat_key, state FROM sessions").fetchall()
    found = {}
    for key, raw in rows:
        state = State.from_json(raw)
        assert state is not None
        found[key] = (state.step, dict(state.answers))
    return found


def replies(api: SlowEmulator, chat: int) -> int:
    return sum(1 for c in api.sent(chat) if c["method"] == "sendMessage")


def live_question(api: SlowEmulator, chat: int) -> JSON | None:
    keyed = [m for m in api.messages(chat) if m.get("reply_markup")]
    return keyed[-1] if keyed else None


def act(api: SlowEmulator, person: Someone) -> bool:
    """Their next input on what they see; True if it answers the question they are at.

    Typing answers the current question, seen or not (the limit docs/reliability.md describes). Someone who sees
    no question at all (the bot was killed after taking its buttons away, before sending the next one) writes
    « ? »; a press on an old question, or « ? », brings the current question back."""
    action, value = person.steps[person.done]
    question = live_question(api, person.chat)
    if action == "type":
        api.user_sends_text(person.chat, value)
        return True
    if question is None:
        api.user_sends_text(person.chat, "?")
        return False
    current = question["text"] == person.questions[person.done]
    labels = [b["text"] for row in question["reply_markup"]["inline_keyboard"] for b in row]
    data = button(question, value) if any(value in label for label in labels) else \
        question["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    api.user_presses(person.chat, question["message_id"], data)
    return current


async def test_kill_9_during_a_load_loses_no_committed_step_and_everyone_resumes(
        tmp_path: Path, content: Content, translations: Translations) -> None:
    engine = Engine(content, translations)
    people = [someone(engine, translations, 9_200_000 + n, script(n)) for n in range(PEOPLE)]
    draw, began = random.Random(SEED), time.monotonic()
    rounds = max(len(p.steps) for p in people) + 2 * KILLS + 2
    kill_rounds = set(draw.sample(range(min(len(p.steps) for p in people)), KILLS))  # rounds everyone is in
    database, log = tmp_path / "bot.sqlite3", tmp_path / "bot.log"
    api = SlowEmulator({}).start()
    process = start(api, database, log)
    kills, seen = 0, Counter[str]()
    try:
        await polling(api, 0, process)
        for person in people:
            api.user_sends_text(person.chat, "/start")
        await api.wait_until_idle(ROUND_SECONDS, quiet=0.3)
        assert {p.chat: stored(database)[f"telegram:{p.chat}"] for p in people} == {p.chat: p.states[0] for p in people}
        for number in range(rounds):
            active = [p for p in people if not p.finished]
            if not active:
                break
            sent_before = {p.chat: replies(api, p.chat) for p in active}
            answering = {p.chat: act(api, p) for p in active}
            seen["resumed with an old button or « ? »"] += sum(not a for a in answering.values())
            if number in kill_rounds:
                enough = len(api.calls("sendMessage")) + draw.randint(1, len(active))  # replies of this round
                await api.wait_for(lambda n=enough: len(api.calls("sendMessage")) >= n or None, ROUND_SECONDS,
                                   "replies under way")
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=10)
                kills += 1
                shown = {p.chat for p in active if replies(api, p.chat) > sent_before[p.chat]}
                polls = api.received.count("getupdates")
                process = start(api, database, log)
                await polling(api, polls, process)
            else:
                shown = set()
                await api.wait_until_idle(ROUND_SECONDS, quiet=0.3)
            found = stored(database)
            for person in active:
                position = person.states.index(found[f"telegram:{person.chat}"])  # a state their inputs lead to
                if number in kill_rounds:
                    assert person.done <= position <= person.done + 1, (person.chat, number)  # never twice
                    if answering[person.chat]:
                        seen["in flight: done" if position > person.done else "in flight: lost"] += 1
                    question = live_question(api, person.chat)
                    if question is None or question["text"] != person.questions[position]:
                        seen["their reply cut short"] += 1
                    if answering[person.chat] and person.chat in shown:  # a reply is sent after the commit
                        assert position == person.done + 1, (person.chat, number)  # its reply showed: kept
                else:
                    assert position == person.done + answering[person.chat], (person.chat, number)
                    question = live_question(api, person.chat)  # they resume here
                    assert question is not None and question["text"] == person.questions[position]
                person.done = position
        assert kills == KILLS
        assert [p.chat for p in people if not p.finished] == []
        found = stored(database)
        assert {p.chat: found[f"telegram:{p.chat}"] for p in people} == {p.chat: p.states[-1] for p in people}
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        api.stop()
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in text and DEFAULT_TOKEN.partition(":")[2] not in text
    print(f"\n{PEOPLE} people, {sum(len(p.steps) + 1 for p in people)} inputs, {KILLS} kills (rounds "
          f"{sorted(kill_rounds)}) in {time.monotonic() - began:.1f}s: {dict(seen)}")
