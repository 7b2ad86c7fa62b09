"""Which steps, choices and places the golden conversations reach: what no golden conversation tests yet.

`python -m bot check --coverage` prints it for admins who add steps; the shipped content stays at 100 %
(tests/test_golden.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..content import Content
from ..content.routing import with_staff_chat
from ..engine import Engine
from .client import Client, Clock, GoldenError, play_turn

GOLDEN_DIR = Path(__file__).resolve().parent.parent.parent / "tests" / "golden"


@dataclass(frozen=True, slots=True)
class Golden:
    name: str
    languages: tuple[str, ...]
    turns: tuple[dict[str, object], ...]
    staff_chat: int | None = None
    """Play as if BOT_STAFF_CHAT named this (invented) group: requests to be contacted are offered."""


def engine_for(engine: Engine, staff_chat: int | None) -> Engine:
    """The engine a golden conversation runs on: the same one, or with a staff chat as the default destination."""
    if staff_chat is None:
        return engine
    return Engine(engine.content, engine.t, expiry_seconds=engine.expiry, fallback_language=engine.fallback_language,
                  routing=with_staff_chat(engine.content.routing, staff_chat))


def load_goldens(folder: Path, codes: tuple[str, ...]) -> list[Golden]:
    goldens = []
    for path in sorted(folder.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        languages = spec.get("languages", ["fr"])
        staff_chat = spec.get("staff_chat")
        goldens.append(Golden(path.stem, tuple(codes if languages == "all" else languages),
                              tuple(spec.get("turns") or ()), int(staff_chat) if staff_chat is not None else None))
    return goldens


@dataclass
class Coverage:
    steps: dict[str, bool] = field(default_factory=dict)
    choices: dict[tuple[str, str], bool] = field(default_factory=dict)
    cards: dict[str, bool] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    """Golden conversations that could not be played on this content (a button gone…)."""

    @property
    def missing(self) -> list[str]:
        return ([f"step {k}" for k, seen in self.steps.items() if not seen]
                + [f"choice {s} → {c}" for (s, c), seen in self.choices.items() if not seen]
                + [f"card {k}" for k, seen in self.cards.items() if not seen])

    @property
    def percent(self) -> float:
        total = len(self.steps) + len(self.choices) + len(self.cards)
        reached = sum(self.steps.values()) + sum(self.choices.values()) + sum(self.cards.values())
        return 100.0 * reached / total if total else 100.0


def coverage(content: Content, engine: Engine, folder: Path = GOLDEN_DIR, lang: str = "fr") -> Coverage:
    """Play every golden conversation that runs in ``lang`` and note what it reached."""
    found = Coverage(steps=dict.fromkeys(content.steps, False),
                     choices={(k, c.id): False for k, s in content.steps.items() for c in s.choices},
                     cards=dict.fromkeys(content.cards, False))
    for golden in load_goldens(folder, engine.t.codes):
        if lang not in golden.languages:
            continue
        client = Client(engine_for(engine, golden.staff_chat), Clock())
        try:
            if not golden.turns or "start" not in golden.turns[0]:
                client.start(lang=lang, lang_hint=lang)
            for step in golden.turns:
                play_turn(client, step, lang)
        except GoldenError as error:
            found.failures.append(f"{golden.name}: {error}")
        for played in client.turns:
            for key in played.visited:
                found.steps[key] = True
            for pair in played.chosen:
                found.choices[pair] = True
            for card in (*played.orientations, *played.opened):
                found.cards[card] = True
    return found


def format_coverage(found: Coverage) -> str:
    lines = [f"Golden conversations reach {found.percent:.0f} % of the steps, choices and places "
             f"({len(found.missing)} not reached):"]
    lines += [f"- {item}: add a golden conversation in tests/golden/ that reaches it" for item in found.missing]
    lines += [f"- cannot play {failure}" for failure in found.failures]
    return "\n".join(lines)
