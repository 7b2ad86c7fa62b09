"""Sending to one chat: quiet about a person who blocked the bot, tolerant of edits that no longer apply."""

from __future__ import annotations

import logging
from contextlib import suppress

from telegram import (
    Bot,
    CallbackQuery,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from ...engine import Place

log = logging.getLogger(__name__)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


class ChatSender:
    """Everything the adapter sends to one chat during one update.

    After a Forbidden (the person blocked the bot, or left), nothing more is tried for this update: no retry,
    no error. Logged at INFO without the chat id or any text.
    """

    def __init__(self, bot: Bot, chat_id: int) -> None:
        self.bot = bot
        self.chat_id = chat_id
        self.blocked = False

    def _forbidden(self, error: Forbidden) -> None:
        if not self.blocked:
            log.info("a reply was not delivered: the person blocked the bot or left the chat")
        self.blocked = True

    async def send(self, html: str,
                   keyboard: InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None = None,
                   ) -> Message | None:
        if self.blocked:
            return None
        try:
            return await self.bot.send_message(self.chat_id, html, parse_mode=ParseMode.HTML, reply_markup=keyboard,
                                               link_preview_options=NO_PREVIEW)
        except Forbidden as error:
            self._forbidden(error)
            return None

    async def venue(self, place: Place) -> None:
        if self.blocked or place.latitude is None or place.longitude is None:
            return
        try:
            await self.bot.send_venue(self.chat_id, place.latitude, place.longitude, place.title,
                                      place.address or place.title)
        except Forbidden as error:
            self._forbidden(error)

    async def edit(self, message_id: int, html: str) -> None:
        """Replace a message's text and drop its keyboard (an answered question)."""
        if self.blocked:
            return
        try:
            await self.bot.edit_message_text(html, self.chat_id, message_id, parse_mode=ParseMode.HTML,
                                             link_preview_options=NO_PREVIEW)
        except Forbidden as error:
            self._forbidden(error)
        except BadRequest as error:  # too old to edit, deleted, already like this: the history just stays
            log.debug("question not edited: %s", error.message)

    async def remove_keyboard(self, message_id: int) -> None:
        if self.blocked:
            return
        try:
            await self.bot.edit_message_reply_markup(self.chat_id, message_id, reply_markup=None)
        except Forbidden as error:
            self._forbidden(error)
        except BadRequest as error:
            log.debug("keyboard not removed: %s", error.message)


async def answer_query(query: CallbackQuery, toast: str | None = None) -> None:
    """Stop the button's spinner; a query older than Telegram keeps (about 15 minutes) just cannot be answered."""
    with suppress(BadRequest, Forbidden):
        await query.answer(toast[:200] if toast else None)
