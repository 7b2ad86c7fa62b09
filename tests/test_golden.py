"""Golden conversations: readable YAML files under tests/golden/, run against the engine.

Each file: `conversation` (title), `languages` ('all' or a list; default [fr]) and `turns`. A turn does one
thing — `start` (optional presets), `press` (a button value or label), `type` (text), `command`, `wait`
(seconds pass) — then checks `expect`: `asks` (step id or side question), `cards` (ids, in order),
`choices` (button values), `says` (text the bot says, checked in French only), `finished`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.engine import Engine
from bot.i18n import Translations
from tests.auxil.conversation import Client, Clock

GOLDEN = Path(__file__).parent / "golden"
_translations = Translations()


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


def _run_turn(client: Client, turn: dict[str, Any], lang: str) -> None:
    if "start" in turn:
        presets = turn["start"] or {}
        client.start(referent=presets.get("referent"), lang=presets.get("lang", lang),
                     theme=presets.get("theme"), lang_hint=presets.get("lang_hint", lang))
    elif "press" in turn:
        client.press(str(turn["press"]))
    elif "type" in turn:
        client.type(str(turn["type"]))
    elif "command" in turn:
        client.command(str(turn["command"]))
    elif "wait" in turn:
        client.clock.advance(float(turn["wait"]))
        return
    else:
        raise AssertionError(f"unknown turn {turn}")


def _check(client: Client, expect: dict[str, Any], lang: str, where: str) -> None:
    if "asks" in expect:
        assert client.asking == expect["asks"], f"{where}: bot asks {client.asking!r}\n{client.said}"
    if "cards" in expect:
        assert client.cards == expect["cards"], f"{where}: cards {client.cards}"
    if "choices" in expect:
        assert client.choices == [str(c) for c in expect["choices"]], f"{where}: choices {client.choices}"
    if "finished" in expect:
        assert client.finished == expect["finished"], f"{where}: finished={client.finished}"
    if "says" in expect and lang == "fr":
        for text in ([expect["says"]] if isinstance(expect["says"], str) else expect["says"]):
            assert text in client.said, f"{where}: bot said:\n{client.said}"
    if "no_card_in" in expect:
        assert not set(client.cards) & set(expect["no_card_in"]), f"{where}: cards {client.cards}"


@pytest.mark.parametrize(("path", "lang"), _cases())
def test_golden_conversation(path: Path, lang: str, engine: Engine) -> None:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    client = Client(engine, Clock())
    turns = spec["turns"]
    if "start" not in turns[0]:
        client.start(lang=lang, lang_hint=lang)
    for number, turn in enumerate(turns, start=1):
        _run_turn(client, turn, lang)
        _check(client, turn.get("expect") or {}, lang, f"{path.name} turn {number} ({turn})")
