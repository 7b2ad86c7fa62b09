"""`python -m bot run`: the Telegram bot, by long polling or behind a reverse proxy with a webhook.

Every problem before the bot runs is one sentence on stderr and an exit code ≠ 0 (2: a setting, 1: the
content or Telegram itself); never a traceback, never the token.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from ..config import ConfigError, Settings
from .common import content_dir, load_or_explain

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def run_bot(args: argparse.Namespace) -> int:
    os.environ.setdefault("PTB_TIMEDELTA", "true")  # before telegram is imported: no deprecation warnings
    from telegram.error import InvalidToken, NetworkError

    from ..channels.telegram import TelegramBot, TelegramSettings, configure_logging
    from ..contact import ContactSettings, with_staff_chat
    from ..i18n import Translations
    from ..reload import ContentLibrary
    from ..retention import RetentionPolicy
    from ..service import Conversations
    from ..store import SQLiteStore, StoreError
    from .common import engine_maker
    from .stats_reply import stats_reply

    try:
        settings = Settings.from_env()
        telegram = TelegramSettings.from_env(webhook_url=args.webhook_url, listen=args.listen, port=args.port)
        contact = ContactSettings.from_env()
        retention = RetentionPolicy.from_env()
        level = os.environ.get("BOT_LOG_LEVEL", "INFO").strip().upper() or "INFO"
        if level not in LOG_LEVELS:
            raise ConfigError(f"BOT_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not '{level}'.")
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    root = content_dir(args.content)
    content = load_or_explain(root)
    if content is None:
        return 1
    try:
        contact.check(with_staff_chat(content.routing, contact.staff_chat))
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    configure_logging(level, telegram.secrets)
    library = ContentLibrary.start(root, content, Translations(), engine_maker(settings, contact))
    store = SQLiteStore(args.database or settings.database)
    conversations = Conversations(library, store, request_days=round(retention.request_days),
                                  session_days=round(retention.session_days))
    bot = TelegramBot(telegram, conversations, admins=settings.admins, library=library,
                      stats=stats_reply(store, library), contact=contact, retention=retention)
    mode = f"webhook {telegram.webhook_url}" if telegram.webhook_url else "long polling"
    logging.getLogger("bot").info("starting (%s, content %s, database %s)", mode, content.version, store.path)
    try:
        bot.run()
    except StoreError as exc:
        print(exc, file=sys.stderr)
        return 1
    except InvalidToken:
        print("Telegram refused TELEGRAM_BOT_TOKEN: copy the token again from @BotFather.", file=sys.stderr)
        return 1
    except NetworkError as exc:
        print(f"Cannot reach the Telegram Bot API at {telegram.api_url} ({type(exc).__name__}): check the network "
              f"or TELEGRAM_API_URL.", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"Cannot listen on {telegram.listen}:{telegram.port} for the webhook ({exc.strerror}).", file=sys.stderr)
        return 1
    return 0
