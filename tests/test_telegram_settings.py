"""Settings from the environment, log redaction and the retry policy: each problem in one clear sentence."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Iterator

import httpx
import pytest
from telegram.error import BadRequest, NetworkError, TimedOut

from bot.channels.telegram import TelegramSettings, clean_username, configure_logging, install_redaction
from bot.channels.telegram.ordering import PerChatUpdateProcessor
from bot.channels.telegram.retry import worth_retrying
from bot.config import ConfigError, Settings
from tests.auxil.botapi import DEFAULT_TOKEN

TOKEN = DEFAULT_TOKEN
SECRET_HALF = TOKEN.partition(":")[2]


def test_defaults_and_overrides() -> None:
    settings = TelegramSettings.from_env({"TELEGRAM_BOT_TOKEN": f" {TOKEN} "})
    assert (settings.token, settings.api_url, settings.webhook_url) == (TOKEN, "https://api.telegram.org", None)
    assert settings.base_url == "https://api.telegram.org/bot"
    assert settings.base_file_url == "https://api.telegram.org/file/bot"
    local = TelegramSettings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": "http://127.0.0.1:8081/",
                                       "TELEGRAM_WEBHOOK_SECRET": "s3cret_-", "TELEGRAM_WEBHOOK_PORT": "8000"},
                                      webhook_url="https://bot.example.org/telegram/hook", listen="0.0.0.0")
    assert local.base_url == "http://127.0.0.1:8081/bot" and local.base_file_url == "http://127.0.0.1:8081/file/bot"
    assert (local.listen, local.port, local.url_path) == ("0.0.0.0", 8000, "telegram/hook")
    assert TOKEN not in repr(local) and "s3cret" not in repr(local)
    assert Settings.from_env({"BOT_ADMINS": "12, 34"}).admins == frozenset({12, 34})


@pytest.mark.parametrize(("env", "says"), [
    ({}, "TELEGRAM_BOT_TOKEN is not set"),
    ({"TELEGRAM_BOT_TOKEN": "not a token"}, "does not look like a bot token"),
    ({"TELEGRAM_API_URL": "127.0.0.1:8081"}, "TELEGRAM_API_URL must be a web address"),
    ({"TELEGRAM_WEBHOOK_URL": "https://bot.example.org/hook"}, "needs TELEGRAM_WEBHOOK_SECRET"),
    ({"TELEGRAM_WEBHOOK_URL": "http://bot.example.org/hook", "TELEGRAM_WEBHOOK_SECRET": "x"}, "must start with https"),
    ({"TELEGRAM_WEBHOOK_SECRET": "with space"}, "only letters, digits"),
    ({"TELEGRAM_WEBHOOK_PORT": "eighty"}, "port must be a number"),
    ({"TELEGRAM_WEBHOOK_PORT": "70000"}, "port must be a number"),
])
def test_each_bad_setting_is_one_sentence_without_the_token(env: dict[str, str], says: str) -> None:
    full = {"TELEGRAM_BOT_TOKEN": TOKEN, **env} if env else {}
    with pytest.raises(ConfigError, match=says) as info:
        TelegramSettings.from_env(full)
    assert TOKEN not in str(info.value) and str(info.value).count(". ") <= 1


def test_usernames() -> None:
    assert clean_username("@rsa93_bot") == clean_username("rsa93_bot") == "rsa93_bot"
    with pytest.raises(ConfigError, match="not a Telegram bot username"):
        clean_username("t.me/x")


@pytest.fixture
def root_logging() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved = (list(root.handlers), root.level, logging.getLogger("httpx").level)
    stream = io.StringIO()
    try:
        configure_logging("DEBUG", [TOKEN, "webhook_s3cret"])
        root.handlers[0].setStream(stream)  # type: ignore[attr-defined]
        yield stream
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        logging.getLogger("httpx").setLevel(saved[2])


def test_the_token_never_reaches_the_log(root_logging: io.StringIO) -> None:
    url = f"https://api.telegram.org/bot{TOKEN}/getUpdates"
    logging.getLogger("telegram.ext").debug("calling %s", url)
    logging.getLogger("bot").info("half %s and encoded %s", SECRET_HALF, TOKEN.replace(":", "%3A"))
    logging.getLogger("httpx").info("HTTP Request: POST %s", url)  # silenced: below WARNING
    try:
        raise RuntimeError(f"failed on {url} with webhook_s3cret")
    except RuntimeError:
        logging.getLogger("bot").exception("boom")
    written = root_logging.getvalue()
    assert "calling https://api.telegram.org/bot<redacted>/getUpdates" in written
    assert "HTTP Request" not in written and "boom" in written and "Traceback" in written
    assert SECRET_HALF not in written and "webhook_s3cret" not in written
    assert install_redaction([]).secrets == []


@pytest.mark.parametrize(("error", "endpoint", "retried"), [
    (NetworkError("Bad Gateway"), "sendMessage", True),  # Telegram answered 5xx: nothing was done
    (BadRequest("message is not modified"), "editMessageText", False),
    (TimedOut(), "sendMessage", False),  # may have arrived: sending again could show it twice
    (TimedOut(), "editMessageText", True),  # doing it twice is harmless
    (TimedOut(), "answerCallbackQuery", True),
])
def test_retry_policy(error: NetworkError, endpoint: str, retried: bool) -> None:
    assert worth_retrying(error, endpoint) is retried


@pytest.mark.parametrize(("cause", "attempt", "retried"), [
    (httpx.ConnectError("refused"), 1, True), (httpx.PoolTimeout("pool"), 1, True),
    (httpx.ConnectTimeout("t"), 1, True), (httpx.ReadTimeout("read"), 0, False), (httpx.ReadError("reset"), 0, False),
    (httpx.RemoteProtocolError("Server disconnected without sending a response."), 0, True),  # most likely unread
    (httpx.RemoteProtocolError("Server disconnected without sending a response."), 1, False),  # once only
])
def test_a_message_is_sent_again_only_when_it_most_likely_never_arrived(cause: Exception, attempt: int,
                                                                         retried: bool) -> None:
    error = TimedOut() if isinstance(cause, httpx.TimeoutException) else NetworkError(f"httpx.{type(cause).__name__}")
    error.__cause__ = cause
    assert worth_retrying(error, "sendMessage", attempt) is retried
    assert worth_retrying(error, "editMessageText", attempt)  # doing it twice is harmless


async def test_updates_of_one_chat_run_in_order_and_chats_run_together() -> None:
    """Many updates of two chats at once: each chat's run strictly in arrival order, the chats interleaved."""
    from telegram import Chat, Message, Update

    processor = PerChatUpdateProcessor(8)
    log: list[tuple[int, int, str]] = []

    async def work(chat: int, n: int) -> None:
        log.append((chat, n, "start"))
        await asyncio.sleep(0.001 * ((n * 7) % 5))
        log.append((chat, n, "end"))

    def update(chat: int, n: int) -> Update:
        return Update(n, message=Message(n, None, Chat(chat, "private")))  # type: ignore[arg-type]

    tasks = [asyncio.create_task(processor.process_update(update(c, n), work(c, n)))
             for n in range(40) for c in (1, 2)]
    await asyncio.gather(*tasks)
    for chat in (1, 2):
        events = [(n, what) for c, n, what in log if c == chat]
        assert events == [(n, what) for n in range(40) for what in ("start", "end")]
    assert log[:2] == [(1, 0, "start"), (2, 0, "start")]  # the second chat did not wait for the first
    assert processor.active_chats == 0
