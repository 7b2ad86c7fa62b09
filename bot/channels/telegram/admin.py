"""Admin commands (/stats, /gaps, /version, /reload) for the Telegram user ids of BOT_ADMINS, and the admins'
messages after a content reload.

Anyone else who types one of these commands gets exactly what an unknown command gets: the commands are not
announced in the menu and their existence is not revealed. Admins read French (the Département's staff);
every dynamic value is escaped.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import TelegramError

from ...content.gaps import find_gaps, format_gaps
from ...content.opening_hours import PARIS
from ...reload import ContentLibrary, ReloadResult
from ...reload.library import summary
from .render import escape, split_html

log = logging.getLogger(__name__)
ADMIN_COMMANDS = frozenset({"stats", "gaps", "version", "reload"})
StatsReply = Callable[[int], Awaitable[tuple[str, bytes | None]]]
"""(days) → the figures as a short text, and a chart image (PNG) or None."""


def _when(at: float) -> str:
    return datetime.fromtimestamp(at, PARIS).strftime("%d/%m/%Y %H:%M")


class AdminDesk:
    def __init__(self, admins: frozenset[int], library: ContentLibrary | None, stats: StatsReply | None = None) -> None:
        self.admins = admins
        self.library = library
        self.stats = stats
        self._failing = False
        if library is not None:
            library.listeners.append(self.after_reload)
        self.bot: Bot | None = None
        """Set when the Application starts: used to tell admins about reloads that no command asked for."""

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.admins

    async def command(self, bot: Bot, chat_id: int, name: str, argument: str) -> None:
        if name == "version":
            await self._send(bot, chat_id, self.version())
        elif name == "reload":
            if self.library is None:
                await self._send(bot, chat_id, "Le rechargement n'est pas disponible ici.")
                return
            result = await self.library.reload("/reload")
            if result.ok:  # a refusal reaches every admin through after_reload
                await self._send(bot, chat_id, summary(result))
        elif name == "gaps":
            content = self.library.current.content if self.library else None
            if content is None:
                await self._send(bot, chat_id, "Le rapport n'est pas disponible ici.")
                return
            await self._send(bot, chat_id, format_gaps(find_gaps(content, datetime.now(PARIS).date())))
        elif name == "stats":
            await self._stats(bot, chat_id, argument)

    async def _stats(self, bot: Bot, chat_id: int, argument: str) -> None:
        days = int(argument) if argument.strip() in ("7", "30", "365") else 30
        if self.stats is None:
            await self._send(bot, chat_id, "Les statistiques ne sont pas disponibles ici.")
            return
        text, chart = await self.stats(days)
        await self._send(bot, chat_id, text)
        if chart:
            try:
                await bot.send_photo(chat_id, chart, caption=escape(f"Statistiques sur {days} jours"),
                                     parse_mode=ParseMode.HTML)
            except TelegramError as error:
                log.warning("stats chart not sent: %s", type(error).__name__)

    def version(self) -> str:
        if self.library is None:
            return "Version du contenu : inconnue (pas de rechargement dans ce mode)."
        current, last = self.library.current, self.library.last
        lines = [f"Version du contenu : {current.content.version}", f"Chargée le {_when(current.loaded_at)}."]
        if last is None:
            lines.append("Aucun rechargement depuis le démarrage.")
        else:
            state = "réussi" if last.ok else f"refusé ({len(last.errors)} erreur(s))"
            lines.append(f"Dernier rechargement ({last.reason}) le {_when(last.at)} : {state}.")
        return "\n".join(lines)

    async def after_reload(self, result: ReloadResult) -> None:
        """Tell every admin when a reload fails, and when content works again after a failure."""
        if result.ok and not self._failing:
            return
        self._failing = not result.ok
        if self.bot is None:
            return
        for admin in sorted(self.admins):
            await self._send(self.bot, admin, summary(result))

    async def _send(self, bot: Bot, chat_id: int, text: str) -> None:
        try:
            for part in split_html(escape(text)):
                await bot.send_message(chat_id, part, parse_mode=ParseMode.HTML)
        except TelegramError as error:  # an admin who never opened the bot, or blocked it
            log.warning("admin message not sent: %s", type(error).__name__)
