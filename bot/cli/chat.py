"""`python -m bot chat`: the terminal conversation on the SQLite store."""

from __future__ import annotations

import argparse
import asyncio
import sys

from ..channels.terminal import run_terminal
from ..config import ConfigError, Settings
from ..contact.settings import ContactSettings
from ..deeplink import parse_payload
from ..i18n import Translations
from ..reload import ContentLibrary, ReloadResult, watch_content
from ..reload.library import summary
from ..service import Conversations
from ..store import SQLiteStore, StoreError
from .common import content_dir, engine_maker, load_or_explain


async def run_chat(args: argparse.Namespace) -> int:
    root = content_dir(args.content)
    content = load_or_explain(root)
    if content is None:
        return 1
    try:
        settings = Settings.from_env()
        contact = ContactSettings.from_env()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    library = ContentLibrary.start(root, content, Translations(), engine_maker(settings, contact))
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
        conversations = Conversations(library, store, request_days=round(contact.retention.closed_days))
        return await run_terminal(conversations, f"terminal:{args.user}", lang=lang, payload=payload)
    finally:
        stop.set()
        watcher.cancel()
        await asyncio.gather(watcher, return_exceptions=True)
        await store.close()


async def _say_reload(result: ReloadResult) -> None:
    """In the terminal, the admin is the person chatting: the reload's outcome goes to stderr."""
    if result.changed or not result.ok:
        print(summary(result), file=sys.stderr, flush=True)
