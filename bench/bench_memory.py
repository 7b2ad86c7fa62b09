"""Memory over many chats: 100,000 conversations of one or two steps through Conversations on a SQLite file.

Run: .venv/bin/python bench/bench_memory.py [--chats 100000]   (results: docs/reliability.md)

Two variants, each in a child process of its own (a fresh interpreter, so that RSS is theirs alone), one after the
other in one run: « dict » keeps one asyncio.Lock per chat ever seen, as Conversations did before; « weak » is
bot.service.Conversations as it is (a lock lives while a step of its chat runs or waits). RSS is VmRSS read from
/proc/self/status (Linux) at 10 %, 50 % and 100 % of the chats; no network, no Telegram.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
AT_ONCE = 50
"""Chats whose steps run concurrently (the locks of a busy moment)."""


def rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status (Linux only)")


async def run(variant: str, chats: int) -> None:
    """One variant, in a child process: bot is imported here, from this checkout (PYTHONPATH)."""
    from bot.content import load_content
    from bot.engine import Engine, Start, Text
    from bot.i18n import Translations
    from bot.service import Conversations
    from bot.store import SQLiteStore

    class DictConversations(Conversations):
        """Conversations as before: a plain dict of locks, one per chat ever seen."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._locks = {}  # type: ignore[assignment]

    async def chat(conversations: Conversations, n: int) -> None:
        key = f"bench:{n}"
        await conversations.handle(key, Start(lang_hint="fr"))
        if n % 2:
            await conversations.handle(key, Text("je ne sais pas"))

    engine = Engine(load_content(ROOT), Translations())
    checkpoints = {chats // 10, chats // 2, chats}
    with tempfile.TemporaryDirectory() as folder:
        store = SQLiteStore(Path(folder) / "bench.sqlite3")
        await store.open()
        kind = DictConversations if variant == "dict" else Conversations
        conversations = kind(engine, store)
        print(json.dumps({"variant": variant, "chats": 0, "rss_kb": rss_kb()}), flush=True)
        started = time.perf_counter()
        for first in range(0, chats, AT_ONCE):
            await asyncio.gather(*(chat(conversations, n) for n in range(first, min(first + AT_ONCE, chats))))
            done = min(first + AT_ONCE, chats)
            if done in checkpoints:
                print(json.dumps({"variant": variant, "chats": done, "rss_kb": rss_kb(),
                                  "locks": len(conversations._locks),
                                  "seconds": round(time.perf_counter() - started, 1)}), flush=True)
        size = (Path(folder) / "bench.sqlite3").stat().st_size
        await store.close()
    print(json.dumps({"variant": variant, "database_mb": round(size / 2**20, 1)}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chats", type=int, default=100_000)
    parser.add_argument("--variant", choices=("dict", "weak"), help=argparse.SUPPRESS)  # a child's own run
    args = parser.parse_args()
    if args.variant:
        import bot

        assert Path(bot.__file__).resolve().is_relative_to(ROOT), f"bot imported from {bot.__file__}"
        asyncio.run(run(args.variant, args.chats))
        return
    results: dict[str, list[dict[str, float]]] = {}
    for variant in ("dict", "weak"):
        out = subprocess.run([sys.executable, __file__, "--variant", variant, "--chats", str(args.chats)],
                             capture_output=True, text=True, check=True, cwd=ROOT,
                             env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout
        results[variant] = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    print(f"{args.chats:,} chats, {AT_ONCE} at a time, one or two steps each (SQLite, WAL, synchronous=FULL)")
    print("| chats | RSS, a dict of locks | RSS, weak locks | locks held (dict / weak) | time (dict / weak) |")
    print("|---|---|---|---|---|")
    rows = zip(*(r for r in (results["dict"], results["weak"])), strict=True)
    for before, after in rows:
        if "database_mb" in before:
            print(f"database file: {before['database_mb']} MB / {after['database_mb']} MB")
            continue
        locks = f"{before.get('locks', 0):,} / {after.get('locks', 0):,}"
        took = f"{before['seconds']} s / {after['seconds']} s" if "seconds" in before else ""
        print(f"| {int(before['chats']):,} | {before['rss_kb'] / 1024:.1f} MB | {after['rss_kb'] / 1024:.1f} MB | "
              f"{locks} | {took} |")


if __name__ == "__main__":
    main()
