"""Made-up anonymous events for statistics tests and the examples in docs/statistics.md (no real person in them).

`demo_events` plays a few hundred conversations over some weeks: most people answer every question, some stop on
the way, a few come through a referent's link; `insert` writes (at, kind, name, territory, referent, lang) rows
into a database made by the bot's own store.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from bot.stats import PARIS
from bot.store import SQLiteStore

Event = tuple[float, str, str, str | None, str | None, str | None]

QUESTIONS = ("besoin", "francais", "lecture", "numerique", "handicap", "entreprise", "referent", "commune")
TERRITORIES = ("plaine-commune", "est-ensemble", "paris-terres-d-envol", "grand-paris-grand-est")
ALI = {"plaine-commune": "ali-saint-denis", "est-ensemble": "ali-inconnue", "paris-terres-d-envol": "ali-sevran",
       "grand-paris-grand-est": "ali-clichy-sous-bois"}
FRENCH = {t: f"apprendre-le-francais-{t}" for t in TERRITORIES}
REFERENTS = ("ALI93-07", "ALI93-12", "CCAS-BONDY")


def at(day: str, hour: int = 12) -> float:
    """Epoch seconds of a Paris date and hour, e.g. at('2026-03-29', 1)."""
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00").replace(tzinfo=PARIS).timestamp()


def demo_events(now: float, *, days: int = 60, people: int = 400, seed: int = 93) -> list[Event]:
    rng = random.Random(seed)
    events: list[Event] = []
    for _ in range(people):
        when = now - rng.uniform(0, days * 86400)
        referent = rng.choice(REFERENTS) if rng.random() < 0.25 else None
        lang = rng.choices(("fr", "ar", "en", "tr", "zh"), (80, 10, 6, 3, 1))[0]
        events.append((when, "started", "accueil", None, referent, lang))
        for question in QUESTIONS:
            if question == "lecture" and rng.random() < 0.6:
                continue
            if rng.random() < 0.07:
                break
            events.append((when, "step", f"accueil:{question}", None, referent, lang))
        else:
            territory = rng.choice((*TERRITORIES, None))
            cards = [ALI.get(territory or "", "ali-inconnue"), "france-travail", "yookan"]
            if rng.random() < 0.4:
                cards.append(FRENCH.get(territory or "", "apprendre-le-francais-plaine-commune"))
            if rng.random() < 0.1:
                cards.append("handiforum")
            events += [(when, "orientation", card, territory, referent, lang) for card in cards]
            opened = rng.sample(cards, rng.randint(0, 2))
            events += [(when, "opened", card, territory, referent, lang) for card in opened]
            if rng.random() < 0.08:
                events.append((when, "request", "ali", territory, referent, lang))
                if rng.random() < 0.7:
                    events.append((when + 3600, "request_taken", "ali", territory, referent, lang))
            events.append((when, "step", "accueil:resultat", None, referent, lang))
            events.append((when, "finished", "accueil:au-revoir", None, referent, lang))
    return sorted(events)


async def insert(path: Path | str, events: Iterable[Event]) -> None:
    """Write rows into the events table of a database made (and migrated) by the bot's store."""
    store = SQLiteStore(path)
    await store.open()
    try:
        await store.db.execute("BEGIN")
        await store.db.executemany(
            "INSERT INTO events(at, kind, name, territory, referent, lang) VALUES (?, ?, ?, ?, ?, ?)", list(events))
        await store.db.execute("COMMIT")
    finally:
        await store.close()
