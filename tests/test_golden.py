"""Golden conversations: readable YAML files under tests/golden/, run against the engine.

Each file: `conversation` (title), `languages` ('all' or a list; default [fr]) and `turns`. A turn does one
thing — `start` (optional presets), `press` (a button value or label), `open` (a place of the result list, by
card id), `type` (text), `command`, `wait` (seconds pass), `share_contact` (Telegram's « share my number »: a
number, or {phone, own: false} for someone else's card), `staff` (the team takes or closes the request, {status},
or answers through the bot, {reply}) — then checks `expect`: `asks` (step id or side question), `places` (the
result list shown, card ids in order), `cards` (cards opened), `choices` (button values), `says` (text the bot
says, checked in French only), `finished`, `no_card_in`, `sent` (how many requests were sent so far), `sends`
(fields of the last request sent), `relays` (the person's texts passed to the team this turn).
A file with `staff_chat` runs as if BOT_STAFF_CHAT named that (invented) group: requests are offered.

Whatever the file says, every turn of every golden conversation, in every language, also checks what the issue
asks of the result: at most three places at first; a card starts with how to reach the place and says exactly one
next step; a person without a referent is never told to ask their referent; the list ends with one next step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.content.models import Content
from bot.engine import Ask, Engine, ShowCard
from bot.engine.effects import RelayToStaff
from bot.engine.places import FIRST
from bot.engine.render import said
from bot.golden import Client, Clock, coverage, engine_for, format_coverage, play_turn
from bot.i18n import Translations
from bot.matching import normalize

GOLDEN = Path(__file__).parent / "golden"
_translations = Translations()
CONTACT_KINDS = {"phone", "address", "place", "hours", "status", "url", "email", "list"}


def _cases() -> list[Any]:
    cases = []
    for path in sorted(GOLDEN.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        languages = spec.get("languages", ["fr"])
        if languages == "all":
            languages = list(_translations.codes)
        for lang in languages:
            cases.append(pytest.param(path, lang, id=f"{path.stem}[{lang}]"))
    return cases


_ENGINES: dict[int | None, Engine] = {}


def _engine(shipped: Engine, staff_chat: int | None) -> Engine:
    if staff_chat not in _ENGINES:
        _ENGINES[staff_chat] = engine_for(shipped, staff_chat)
    return _ENGINES[staff_chat]


def _check(client: Client, expect: dict[str, Any], lang: str, where: str) -> None:
    if "asks" in expect:
        assert client.asking == expect["asks"], f"{where}: bot asks {client.asking!r}\n{client.said}"
    if "places" in expect:
        assert client.places == expect["places"], f"{where}: places {client.places} (all: {client.all_places})"
    if "cards" in expect:
        assert client.cards == expect["cards"], f"{where}: cards {client.cards}"
    if "choices" in expect:
        assert client.choices == [str(c) for c in expect["choices"]], f"{where}: choices {client.choices}"
    if "finished" in expect:
        assert client.finished == expect["finished"], f"{where}: finished={client.finished}"
    if "sent" in expect:
        assert len(client.sent) == expect["sent"], f"{where}: requests sent {client.sent}"
    if "sends" in expect:
        assert client.sent, f"{where}: no request sent"
        for name, value in expect["sends"].items():
            got = getattr(client.sent[-1], name)
            assert (list(got) if isinstance(got, tuple) else got) == value, f"{where}: {name} is {got!r}"
    if "relays" in expect:
        relayed = [e.text for e in client.turns[-1].effects if isinstance(e, RelayToStaff)]
        assert relayed == expect["relays"], f"{where}: relayed {relayed}"
    if "says" in expect and lang == "fr":
        for text in ([expect["says"]] if isinstance(expect["says"], str) else expect["says"]):
            assert text in client.said, f"{where}: bot said:\n{client.said}"
    if "no_card_in" in expect:
        assert not set(client.cards) & set(expect["no_card_in"]), f"{where}: cards {client.cards}"


def _guarded(content: Content, answers: dict[str, str], text: str) -> list[str]:
    """Guard words of flows/_global.yaml that ``text`` (French) uses although the answers forbid them."""
    normal = f" {normalize(text)} "
    return [word for guard in content.guards if guard.when.holds(answers) for word in guard.words
            if f" {normalize(word)}" in normal]


def _invariants(client: Client, engine: Engine, lang: str, where: str, *, first_list: bool) -> None:
    state = client.state
    t = engine.t
    lists = [o for o in client.outputs if isinstance(o, Ask) and any(b.value.startswith("~") for b in o.buttons)]
    for ask in lists:
        places = [b for b in ask.buttons if b.value.startswith("~")]
        if first_list:
            assert len(places) <= FIRST, f"{where}: {len(places)} places at first"
        step = engine.content.steps[state.step]
        top = engine.content.cards[state.places[0].partition("|")[0]]
        french = said(top.prochaine_etape, state.answers)
        assert not _guarded(engine.content, state.answers, french), f"{where}: list says {french!r}"
        if "👇" in ask.text.splitlines()[0] and not ask.text.startswith("👇"):
            assert ask.text.splitlines()[-1] == f"👉 {t.gettext(lang, french)}", f"{where}: {ask.text!r}"
        assert step.kind == "result"
    for card in (o for o in client.outputs if isinstance(o, ShowCard)):
        kinds = [line.kind for line in card.lines]
        contacts = [k for k in kinds if k in CONTACT_KINDS]
        assert kinds[:len(contacts)] == contacts, f"{where}: {card.card_id} does not start with its contacts"
        assert kinds.count("next") == 1, f"{where}: {card.card_id} has {kinds.count('next')} next steps"
        french = said(engine.content.cards[card.card_id].prochaine_etape, state.answers)
        shown = next(line.value for line in card.lines if line.kind == "next")
        assert shown == t.gettext(lang, french), f"{where}: {card.card_id} next step {shown!r}"
        assert not _guarded(engine.content, state.answers, french), f"{where}: {card.card_id} says {french!r}"


@pytest.mark.parametrize(("path", "lang"), _cases())
def test_golden_conversation(path: Path, lang: str, engine: Engine) -> None:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    engine = _engine(engine, spec.get("staff_chat"))
    client = Client(engine, Clock())
    turns = spec["turns"]
    if "start" not in turns[0]:
        client.start(lang=lang, lang_hint=lang)
    for number, turn in enumerate(turns, start=1):
        before = client.state.shown if client.saved else 0
        play_turn(client, turn, lang)
        where = f"{path.name} turn {number} ({turn})"
        _check(client, turn.get("expect") or {}, lang, where)
        _invariants(client, engine, lang, where, first_list=before == 0)


def test_the_golden_conversations_reach_every_step_choice_and_place(content: Content, engine: Engine) -> None:
    """`check --coverage` for the shipped content: nothing a person can meet is left untested."""
    found = coverage(content, engine, GOLDEN)
    assert found.failures == [] and found.missing == [], format_coverage(found)
    assert found.percent == 100.0
