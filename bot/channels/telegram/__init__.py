"""The Telegram channel: a thin adapter between python-telegram-bot and the engine (see docs/telegram.md)."""

from .app import ALLOWED_UPDATES, MENU, TelegramBot
from .handlers import TelegramAdapter, chat_key
from .logs import configure_logging, install_redaction
from .ordering import PerChatUpdateProcessor
from .retry import RetryingRateLimiter
from .settings import TelegramSettings, clean_username

__all__ = [
    "ALLOWED_UPDATES", "MENU", "PerChatUpdateProcessor", "RetryingRateLimiter", "TelegramAdapter", "TelegramBot",
    "TelegramSettings", "chat_key", "clean_username", "configure_logging", "install_redaction",
]
