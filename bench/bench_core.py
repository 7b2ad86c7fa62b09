"""Measure the core: content load, one engine step, commune resolution, one stored step (SQLite commit).

Run: .venv/bin/python bench/bench_core.py [--rounds N]   (results: docs/benchmarks.md)
Medians of N rounds, measured side by side in one run; no network.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bot.content import load_content
from bot.engine import Engine, Press, Start, Text
from bot.i18n import Translations
from bot.matching import CommuneIndex
from bot.service import Conversations
from bot.store import MemoryStore, SQLiteStore

ROOT = Path(__file__).resolve().parent.parent
RESOLVE_CASES = (
    "Bondy", "j'habite à bondi", "93200", "Noisy", "xqzw",  # 93 towns: exact, typo in a sentence, code, two towns
    "Clichy", "Neuilly-sur-Seine", "Nanterr",  # towns outside: exact, resembling a 93 town, a typo
    "j'habite à Villeneuve-la-Garenne depuis 2 ans", "CP 93 140", "92110",  # a long sentence, typed codes
)


def _forget_spellings() -> None:
    """Fold every name again, as the first index of a process does (older code has no such cache)."""
    try:
        from bot.matching._spelling import _variants
    except ImportError:
        return
    _variants.cache_clear()


def median_us(fn: Callable[[], object], rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1e6)
    return statistics.median(samples)


def press_path(engine: Engine) -> None:
    turn = engine.handle(None, Start(lang_hint="fr"), 0.0)
    for value in ("un-peu", "facile", "non", "non", "oui"):
        ask = turn.outputs[-1]
        turn = engine.handle(turn.state, Press(ask.token, value), 0.0)  # type: ignore[union-attr]
    engine.handle(turn.state, Text("Bondy"), 0.0)


async def stored_steps(engine: Engine, store_factory: Callable[[Path], object], rounds: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        store = store_factory(Path(folder))
        await store.open()  # type: ignore[attr-defined]
        conversations = Conversations(engine, store)  # type: ignore[arg-type]
        samples = []
        for i in range(rounds):
            await conversations.handle(f"bench:{i}", Start(lang_hint="fr"))  # not timed
            start = time.perf_counter()
            await conversations.handle(f"bench:{i}", Text("un peu"))  # the same step every round
            samples.append((time.perf_counter() - start) * 1e6)
        await store.close()  # type: ignore[attr-defined]
        return statistics.median(samples)



def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    rounds = parser.parse_args().rounds
    load = median_us(lambda: load_content(ROOT), max(5, rounds // 20))
    content = load_content(ROOT)
    translations = Translations()
    engine = Engine(content, translations)
    index = CommuneIndex(content.communes.values(), content.outside)
    build = median_us(lambda: CommuneIndex(content.communes.values(), content.outside), max(5, rounds // 20))
    cold = median_us(lambda: (_forget_spellings(), CommuneIndex(content.communes.values(), content.outside)),
                     max(5, rounds // 20))
    path = median_us(lambda: press_path(engine), rounds)
    communes = {text: median_us(lambda text=text: index.resolve(text), rounds) for text in RESOLVE_CASES}
    memory = asyncio.run(stored_steps(engine, lambda _: MemoryStore(), rounds))
    sqlite = asyncio.run(stored_steps(engine, lambda folder: SQLiteStore(folder / "b.sqlite3"), rounds))
    print(f"rounds: {rounds}")
    print(f"load_content (all YAML, checks included): {load / 1000:.1f} ms")
    print(f"whole conversation, 7 engine steps incl. 1 card result: {path:.0f} µs ({path / 7:.0f} µs/step)")
    print(f"build the commune index (once per language): {cold / 1000:.2f} ms the first time, "
          f"{build / 1000:.2f} ms for another language")
    for text, value in communes.items():
        print(f"resolve commune {text!r}: {value:.0f} µs")
    print(f"one step through Conversations, MemoryStore: {memory:.0f} µs")
    print(f"one step through Conversations, SQLiteStore (WAL, synchronous=FULL, committed): {sqlite:.0f} µs "
          f"(×{sqlite / memory:.1f} the in-memory step)")


if __name__ == "__main__":
    main()
