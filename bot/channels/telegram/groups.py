"""Groups, supergroups and channels: the conversation is personal, so the bot only invites people to write
to it privately — when it is addressed, at most once per group every few minutes — and stores nothing."""

from __future__ import annotations

import time
from collections.abc import Callable

from telegram import Bot, Update
from telegram.error import TelegramError

from ...i18n import SOURCE_LANGUAGE, Translations
from . import texts as TT
from .incoming import addresses_bot
from .keyboards import link_keyboard
from .render import escape
from .sender import ChatSender, answer_query

QUIET_SECONDS = 600.0
MAX_REMEMBERED = 10_000


class GroupGreeter:
    def __init__(self, translations: Callable[[], Translations], *, quiet_seconds: float = QUIET_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._translations = translations
        """The current catalogs (they change with a content reload)."""
        self.quiet = quiet_seconds
        self.clock = clock
        self._last: dict[int, float] = {}

    @property
    def t(self) -> Translations:
        return self._translations()

    async def on_update(self, update: Update, bot: Bot) -> None:
        if update.callback_query is not None:
            await answer_query(update.callback_query)
            return
        message, chat = update.message, update.effective_chat
        if message is None or chat is None or not addresses_bot(message, bot.username, bot.id):
            return
        if not self._may_speak(chat.id):
            return
        user = update.effective_user
        lang = self.t.negotiate(user.language_code if user else None) or SOURCE_LANGUAGE
        text = escape(self.t.gettext(lang, TT.GROUP_PRIVATE))
        keyboard = link_keyboard(self.t.gettext(lang, TT.GROUP_BUTTON), f"https://t.me/{bot.username}")
        try:
            await ChatSender(bot, chat.id).send(text, keyboard if bot.username else None)
        except TelegramError:  # a group that forbids the bot to write: nothing to do
            return

    def _may_speak(self, chat_id: int) -> bool:
        now = self.clock()
        last = self._last.get(chat_id)
        if last is not None and now - last < self.quiet:
            return False
        if len(self._last) >= MAX_REMEMBERED:
            self._last = {k: v for k, v in self._last.items() if now - v < self.quiet}
        self._last[chat_id] = now
        return True
