"""The outbox's Telegram deliverers (bot/contact/sender.py runs them).

- ``StaffDeliverer`` (channel ``telegram``): a new request is one message in the team's group, with its buttons;
  a change of status edits that message; a withdrawn or expired request is edited down to one line without any
  personal data; the person's messages go into the request's thread (a reply to its message); admins' alerts go
  to each admin privately.
- ``PersonDeliverer`` (channel ``person``): a staff reply, or « a person took your request », is one step of the
  person's conversation (the engine says it in their language), run as one of the chat's updates so that it
  never interleaves with what the person is doing.

A Telegram error says whether to try again: the bot removed from the group, a chat that does not exist, a
person who blocked the bot are not temporary (the admins are told, or the item to the person is dropped);
network errors and time-outs are.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from html import escape
from typing import TYPE_CHECKING, Protocol

from telegram import Bot, InlineKeyboardMarkup, Message, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError

from ...contact import DeliveryError, notice_text, read_notice, relay_html, staff_html
from ...engine import Event, RequestUpdate, StaffReply
from ...store import OutboxItem, Store
from .sender import NO_PREVIEW
from .staff import staff_keyboard

if TYPE_CHECKING:
    from .handlers import TelegramAdapter

log = logging.getLogger(__name__)
GONE = ("message to edit not found", "message is not modified", "message can't be edited")
"""Edits that need nothing more: staff deleted the message, it already says this, or it is too old."""


def _error(error: TelegramError, what: str) -> DeliveryError:
    if isinstance(error, Forbidden):
        return DeliveryError(f"{what}: Telegram forbids it ({error.message}); is the bot still in the chat?",
                             temporary=False)
    if isinstance(error, BadRequest):
        return DeliveryError(f"{what}: Telegram refused it ({error.message})", temporary=False)
    return DeliveryError(f"{what}: {type(error).__name__}", temporary=True)


class StaffDeliverer:
    """Deliverer of the ``telegram`` channel: the teams' groups and the admins."""

    def __init__(self, bot: Callable[[], Bot], store: Store) -> None:
        self._bot = bot
        self.store = store

    @property
    def bot(self) -> Bot:
        return self._bot()

    async def deliver(self, item: OutboxItem) -> str | None:
        chat = int(item.target)
        notice = read_notice(item)
        ref = notice.ref or ""
        try:
            if item.kind == "admin":
                return await self._send(chat, escape(notice.text or ""))
            if item.kind == "new" and notice.record is not None:
                return await self._send(chat, staff_html(notice.record), staff_keyboard(notice.record))
            if item.kind in ("taken", "closed", "cancelled") and notice.record is not None:
                messages = await self._messages(ref, chat)
                for message_id in messages[:1]:  # the request's own message; the thread's stay as they are
                    await self._edit(chat, message_id, staff_html(notice.record), staff_keyboard(notice.record))
                if item.kind == "cancelled":  # said in the thread too, so that nobody calls
                    await self._send(chat, escape(notice_text("cancelled", ref)), reply_to=messages[:1])
                return None
            if item.kind in ("withdrawn", "expired"):
                line = escape(notice_text(item.kind, ref, was=notice.was))
                for message_id in notice.staff_messages:
                    await self._edit(chat, message_id, line, None)
                if notice.was is None:  # it was still to be handled: say so where staff look
                    await self._send(chat, line)
                return None
            if item.kind == "relay":
                messages = await self._messages(ref, chat)
                return await self._send(chat, relay_html(ref, notice.first_name, notice.text or ""),
                                        reply_to=messages[:1])
        except TelegramError as error:
            raise _error(error, f"{item.kind} {ref or 'alert'} to the chat {chat}") from None
        raise DeliveryError(f"an outbox item the staff chats cannot show: {item.kind}", temporary=False)

    async def _messages(self, ref: str, chat: int) -> list[int]:
        """The request's messages in this chat, oldest first: the request itself (the sender delivers a request's
        items in order), then the thread's (what the person wrote, passed on)."""
        return [message for chat_id, message in await self.store.staff_messages(ref) if chat_id == chat]

    async def _send(self, chat: int, html: str, keyboard: InlineKeyboardMarkup | None = None, *,
                    reply_to: list[int] | None = None) -> str:
        reply = ReplyParameters(reply_to[0], allow_sending_without_reply=True) if reply_to else None
        sent: Message = await self.bot.send_message(chat, html, parse_mode=ParseMode.HTML, reply_markup=keyboard,
                                                    reply_parameters=reply, link_preview_options=NO_PREVIEW)
        return str(sent.message_id)

    async def _edit(self, chat: int, message_id: int, html: str, keyboard: InlineKeyboardMarkup | None) -> None:
        try:
            await self.bot.edit_message_text(html, chat, message_id, parse_mode=ParseMode.HTML, reply_markup=keyboard,
                                             link_preview_options=NO_PREVIEW)
        except BadRequest as error:
            if not any(gone in error.message.lower() for gone in GONE):
                raise
            log.debug("staff message not edited: %s", error.message)


class ChatSerialiser(Protocol):
    def serialised(self, chat: int) -> contextlib.AbstractAsyncContextManager[None]: ...


@contextlib.asynccontextmanager
async def _free(chat: int) -> AsyncIterator[None]:
    yield


class PersonDeliverer:
    """Deliverer of the ``person`` channel: what staff did or wrote, told to the person in their conversation."""

    def __init__(self, adapter: TelegramAdapter, bot: Callable[[], Bot], chats: ChatSerialiser | None = None) -> None:
        self.adapter = adapter
        self._bot = bot
        self.chats = chats

    async def deliver(self, item: OutboxItem) -> str | None:
        from .handlers import CHAT_PREFIX, ChatSession

        if not item.target.startswith(CHAT_PREFIX) or not item.target[len(CHAT_PREFIX):].lstrip("-").isdigit():
            raise DeliveryError(f"not a Telegram conversation: {item.target.partition(':')[0]}", temporary=False)
        chat_id = int(item.target[len(CHAT_PREFIX):])
        notice = read_notice(item)
        ref = notice.ref or ""
        event: Event
        if item.kind == "relay":
            event = StaffReply(ref, notice.text or "")
        elif item.kind in ("taken", "closed"):
            event = RequestUpdate(ref, item.kind)
        else:
            raise DeliveryError(f"an outbox item the person cannot be shown: {item.kind}", temporary=False)
        serialised = self.chats.serialised(chat_id) if self.chats is not None else _free(chat_id)
        async with serialised:
            session = ChatSession(self.adapter, self._bot(), chat_id, None)
            try:
                told = await session.tell(event)
            except TelegramError as error:
                raise _error(error, f"{item.kind} {ref} to the person") from None
        if session.sender.blocked:
            raise DeliveryError("the person blocked the bot or left the chat", temporary=False)
        if not told:
            log.info("outbox: %s %s not shown: the conversation was erased", item.kind, ref)
        return None
