"""The PTB Application: real HTTP to Telegram (or a local Bot API server), per-chat order, rate limits,
the command menu in every shipped language, and an error handler that keeps the person on their question."""

from __future__ import annotations

import asyncio
import logging
import re
import signal
import traceback
from types import TracebackType
from typing import Any

from telegram import BotCommand, Update
from telegram.error import NetworkError, TelegramError
from telegram.ext import Application, ApplicationBuilder, BaseUpdateProcessor, ContextTypes, TypeHandler

from ...contact import ContactSettings, Deliverer, EmailDeliverer, OutboxSender
from ...i18n import SOURCE_LANGUAGE, Translations
from ...reload import ContentLibrary, ReloadResult, watch_content
from ...retention import RetentionJob, RetentionPolicy
from ...service import Conversations
from ...store import StoreUnavailable
from . import texts as TT
from .admin import AdminDesk, StatsReply
from .delivery import PersonDeliverer, StaffDeliverer
from .handlers import TelegramAdapter
from .ordering import DEFAULT_CONCURRENCY, PerChatUpdateProcessor
from .retry import RetryingRateLimiter
from .settings import TelegramSettings
from .staff import StaffRoom

log = logging.getLogger(__name__)
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
MENU = (
    ("start", TT.CMD_START), ("aide", TT.CMD_HELP), ("recommencer", TT.CMD_RESTART), ("retour", TT.CMD_BACK),
    ("langue", TT.CMD_LANGUAGE), ("contact", TT.CMD_CONTACT), ("annuler", TT.CMD_CANCEL), ("oubli", TT.CMD_FORGET),
    ("confidentialite", TT.CMD_PRIVACY),
)
"""The command menu (/start, /aide …); descriptions come from the catalogs."""
_TELEGRAM_LANGUAGE = re.compile(r"[a-z]{2}")
SENDER_STOP_SECONDS = 10.0


class TelegramBot:
    """Owns the Application and the store's life: open on start, closed after the last update finished."""

    def __init__(self, settings: TelegramSettings, conversations: Conversations, *,
                 admins: frozenset[int] = frozenset(), processor: BaseUpdateProcessor | None = None,
                 limiter: RetryingRateLimiter | None = None, library: ContentLibrary | None = None,
                 stats: StatsReply | None = None, watch: bool = True, contact: ContactSettings | None = None,
                 retention: RetentionPolicy | None = None, outbox_poll: float = 60.0) -> None:
        self.settings = settings
        self.conversations = conversations
        self.admins = admins
        """Telegram user ids of the admins (BOT_ADMINS): /stats, /gaps, /version, /reload, reload errors."""
        self.library = library
        self.watch = watch and library is not None
        self.admin = AdminDesk(admins, library, stats)
        self.contact = contact or ContactSettings()
        processor = processor or PerChatUpdateProcessor(DEFAULT_CONCURRENCY)
        deliverers: dict[str, Deliverer] = {}
        self.outbox = OutboxSender(conversations.store, deliverers, admins=admins, retention=None,
                                   poll_every=outbox_poll)
        """Delivers the requests and their notices that the steps wrote (bot/contact/sender.py)."""
        self.retention = RetentionJob(conversations.store, retention or RetentionPolicy(
            request_days=self.contact.retention.closed_days, request_open_days=self.contact.retention.open_days),
            after=lambda _: self.outbox.wake())
        """Deletes what is kept too long (bot/retention): conversations, raw events, requests."""
        conversations.on_outbox = self.outbox.wake
        self.staff = StaffRoom(conversations, self.outbox.wake)
        self.adapter = TelegramAdapter(conversations, self.admin, self.staff)
        self.outbox.deliverers.update({
            "telegram": StaffDeliverer(lambda: self.application.bot, conversations.store),
            "person": PersonDeliverer(self.adapter, lambda: self.application.bot,
                                      processor if isinstance(processor, PerChatUpdateProcessor) else None),
        })
        if self.contact.smtp is not None:
            self.outbox.deliverers["email"] = EmailDeliverer(self.contact.smtp)
        self._background: list[asyncio.Task[None]] = []
        self._sending: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()
        self.application: Application[Any, Any, Any, Any, Any, Any] = (
            ApplicationBuilder()
            .token(settings.token)
            .base_url(settings.base_url)
            .base_file_url(settings.base_file_url)
            .rate_limiter(limiter or RetryingRateLimiter())
            .concurrent_updates(processor)
            .post_init(self._post_init)
            .post_shutdown(self._post_shutdown)
            .build()
        )
        self.application.add_handler(TypeHandler(Update, self.adapter.on_update))
        self.application.add_error_handler(self.on_error)

    @property
    def translations(self) -> Translations:
        return self.conversations.engine.t

    # ---- life cycle -----------------------------------------------------------------------------------------
    async def _post_init(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        await self.conversations.store.open()
        await self.register_commands()
        self.admin.bot = application.bot
        self._stop = asyncio.Event()
        self._sending = asyncio.create_task(self.outbox.run(), name="outbox-sender")
        self._background.append(asyncio.create_task(self.retention.run(), name="retention"))
        if self.library is not None:
            self.library.listeners.append(self._after_reload)
            if self.watch:
                self._background.append(asyncio.create_task(watch_content(self.library, self._stop),
                                                            name="content-watch"))
            self._on_hangup()
        log.info("bot @%s ready", application.bot.username)

    async def _post_shutdown(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        self._stop.set()
        self.retention.stop()
        if self._sending is not None:  # the delivery in progress finishes and is recorded, then the store closes
            self.outbox.stop()
            try:
                await asyncio.wait_for(self._sending, timeout=SENDER_STOP_SECONDS)
            except (TimeoutError, asyncio.CancelledError):
                log.warning("the outbox sender did not stop in time: what it was sending is sent again later")
            self._sending = None
        for task in self._background:
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        self._background.clear()
        if self.library is not None and self._after_reload in self.library.listeners:
            self.library.listeners.remove(self._after_reload)
        await self.conversations.store.close()
        log.info("store closed")

    def _on_hangup(self) -> None:
        """SIGHUP reloads the content (as `kill -HUP` or `systemctl reload` send it)."""
        library = self.library
        if library is None or not hasattr(signal, "SIGHUP"):
            return
        async def reload() -> None:
            await library.reload("SIGHUP")

        loop = asyncio.get_running_loop()
        try:
            loop.add_signal_handler(signal.SIGHUP, lambda: self._background.append(
                asyncio.create_task(reload(), name="reload-sighup")))
        except (NotImplementedError, RuntimeError, ValueError):  # not the main thread (tests), or no signals
            log.debug("SIGHUP handler not installed")

    async def _after_reload(self, result: ReloadResult) -> None:
        if result.ok and result.changed:
            await self.register_commands()  # the menu follows the new catalogs

    async def __aenter__(self) -> TelegramBot:
        """For tests and embedding: initialise and start (updates are fed by the caller's updater)."""
        await self.application.initialize()
        try:
            await self._post_init(self.application)
            await self.application.start()
        except BaseException:
            await self.application.shutdown()
            await self.conversations.store.close()
            raise
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        tb: TracebackType | None) -> None:
        updater = self.application.updater
        if updater is not None and updater.running:
            await updater.stop()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()
        await self._post_shutdown(self.application)

    def run(self) -> None:
        """Long polling, or the webhook server when a webhook URL is set, until SIGINT or SIGTERM.

        On a stop signal PTB stops taking updates, lets the ones in progress finish, then the store closes.
        The token is checked first (getMe), so a refused token is one exception here, not a logged traceback.
        """
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)  # PTB's run_* takes the current loop
        try:
            loop.run_until_complete(self.application.initialize())
        except BaseException:
            loop.close()
            raise
        if self.settings.webhook_url:
            self.application.run_webhook(**self.webhook_options())
        else:
            self.application.run_polling(allowed_updates=ALLOWED_UPDATES)

    def webhook_options(self) -> dict[str, Any]:
        """PTB's webhook server behind a reverse proxy: Telegram must send the secret in its header."""
        s = self.settings
        return {"listen": s.listen, "port": s.port, "url_path": s.url_path, "webhook_url": s.webhook_url,
                "secret_token": s.webhook_secret, "allowed_updates": ALLOWED_UPDATES}

    # ---- commands, errors ----------------------------------------------------------------------------------------
    async def register_commands(self) -> None:
        """The menu in French by default, and in each shipped language for phones set to it."""
        t, bot = self.translations, self.application.bot
        try:
            await bot.set_my_commands([BotCommand(name, t.gettext(SOURCE_LANGUAGE, text)) for name, text in MENU])
            for code in t.codes:
                if _TELEGRAM_LANGUAGE.fullmatch(code):
                    await bot.set_my_commands([BotCommand(name, t.gettext(code, text)) for name, text in MENU],
                                              language_code=code)
        except TelegramError as error:  # the bot still works without a menu
            log.warning("command menu not registered: %s", type(error).__name__)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log the error type and update id (never a text or the token), then keep the person on their step."""
        error = context.error
        update_id = update.update_id if isinstance(update, Update) else None
        if update is None and isinstance(error, NetworkError):
            log.warning("Telegram unreachable: %s", type(error).__name__)
            return
        if isinstance(error, StoreUnavailable):  # a staff group's update: nobody to tell, nothing was written
            log.warning("update %s not handled: %s", update_id, error)
            return
        frames = "".join(traceback.format_tb(error.__traceback__)[-6:]) if error else ""
        log.error("update %s failed: %s\n%s", update_id, type(error).__name__, frames.rstrip())
        if not isinstance(update, Update):
            return
        try:
            await self.adapter.apologise(update, context.bot)
        except Exception as again:
            log.warning("could not answer after an error: %s", type(again).__name__)
