"""`python -m bot chat`: the terminal conversation on the SQLite store."""

from __future__ import annotations

import argparse
import asyncio
import sys

from ..channels.terminal import run_terminal
from ..config import ConfigError, Settings
from ..content import Content
from ..deeplink import parse_payload
from ..engine import Engine
from ..i18n import Translations
from ..reload import ContentLibrary, ReloadResult, watch_content
from ..reload.library import summary
from ..service import Conversations
from ..store import SQLiteStore, StoreError
from .common import content_dir, load_or_explain


async def run_chat(args: argparse.Namespace) -> int:
    root = content_dir(args.content)
    content = load_or_explain(root)
    if content is None:
        return 1
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2

    def make_engine(content: Content, translations: Translations) -> Engine:
        return Engine(content, translations, expiry_seconds=settings.expiry_seconds)

    library = ContentLibrary.start(root, content, Translations(), make_engine)
    library.listeners.append(_say_reload)
    store = SQLiteStore(args.database or settings.database)
    try:
        await store.open()
    except StoreError as exc:
        print(exc, file=sys.stderr)
        return 1
    stop = asyncio.Event()
    watcher = asyncio.create_task(watch_content(library, stop))
    try:
        translations = library.current.translations
        payload = parse_payload(args.start, content, translations) if args.start else None
        lang = args.lang if args.lang in translations.codes else None
        return await run_terminal(Conversations(library, store), f"terminal:{args.user}", lang=lang, payload=payload)
    finally:
        stop.set()
        watcher.cancel()
        await asyncio.gather(watcher, return_exceptions=True)
        await store.close()


async def _say_reload(result: ReloadResult) -> None:
    """In the terminal, the admin is the person chatting: the reload's outcome goes to stderr."""
    if result.changed or not result.ok:
        print(summary(result), file=sys.stderr, flush=True)
