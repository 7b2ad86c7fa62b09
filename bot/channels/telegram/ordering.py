"""Updates of one chat in order, different chats at the same time.

PTB starts one task per update, in the order Telegram sent them, and each task enters
``do_process_update`` in that order (PTB's semaphore is first-in first-out). Waiting here on a per-chat
first-in first-out lock therefore runs one chat's updates one after the other, in order — the whole
handler, sending included, so replies of two messages can never interleave — while other chats go on.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

DEFAULT_CONCURRENCY = 256


def chat_of(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    chat = update.effective_chat
    return chat.id if chat is not None else None


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Serialise the updates of each chat; updates without a chat run freely."""

    __slots__ = ("_locks", "_waiting")

    def __init__(self, max_concurrent_updates: int = DEFAULT_CONCURRENCY) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = chat_of(update)
        if chat is None:
            await coroutine
            return
        async with self.serialised(chat):
            await coroutine

    @contextlib.asynccontextmanager
    async def serialised(self, chat: int) -> AsyncIterator[None]:
        """Run as one of this chat's updates (the outbox sender uses it to tell the person something)."""
        lock = self._locks.setdefault(chat, asyncio.Lock())
        self._waiting[chat] = self._waiting.get(chat, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._waiting[chat] -= 1
            if not self._waiting[chat]:  # nobody else queued for this chat: forget its lock
                del self._waiting[chat]
                del self._locks[chat]

    @property
    def active_chats(self) -> int:
        return len(self._locks)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
