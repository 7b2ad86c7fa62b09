"""Drive the real Telegram bot through the Bot API emulator, like people on their phones.

``running_bot`` starts a TelegramBot (real PTB Application, real HTTP to 127.0.0.1) polling the emulator;
``Person`` sends, presses buttons by their label and waits until the bot has finished with each update.
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dtm
from collections.abc import AsyncIterator, Awaitable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web
from telegram import Update
from telegram.error import TelegramError

from bot.channels.telegram import PerChatUpdateProcessor, RetryingRateLimiter, TelegramBot, TelegramSettings
from bot.channels.telegram.admin import StatsReply
from bot.contact import ContactSettings
from bot.content import Content
from bot.content.routing import with_staff_chat
from bot.engine import Engine, State
from bot.i18n import Translations
from bot.reload import ContentLibrary
from bot.service import Conversations
from bot.store import SQLiteStore
from bot.store.sqlite import BUSY_TIMEOUT
from tests.auxil.botapi import DEFAULT_TOKEN, JSON, BotApiEmulator


class TrackingProcessor(PerChatUpdateProcessor):
    """The real per-chat processor, also noting which updates are completely handled (errors included)."""

    __slots__ = ("_waiters", "done")

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self.done: set[int] = set()
        self._waiters: dict[int, asyncio.Future[None]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        try:
            await super().do_process_update(update, coroutine)
        finally:
            if isinstance(update, Update):
                self.done.add(update.update_id)
                waiter = self._waiters.pop(update.update_id, None)
                if waiter is not None and not waiter.done():
                    waiter.set_result(None)

    async def wait(self, update_ids: Iterable[int], timeout: float) -> None:  # noqa: ASYNC109
        loop = asyncio.get_running_loop()
        waiting = [self._waiters.setdefault(i, loop.create_future()) for i in update_ids if i not in self.done]
        if waiting:
            await asyncio.wait_for(asyncio.gather(*waiting), timeout)


@dataclass
class RunningBot:
    api: BotApiEmulator
    bot: TelegramBot
    processor: TrackingProcessor
    store: SQLiteStore

    @property
    def conversations(self) -> Conversations:
        return self.bot.conversations

    async def processed(self, *update_ids: int, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until these updates are completely handled (replies sent, errors handled)."""
        try:
            await self.processor.wait(update_ids, timeout)
        except TimeoutError:
            missing = sorted(set(update_ids) - self.processor.done)
            raise AssertionError(f"updates {missing} not processed after {timeout}s\n{self.api.dump()}") from None

    async def state(self, chat_id: int) -> State | None:
        return await self.conversations.load(f"telegram:{chat_id}")

    def person(self, chat_id: int, language_code: str = "fr") -> Person:
        return Person(self, chat_id, language_code)


@asynccontextmanager
async def running_bot(api: BotApiEmulator, database: Path, content: Content, translations: Translations, *,
                      limiter: RetryingRateLimiter | None = None, poll: bool = True,
                      library: ContentLibrary | None = None, admins: frozenset[int] = frozenset(),
                      stats: StatsReply | None = None, staff_chat: int | None = None,
                      contact: ContactSettings | None = None,
                      busy_timeout: float = BUSY_TIMEOUT, api_url: str | None = None) -> AsyncIterator[RunningBot]:
    """The bot polling the emulator; with a ContentLibrary it serves and watches that content (live reload);
    with ``staff_chat`` (an invented group id) requests to be contacted go to that group, as BOT_STAFF_CHAT does;
    with ``api_url`` it talks to the emulator through that address (a proxy)."""
    settings = TelegramSettings(token=DEFAULT_TOKEN, api_url=api_url or api.base_url)
    store = SQLiteStore(database, busy_timeout=busy_timeout)
    processor = TrackingProcessor()
    source = library if library is not None else Engine(content, translations,
                                                         routing=with_staff_chat(content.routing, staff_chat))
    contact = contact or ContactSettings(staff_chat=staff_chat)
    bot = TelegramBot(settings, Conversations(source, store), admins=admins, library=library, stats=stats,
                      processor=processor, limiter=limiter or RetryingRateLimiter(backoff=0.01), contact=contact)
    async with bot:
        updater = bot.application.updater
        assert updater is not None
        if poll:
            application = bot.application

            def polling_failed(error: TelegramError) -> None:  # as run_polling does: to the bot's on_error
                application.create_task(application.process_error(error=error, update=None))

            await updater.start_polling(poll_interval=0, timeout=dtm.timedelta(seconds=1),
                                        allowed_updates=["message", "edited_message", "callback_query"],
                                        error_callback=polling_failed)
        yield RunningBot(api, bot, processor, store)


@dataclass
class Person:
    """One person in a private chat: every action waits until the bot has handled it."""

    running: RunningBot
    chat_id: int
    language_code: str = "fr"
    update_ids: list[int] = field(default_factory=list)

    @property
    def api(self) -> BotApiEmulator:
        return self.running.api

    async def _done(self, update_id: int) -> int:
        self.update_ids.append(update_id)
        await self.running.processed(update_id)
        return update_id

    async def send(self, text: str) -> int:
        return await self._done(self.api.user_sends_text(self.chat_id, text, language_code=self.language_code))

    async def reply(self, message_id: int, text: str) -> int:
        """Answer one of the bot's messages (a Telegram reply)."""
        return await self._done(self.api.user_sends_text(self.chat_id, text, language_code=self.language_code,
                                                         reply_to=message_id))

    async def send_kind(self, kind: str, **fields: Any) -> int:
        return await self._done(self.api.user_sends(self.chat_id, kind, language_code=self.language_code, **fields))

    async def edit(self, message_id: int, text: str) -> int:
        return await self._done(self.api.user_edits_text(self.chat_id, message_id, text))

    async def press(self, label: str, message_id: int | None = None) -> int:
        """Press the button whose text is or contains ``label``, on the live question (or ``message_id``)."""
        message = self.message(message_id) if message_id is not None else self.question
        return await self._done(self.api.user_presses(self.chat_id, message["message_id"], button(message, label)))

    async def press_data(self, message_id: int, data: str) -> int:
        return await self._done(self.api.user_presses(self.chat_id, message_id, data, language_code=self.language_code))

    # ---- reading ----
    @property
    def messages(self) -> list[JSON]:
        return self.api.messages(self.chat_id)

    def message(self, message_id: int) -> JSON:
        return next(m for m in self.messages if m["message_id"] == message_id)

    @property
    def question(self) -> JSON:
        """The bot's last message with a keyboard."""
        keyed = [m for m in self.messages if m.get("reply_markup")]
        assert keyed, f"no message with buttons in chat {self.chat_id}\n{self.api.dump()}"
        return keyed[-1]

    @property
    def with_keyboard(self) -> list[int]:
        return [m["message_id"] for m in self.messages if m.get("reply_markup")]

    @property
    def last_text(self) -> str:
        return str(self.messages[-1].get("text", ""))

    def texts_since(self, message_id: int) -> list[str]:
        return [str(m.get("text", "")) for m in self.messages if m["message_id"] > message_id]

    def labels(self, message: JSON | None = None) -> list[str]:
        rows = (message or self.question)["reply_markup"]["inline_keyboard"]
        return [b["text"] for row in rows for b in row]


def button(message: JSON, label: str) -> str:
    """The callback data of the button showing ``label`` (alone, after its emoji, or inside its text)."""
    buttons = [b for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row]
    for match in (lambda t: t == label, lambda t: t.endswith(f" {label}"), lambda t: label in t):
        found = [b for b in buttons if match(b["text"])]
        if found:
            return str(found[0]["callback_data"])
    raise AssertionError(f"no button {label!r} in message {message.get('message_id')}: "
                         f"{[b['text'] for b in buttons]}")


def forged_press(api: BotApiEmulator, chat_id: int, message_id: int, data: str) -> int:
    """A callback query with any data on any message, as a modified client could send (Telegram checks nothing)."""
    with api._lock:
        message = api._store.get(chat_id, {}).get(message_id)
        query_id = str(4_400_000_000_000_000 + next(api._ids))
        api._callbacks[query_id] = chat_id
        sender = {"id": chat_id, "is_bot": False, "first_name": "Test", "language_code": "fr"}
        return api.push_update({"callback_query": {
            "id": query_id, "from": sender, "chat_instance": "1",
            "message": copy.deepcopy(message) if message else {"chat": api._chats[chat_id], "message_id": message_id,
                                                                "date": 0},
            "data": data}})


class SlowEmulator(BotApiEmulator):
    """The emulator, answering some methods late (to catch the bot in the middle of an update)."""

    def __init__(self, delays: dict[str, float], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.delays = {name.lower(): delay for name, delay in delays.items()}
        self.received: list[str] = []

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"].lower()
        self.received.append(method)
        if method in self.delays:
            await asyncio.sleep(self.delays[method])
        return await super()._handle(request)
