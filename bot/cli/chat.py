"""`python -m bot chat`: the terminal conversation on the SQLite store."""

from __future__ import annotations

import argparse
import sys

from ..channels.terminal import run_terminal
from ..config import ConfigError, Settings
from ..deeplink import parse_payload
from ..engine import Engine
from ..i18n import Translations
from ..service import Conversations
from ..store import SQLiteStore, StoreError
from .common import content_dir, load_or_explain


async def run_chat(args: argparse.Namespace) -> int:
    content = load_or_explain(content_dir(args.content))
    if content is None:
        return 1
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    translations = Translations()
    engine = Engine(content, translations, expiry_seconds=settings.expiry_seconds)
    store = SQLiteStore(args.database or settings.database)
    try:
        await store.open()
    except StoreError as exc:
        print(exc, file=sys.stderr)
        return 1
    try:
        payload = parse_payload(args.start, content, translations) if args.start else None
        lang = args.lang if args.lang in translations.codes else None
        return await run_terminal(Conversations(engine, store), f"terminal:{args.user}", lang=lang, payload=payload)
    finally:
        await store.close()
