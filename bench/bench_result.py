"""What a person gets at the end, measured over the golden conversations (tests/golden/*.yaml).

    .venv/bin/python bench/bench_result.py            # prints the Markdown tables of docs/results.md

Presses: the messages a person sends (a press or a typed answer) from the first question to the first card
opened, per golden path that opens one, split by the way in (a need pressed at the first question, or the
whole questionnaire). Size: the Telegram messages of the turn that shows the result list, and of the first
card opened, as Telegram shows them (HTML parsed), per language.
"""

from __future__ import annotations

import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.channels.telegram.render import TextMessage, render_outputs  # noqa: E402
from bot.content import load_content  # noqa: E402
from bot.engine import Ask, Engine, Output, ShowCard  # noqa: E402
from bot.golden import Client, Clock, play_turn  # noqa: E402
from bot.i18n import Translations  # noqa: E402
from tests.auxil.botapi import parse_html  # noqa: E402

NEEDS = {"francais", "numerique", "sante", "entreprise", "referent", "emploi"}


@dataclass
class Path_:
    name: str
    way: str
    presses_to_card: int | None = None
    result: list[Output] = field(default_factory=list)
    card: list[Output] = field(default_factory=list)


def languages(spec_path: Path, codes: tuple[str, ...]) -> list[str]:
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    found = spec.get("languages", ["fr"])
    return list(codes) if found == "all" else list(found)


def play(engine: Engine, spec_path: Path, lang: str) -> Path_:
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    turns = spec["turns"]
    first = turns[0].get("press") if "press" in turns[0] else turns[1].get("press") if len(turns) > 1 else None
    themed = "start" in turns[0] and (turns[0]["start"] or {}).get("theme")
    found = Path_(spec_path.stem, "need" if first in NEEDS or themed else "questionnaire")
    client = Client(engine, Clock())
    if "start" not in turns[0]:
        client.start(lang=lang, lang_hint=lang)
    presses = 0
    for turn in turns:
        presses += play_turn(client, turn, lang)
        if not found.result and any(isinstance(o, Ask) and o.buttons and o.buttons[0].value.startswith("~")
                                    for o in client.outputs):
            found.result = list(client.outputs)
        if found.presses_to_card is None and any(isinstance(o, ShowCard) for o in client.outputs):
            found.presses_to_card, found.card = presses, list(client.outputs)
    return found


def size(outputs: list[Output], translations: Translations, lang: str) -> tuple[int, int]:
    """(messages of the turn, characters of its last message as shown) on Telegram: the list, or the card."""
    messages = render_outputs(outputs, translations, lang)
    texts = [parse_html(m.html)[0] for m in messages if isinstance(m, TextMessage)]
    return len(messages), len(texts[-1]) if texts else 0


def main() -> None:
    translations = Translations()
    engine = Engine(load_content(ROOT), translations)
    goldens = sorted((ROOT / "tests" / "golden").glob("*.yaml"))
    played = [play(engine, path, "fr") for path in goldens if "fr" in languages(path, translations.codes)]
    print("### Presses to the first card (French golden paths that open a card)\n")
    print("| way in | paths | median | max |")
    print("|---|---|---|---|")
    for way in ("need", "questionnaire"):
        counts = [p.presses_to_card for p in played if p.way == way and p.presses_to_card is not None]
        if counts:
            print(f"| {way} | {len(counts)} | {statistics.median(counts):g} | {max(counts)} |")
    print("\nPer path: " + ", ".join(f"{p.name} {p.presses_to_card}" for p in played if p.presses_to_card))
    print("\n### The result list and the first card, as Telegram shows them (medians over the golden paths)\n")
    print("| language | turn of the list: messages | the list: characters | a card: messages | a card: characters |")
    print("|---|---|---|---|---|")
    for lang in translations.codes:
        runs = [play(engine, path, lang) for path in goldens if lang in languages(path, translations.codes)]
        lists = [size(p.result, translations, lang) for p in runs if p.result]
        cards = [size([o for o in p.card if isinstance(o, ShowCard)], translations, lang) for p in runs if p.card]
        print(f"| {lang} | {statistics.median(m for m, _ in lists):g} | {statistics.median(c for _, c in lists):g} "
              f"| {statistics.median(m for m, _ in cards):g} | {statistics.median(c for _, c in cards):g} |")


if __name__ == "__main__":
    main()
