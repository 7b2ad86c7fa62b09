"""Bad input: 10,000 generated updates of every kind through the real bot on the emulated Bot API.

Six people (invented chat ids) and a team's group act in rounds; each round is one update per person — most often
a press of a button the bot has just sent them, else a text, a command, a sticker, a contact, a location, an edit,
a forged button — and two more: the team's group (a member or an outsider pressing, replying, writing) or an update
that is no private chat at all (a channel post, an inline query, another group, the bot's membership). The
strategies are in tests/auxil/updates.py.

After all of them: no error was logged and every update was handled; every stored conversation reads back and is on
a step of the content; every message the bot sent parses as Telegram HTML and none carries markup the fuzzer typed;
and a new person's /start is answered as usual.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bot.channels.telegram import RetryingRateLimiter
from bot.content import Content
from bot.engine import State
from bot.i18n import Translations
from tests.auxil.botapi import BotApiEmulator, parse_html
from tests.auxil.contact import TEST_GROUP
from tests.auxil.telegram import RunningBot, running_bot
from tests.auxil.updates import HTML_LIKE, MARKER, Action, Player, person_actions, raw_updates, staff_actions

PEOPLE = [7_100_001 + n for n in range(6)]
"""Invented private chats."""
MEMBER, OUTSIDER = 7_200_001, 7_200_002
"""An invented member of the team's group, and someone who is not one."""
EXAMPLES, ROUNDS = 50, 25
PER_ROUND = len(PEOPLE) + 2
UPDATES = EXAMPLES * ROUNDS * PER_ROUND
assert UPDATES == 10_000
HTML_METHODS = {"sendmessage", "editmessagetext", "sendphoto", "senddocument", "editmessagecaption"}
ROUND = st.tuples(*(person_actions(who) for who in range(len(PEOPLE))),
                  *(st.one_of(staff_actions(), raw_updates()) for _ in range(PER_ROUND - len(PEOPLE))))
TYPED_TAGS = tuple(piece[:piece.index(MARKER) + len(MARKER)] for piece in HTML_LIKE if "<" in piece and MARKER in piece)
"""The tags the fuzzer types, up to their marker: none may reach Telegram unescaped."""
MARKER_IN_TAG = re.compile(rf"<[^<>]*{MARKER}")
FAR_REACHING_BIDI = re.compile("[\u202a-\u202e\u2066\u2067]")
"""Embeddings, overrides, and the isolates the bot never writes (it writes FSI and PDI around a right-to-left name)."""


def draw_plan() -> list[tuple[Action, ...]]:
    """EXAMPLES hypothesis examples of ROUNDS rounds each, always the same (derandomized). Presses name a button by
    its position, chosen among the buttons the bot shows when the round is played, so the plan needs no answer."""
    examples: list[list[tuple[Action, ...]]] = []

    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(st.lists(ROUND, min_size=ROUNDS, max_size=ROUNDS))
    def collect(rounds: list[tuple[Action, ...]]) -> None:
        examples.append(rounds)

    collect()
    return [actions for rounds in examples for actions in rounds]


@pytest.fixture
async def bot(api: BotApiEmulator, tmp_path: Path, content: Content,
              translations: Translations) -> AsyncIterator[RunningBot]:
    api.add_member(TEST_GROUP, MEMBER)
    limiter = RetryingRateLimiter(overall_max_rate=0, group_max_rate=0, backoff=0.01)  # the emulator has no limit
    async with running_bot(api, tmp_path / "bot.sqlite3", content, translations, staff_chat=TEST_GROUP,
                           limiter=limiter) as running:
        yield running


@pytest.mark.timeout(240)
async def test_10000_updates_of_every_kind(bot: RunningBot, api: BotApiEmulator, content: Content, tmp_path: Path,
                                           caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    began = time.monotonic()
    plan = draw_plan()
    drawn = time.monotonic()
    player, pushed = Player(api, PEOPLE, TEST_GROUP, MEMBER, OUTSIDER), 0
    for actions in plan:
        await bot.processed(*(player.play(action) for action in actions), timeout=30)
        pushed += len(actions)
    await outbox_empty(bot)
    played = time.monotonic()
    print(f"\n{pushed} updates ({len(plan)} rounds) drawn in {drawn - began:.1f}s, played in {played - drawn:.1f}s;"
          f" {len(api.calls())} Bot API calls")
    for kind, count in sorted(player.kinds.items(), key=lambda kv: -kv[1]):
        print(f"  {count:5} {kind}")
    assert pushed == UPDATES

    errors = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not errors, "\n".join(f"{r.levelname} {r.name}: {r.getMessage()}" for r in errors[:10])

    states = stored_states(tmp_path / "bot.sqlite3")
    assert states and all(state is not None and state.step in content.steps for state in states.values()), \
        {key: state for key, state in states.items() if state is None or state.step not in content.steps}

    checked = 0
    for call in api.calls():
        if call["method"].lower() not in HTML_METHODS or str(call["params"].get("parse_mode")).lower() != "html":
            continue
        html = str(call["params"].get("text") or call["params"].get("caption") or "")
        text, entities = parse_html(html)  # raises on broken markup, as Telegram refuses it
        typed = [tag for tag in TYPED_TAGS if tag in html] or MARKER_IN_TAG.findall(html)
        assert not typed, f"typed markup {typed} sent as markup to {call['chat_id']}: {html[:300]!r}"
        assert f"&{MARKER}" not in text and f"&#{MARKER}" not in text, f"an entity decoded twice: {html[:300]!r}"
        assert not [e for e in entities if MARKER in e.get("url", "")], html[:300]
        assert not (call["ok"] is False and "parse entities" in call["response"]["description"])
        checked += 1
    print(f"  {checked} HTML messages and edits checked")

    staff = api.messages(TEST_GROUP)
    requests = [m for m in staff if "🔖 R-" in m.get("text", "")]
    print(f"  {len(requests)} requests in the staff chat, {len(staff)} messages of the bot there")
    assert not [m for m in staff if m.get("reply_markup") and m not in requests]  # buttons only under a request
    relayed = {c["response"]["result"]["message_id"] for c in api.calls("sendMessage")
               if c["chat_id"] == TEST_GROUP and c["ok"] and str(c["params"]["text"]).startswith("💬")
               and "🔖" not in str(c["params"]["text"])}  # a relay: « 💬 name · R-… » and the text
    print(f"  {len(relayed)} messages of people passed into a thread")
    assert not [m for m in staff if m["message_id"] in relayed and ("🔖" in m.get("text", "") or m.get("reply_markup"))]
    assert not [m for m in staff if FAR_REACHING_BIDI.search(m.get("text", ""))]  # nothing can reorder a line

    person = bot.person(7_100_999)
    await person.send("/start")
    assert person.question["text"] == "🧭 Que cherchez-vous ?"


async def outbox_empty(bot: RunningBot, timeout: float = 20.0) -> None:  # noqa: ASYNC109
    """Wait until the sender delivered every request and notice the run queued (it works on its own)."""
    deadline = time.monotonic() + timeout
    while pending := await bot.store.pending_counts():
        assert time.monotonic() < deadline, f"still in the outbox: {pending}"
        bot.bot.outbox.wake()
        await bot.api.wait_until_idle(timeout=timeout, quiet=0.05)


def stored_states(database: Path) -> dict[str, State | None]:
    with sqlite3.connect(database) as db:
        return {key: State.from_json(raw) for key, raw in db.execute("SELECT chat_key, state FROM sessions")}
