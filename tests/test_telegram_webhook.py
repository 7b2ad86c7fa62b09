"""Webhook mode: PTB's own server on 127.0.0.1 takes updates only with Telegram's secret header."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import httpx

from bot.channels.telegram import TelegramBot, TelegramSettings
from bot.content import Content
from bot.engine import Engine
from bot.i18n import Translations
from bot.service import Conversations
from bot.store import SQLiteStore
from tests.auxil.botapi import DEFAULT_TOKEN, BotApiEmulator

SECRET = "hook_secret-123"
CHAT = 7301


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_update(update_id: int) -> dict[str, object]:
    user = {"id": CHAT, "is_bot": False, "first_name": "Test", "language_code": "fr"}
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": int(time.time()), "chat": {"id": CHAT, "type": "private", "first_name": "T"},
        "from": user, "text": "/start", "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}


async def test_only_requests_with_the_secret_are_processed(api: BotApiEmulator, tmp_path: Path, content: Content,
                                                           translations: Translations) -> None:
    port = free_port()
    settings = TelegramSettings(token=DEFAULT_TOKEN, api_url=api.base_url, webhook_url="https://bot.example.org/tg",
                                webhook_secret=SECRET, listen="127.0.0.1", port=port)
    store = SQLiteStore(tmp_path / "bot.sqlite3")
    bot = TelegramBot(settings, Conversations(Engine(content, translations), store))
    options = bot.webhook_options()
    assert (options["url_path"], options["secret_token"], options["listen"]) == ("tg", SECRET, "127.0.0.1")
    async with bot:
        assert bot.application.updater is not None
        await bot.application.updater.start_webhook(**options)
        assert (await bot.application.bot.get_webhook_info()).url == "https://bot.example.org/tg"
        url = f"http://127.0.0.1:{port}/tg"
        async with httpx.AsyncClient(timeout=5) as client:
            missing = await client.post(url, json=start_update(1))
            wrong = await client.post(url, json=start_update(2), headers={"X-Telegram-Bot-Api-Secret-Token": "nope"})
            await api.wait_until_idle(quiet=0.2)
            assert (missing.status_code, wrong.status_code) == (403, 403)
            assert api.sent(CHAT) == [] and await store.load(f"telegram:{CHAT}") is None
            right = await client.post(url, json=start_update(3), headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
            assert right.status_code == 200
            await api.wait_for(lambda: len(api.sent(CHAT)) == 2, what="the welcome and the first question")
        assert await store.load(f"telegram:{CHAT}") is not None
