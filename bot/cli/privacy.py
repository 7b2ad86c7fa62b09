"""`python -m bot purge` and `python -m bot forget CHAT`: the retention and the right to erasure, from a shell.

Both work on the database while the bot runs (SQLite serialises the writers; the bot's sender delivers the
notices they queue to staff). See docs/privacy.md.
"""

from __future__ import annotations

import argparse
import re
import sys

from ..config import ConfigError, Settings
from ..retention import RetentionPolicy, apply_retention
from ..store import SQLiteStore, StoreError

_CHAT = re.compile(r"(?:(?P<channel>[a-z]+):)?(?P<id>-?\d{1,20})")


def chat_key(text: str) -> str | None:
    """'123456789' → 'telegram:123456789'; 'terminal:local' and 'telegram:-100…' as they are; None if neither."""
    text = text.strip()
    if text.startswith("terminal:") and len(text) > len("terminal:"):
        return text
    found = _CHAT.fullmatch(text)
    if found is None:
        return None
    return f"{found['channel'] or 'telegram'}:{found['id']}"


async def _open(args: argparse.Namespace) -> SQLiteStore | None:
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return None
    store = SQLiteStore(args.database or settings.database)
    try:
        await store.open()
    except StoreError as exc:
        print(exc, file=sys.stderr)
        return None
    return store


async def run_purge(args: argparse.Namespace) -> int:
    try:
        policy = RetentionPolicy.from_env()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    store = await _open(args)
    if store is None:
        return 2
    try:
        done = await apply_retention(store, policy)
    finally:
        await store.close()
    print(f"{done}.")
    print(f"Kept: conversations {policy.session_days:g} days after their last message, raw events "
          f"{policy.event_days:g} days, finished requests {policy.request_days:g} days, open requests "
          f"{policy.request_open_days:g} days.")
    return 0


async def run_forget(args: argparse.Namespace) -> int:
    key = chat_key(args.chat)
    if key is None:
        print(f"'{args.chat}' is not a chat: give a Telegram chat id (123456789) or a key (telegram:123456789).",
              file=sys.stderr)
        return 2
    store = await _open(args)
    if store is None:
        return 2
    try:
        request = await store.open_request(key)
        found = await store.forget(key)
    finally:
        await store.close()
    if request is not None:
        print(f"Request {request.ref} withdrawn: its team will be told (by the running bot) not to call.")
    print("Everything about this person was erased." if found or request is not None else
          "Nothing was kept about this person.")
    return 0
