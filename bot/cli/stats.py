"""`python -m bot stats`: the protected figures as a French table, JSON or CSV, and a PNG chart.

The database is opened (and migrated) as the bot opens it, then only read.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
from pathlib import Path

from ..config import ConfigError, Settings
from ..deeplink import CODE
from ..stats import Catalog, Summary, as_csv, as_json_text, parse_since, summarize
from ..store import SQLiteStore, StoreError
from .common import content_dir, load_or_explain


class _Unreadable(Exception):
    """One sentence for the operator."""


async def _summary(path: Path, args: argparse.Namespace, days: int, catalog: Catalog) -> Summary:
    store = SQLiteStore(path)
    try:
        await store.open()
    except StoreError as exc:
        raise _Unreadable(str(exc)) from None
    try:
        return await summarize(store, days, referent=args.referent, by=args.by, per=args.per, catalog=catalog,
                               chart=bool(args.chart))
    except sqlite3.Error as exc:
        raise _Unreadable(f"Cannot read the figures in {path} ({exc}): is it the bot's database?") from None
    finally:
        await store.close()


def run_stats(args: argparse.Namespace) -> int:
    try:
        days = parse_since(args.since)
        if args.referent is not None and not CODE.match(args.referent):
            raise ValueError(f"'{args.referent}' is not a referent code (letters, digits and '-', 40 at most)")
        settings = Settings.from_env()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"Cannot make the figures: {exc}.", file=sys.stderr)
        return 2
    content = load_or_explain(content_dir(args.content))
    if content is None:
        return 1
    path = Path(args.database or settings.database)
    if not path.is_file():
        print(f"There is no database at {path}: give the bot's file with --database or BOT_DATABASE.",
              file=sys.stderr)
        return 1
    from ..i18n import Translations

    try:
        summary = asyncio.run(_summary(path, args, days, Catalog.from_content(content, Translations().codes)))
    except _Unreadable as exc:
        print(exc, file=sys.stderr)
        return 1
    if summary.publication is None:
        print(summary.lines[0])
        return 0
    if args.json:
        sys.stdout.write(as_json_text(summary.publication))
    elif args.csv:
        sys.stdout.write(as_csv(summary.publication))
    else:
        print("\n".join(summary.lines))
    if args.chart and summary.png is not None:
        chart = Path(args.chart)
        try:
            chart.parent.mkdir(parents=True, exist_ok=True)
            chart.write_bytes(summary.png)
        except OSError as exc:
            print(f"Cannot write the chart to {chart} ({exc.strerror}).", file=sys.stderr)
            return 1
        print(f"Chart written to {chart}", file=sys.stderr)
    return 0
