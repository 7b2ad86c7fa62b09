"""The Bot API emulator, proven against python-telegram-bot's real HTTP stack."""

from __future__ import annotations

import asyncio
import datetime as dtm
import threading
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MaybeInaccessibleMessage,
    Update,
)
from telegram.error import BadRequest, Conflict, EndPointNotFound, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from tests.auxil.botapi import DEFAULT_TOKEN, BotApiEmulator

CHAT = 555001


@pytest.fixture
def api() -> Iterator[BotApiEmulator]:
    with BotApiEmulator() as emulator:
        yield emulator
    assert not [t for t in threading.enumerate() if t.name == "botapi-emulator"]


def make_bot(api: BotApiEmulator, token: str = DEFAULT_TOKEN) -> Bot:
    return Bot(token, base_url=f"{api.base_url}/bot", base_file_url=f"{api.base_url}/file/bot")


@pytest.fixture
async def bot(api: BotApiEmulator) -> AsyncIterator[Bot]:
    async with make_bot(api) as bot:
        yield bot


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d, callback_data=d) for d in data]])


async def test_get_me(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456789, "rsa93_test_bot", True)


async def test_send_message_returns_a_real_message(api: BotApiEmulator, bot: Bot) -> None:
    first = await bot.send_message(CHAT, "Bonjour <b>Léa</b> &amp; co", parse_mode="HTML", reply_markup=keyboard("a"))
    second = await bot.send_message(CHAT, "123")
    assert (first.chat.id, first.chat.type, first.text, second.text) == (CHAT, "private", "Bonjour Léa & co", "123")
    assert first.entities[0].type == "bold" and (first.entities[0].offset, first.entities[0].length) == (8, 3)
    assert isinstance(first.date, dtm.datetime)
    assert abs(first.date - dtm.datetime.now(dtm.UTC)) < dtm.timedelta(seconds=5)
    assert second.message_id == first.message_id + 1 and first.from_user and first.from_user.is_bot
    assert first.reply_markup == keyboard("a")
    sent = api.sent(CHAT)
    assert [(c["method"], c["message_id"]) for c in sent] == [("sendMessage", 1), ("sendMessage", 2)]
    assert sent[0]["params"]["reply_markup"] == keyboard("a").to_dict()
    assert sent[1]["params"]["text"] == "123" and isinstance(api.messages(CHAT)[0]["date"], int)


async def test_edits(api: BotApiEmulator, bot: Bot) -> None:
    message = await bot.send_message(CHAT, "v1", reply_markup=keyboard("a", "b"))
    edited = await bot.edit_message_text("v2", CHAT, message.message_id, reply_markup=keyboard("c"))
    assert not isinstance(edited, bool) and edited.text == "v2" and edited.edit_date is not None
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("v2", CHAT, message.message_id, reply_markup=keyboard("c"))
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("v3", CHAT, 999)
    await bot.edit_message_text("v3", CHAT, message.message_id)  # no reply_markup: Telegram drops the keyboard
    assert api.messages(CHAT)[0]["text"] == "v3" and "reply_markup" not in api.messages(CHAT)[0]
    await bot.edit_message_reply_markup(CHAT, message.message_id, reply_markup=keyboard("d"))
    assert api.messages(CHAT)[0]["reply_markup"] == keyboard("d").to_dict()
    assert await bot.edit_message_text("x", inline_message_id="AAAA") is True


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("<b>bold", 'end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("revenu < 500 €", 'Unsupported start tag "" at byte offset 7'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
    ],
)
async def test_bad_html_is_rejected(bot: Bot, text: str, error: str) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities") as info:
        await bot.send_message(CHAT, text, parse_mode="HTML")
    assert error.lower() in info.value.message.lower()  # PTB strips "Bad Request: " and capitalize()s


async def test_html_entities_and_nesting(bot: Bot) -> None:
    html = '<a href="https://caf.fr">CAF</a> &lt;3 &quot;<i><u>x</u></i>&quot; <pre><code class="language-py">1</code>'
    html += "</pre>"
    message = await bot.send_message(CHAT, f"  {html}\n", parse_mode="HTML")
    assert message.text == 'CAF <3 "x" 1'
    assert [(e.type, e.offset, e.length) for e in message.entities] == [
        ("text_link", 0, 3), ("italic", 8, 1), ("underline", 8, 1), ("pre", 11, 1)
    ]  # fmt: skip
    assert message.entities[0].url == "https://caf.fr" and message.entities[3].language == "py"


async def test_text_limits_and_button_data(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(CHAT, " <b></b> ", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(CHAT, "é" * 4097)
    await bot.send_message(CHAT, "é" * 4096, reply_markup=keyboard("x" * 64))
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(CHAT, "hi", reply_markup=keyboard("é" * 33))


async def test_wrong_token_and_unknown_method(api: BotApiEmulator, bot: Bot) -> None:
    with pytest.raises(InvalidToken, match="rejected by the server"):
        async with make_bot(api, "42:wrong"):
            pass
    async with httpx.AsyncClient() as client:
        wrong = await client.post(f"{api.base_url}/bot42:wrong/getMe")
        unknown = await client.post(f"{api.base_url}/bot{DEFAULT_TOKEN}/sendTelepathy", json={"chat_id": 1})
    assert (wrong.status_code, wrong.json()) == (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    assert unknown.status_code == 404 and unknown.json()["description"] == "Not Found: method not found"
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy")


async def test_blocked_chat_is_forbidden(api: BotApiEmulator, bot: Bot) -> None:
    api.block_chat(CHAT)
    api.block_chat(-100)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(CHAT, "hi")
    with pytest.raises(Forbidden, match="kicked"):
        await bot.send_chat_action(-100, "typing")
    api.unblock_chat(CHAT)
    await bot.send_message(CHAT, "hi")
    assert [c["ok"] for c in api.calls("sendMessage")] == [False, True]


async def test_fault_injection(api: BotApiEmulator, bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # else RetryAfter() itself emits a PTBDeprecationWarning
    api.fail_next("sendMessage", retry_after=3)
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(CHAT, "hi")
    assert info.value.retry_after == dtm.timedelta(seconds=3)
    api.fail_next("sendmessage", 502, count=2)
    for _ in range(2):
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(CHAT, "hi")
    assert (await bot.send_message(CHAT, "hi")).message_id == 1
    assert api.calls("sendMessage")[0]["response"] == {
        "ok": False, "error_code": 429, "description": "Too Many Requests: retry after 3",
        "parameters": {"retry_after": 3},
    }  # fmt: skip


async def test_location_venue_action_commands(api: BotApiEmulator, bot: Bot) -> None:
    venue = await bot.send_venue(CHAT, 48.91, 2.45, "France Travail", "1 rue X, 93000 Bobigny")
    location = await bot.send_location(CHAT, 48.9, 2.4)
    assert venue.venue and venue.venue.title == "France Travail" and location.location
    assert location.location.latitude == 48.9
    assert await bot.send_chat_action(CHAT, "typing")
    with pytest.raises(BadRequest):
        await bot.send_chat_action(CHAT, "dancing")
    scope = BotCommandScopeAllPrivateChats()
    assert await bot.set_my_commands([BotCommand("aide", "Aide")], scope=scope, language_code="fr")
    assert await bot.get_my_commands() == ()
    assert await bot.get_my_commands(scope=scope, language_code="fr") == (BotCommand("aide", "Aide"),)
    assert api.commands(scope.to_dict(), "fr") == [{"command": "aide", "description": "Aide"}]
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Aide", "x")])
    assert await bot.delete_my_commands(scope=scope, language_code="fr")
    assert api.commands(scope.to_dict(), "fr") == []


async def test_uploads_and_downloads(api: BotApiEmulator, bot: Bot) -> None:
    photo = await bot.send_photo(CHAT, b"\x89PNG fake", caption="<i>Plan</i>", parse_mode="HTML")
    assert photo.caption == "Plan" and photo.caption_entities[0].type == "italic"
    assert isinstance(api.sent(CHAT)[0]["params"]["photo"].content, bytes)
    assert await (await bot.get_file(photo.photo[-1].file_id)).download_as_bytearray() == b"\x89PNG fake"
    document = await bot.send_document(CHAT, b"%PDF", filename="cerfa.pdf")
    assert document.document and document.document.file_name == "cerfa.pdf"
    again = await bot.send_document(CHAT, document.document.file_id)
    assert again.document and again.document.file_size == 4
    with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
        await bot.get_file("nope")


async def test_user_updates_parse_in_ptb(api: BotApiEmulator, bot: Bot) -> None:
    kinds = ["photo", "sticker", "voice", "video", "video_note", "document", "audio", "contact", "location",
             "animation", "poll", "dice"]  # fmt: skip
    ids = [api.user_sends(CHAT, kind) for kind in kinds]
    ids.append(api.user_sends(CHAT, "location", latitude=48.5, chat_type="group", user_id=7))
    ids.append(api.user_sends_text(CHAT, "/start abc", language_code="ar"))
    ids.append(api.user_edits_text(CHAT, 1 + len(kinds) + 1, "/start edited"))
    updates = await bot.get_updates(timeout=0)
    assert [u.update_id for u in updates] == ids
    for kind, update in zip(kinds, updates, strict=False):
        assert update.message and getattr(update.message, kind), kind
    assert updates[12].message and updates[12].message.location and updates[12].message.location.latitude == 48.5
    assert updates[12].effective_chat and updates[12].effective_chat.type == "group"
    command = updates[13].message
    assert command and command.entities[0].type == "bot_command" and command.entities[0].length == 6
    assert command.from_user and command.from_user.language_code == "ar"
    assert updates[14].edited_message and updates[14].edited_message.text == "/start edited"
    file = await bot.get_file(updates[1].message.sticker.file_id)  # type: ignore[union-attr]
    assert await file.download_as_bytearray() == b"fake sticker bytes"


async def test_long_polling(api: BotApiEmulator, bot: Bot) -> None:
    assert await bot.get_updates(timeout=dtm.timedelta(milliseconds=100)) == ()
    loop = asyncio.get_running_loop()
    loop.call_later(0.1, lambda: threading.Thread(target=api.user_sends_text, args=(CHAT, "yo")).start())
    started = loop.time()
    (update,) = await bot.get_updates(timeout=5)
    assert loop.time() - started < 2 and update.message and update.message.text == "yo"
    assert len(await bot.get_updates(timeout=0)) == 1  # not confirmed yet
    assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()
    first = asyncio.create_task(bot.get_updates(timeout=5))  # PTB allows one getUpdates per bot: use two bots
    await asyncio.sleep(0.1)
    async with make_bot(api) as other:
        await other.get_updates(timeout=0)  # a newer poll terminates the older one, like Telegram
    with pytest.raises(Conflict, match="terminated by other getUpdates"):
        await first
    await bot.set_webhook("https://example.org/hook")
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates(timeout=0)
    assert (await bot.get_webhook_info()).url == "https://example.org/hook"
    assert await bot.delete_webhook()


async def test_groups_replies_deletes_and_stale_buttons(api: BotApiEmulator, bot: Bot) -> None:
    api.user_sends_text(-1001, "/aide@rsa93_test_bot", chat_type="supergroup", user_id=77)
    (update,) = await bot.get_updates(timeout=0)
    assert update.effective_chat and update.effective_chat.type == "supergroup" and update.effective_user
    assert update.effective_user.id == 77 and update.message
    reply = await update.message.reply_text("Bonjour", do_quote=True)
    assert reply.reply_to_message and reply.reply_to_message.message_id == update.message.message_id == 1
    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await bot.send_message(-1001, "x", reply_to_message_id=99)
    assert await bot.delete_message(-1001, reply.message_id) and api.messages(-1001) == []
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(-1001, reply.message_id)
    api.user_presses(CHAT, 42, "old")  # unknown message: Telegram sends an inaccessible one (date 0)
    (update,) = await bot.get_updates(offset=update.update_id + 1, timeout=0)
    query = update.callback_query  # PTB 22.8 parses it as a Message whose is_accessible is False
    assert query and query.message and not query.message.is_accessible and query.message.message_id == 42
    assert await query.answer()
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await query.answer()


async def test_stop_answers_pending_long_polls() -> None:
    api = BotApiEmulator().start()
    async with make_bot(api) as bot:
        poll = asyncio.create_task(bot.get_updates(timeout=30))
        await asyncio.sleep(0.1)
        started = asyncio.get_running_loop().time()
        api.stop()
        assert await poll == () and asyncio.get_running_loop().time() - started < 2
    api.stop()  # idempotent
    assert not [t for t in threading.enumerate() if t.name == "botapi-emulator"]


async def test_wait_for_times_out_with_a_dump(api: BotApiEmulator, bot: Bot) -> None:
    await bot.send_message(CHAT, "visible in dump")
    with pytest.raises(AssertionError, match="visible in dump"):
        await api.wait_for(lambda: len(api.sent(CHAT)) > 1, timeout=0.1)


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message and update.effective_message.text
    await update.effective_message.reply_text(update.effective_message.text.upper(), reply_markup=keyboard("ok"))


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query and isinstance(query.message, MaybeInaccessibleMessage) and query.chat_instance
    await query.answer()
    await query.edit_message_text(f"pressed {query.data}")


async def test_application_end_to_end(api: BotApiEmulator) -> None:
    app = (
        ApplicationBuilder().token(DEFAULT_TOKEN).base_url(f"{api.base_url}/bot")
        .base_file_url(f"{api.base_url}/file/bot").build()
    )  # fmt: skip
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.add_handler(CallbackQueryHandler(pressed))
    await app.initialize()
    await app.start()
    assert app.updater
    await app.updater.start_polling(poll_interval=0, timeout=dtm.timedelta(seconds=1))
    try:
        api.user_sends_text(CHAT, "bonjour")
        reply = (await api.wait_for(lambda: api.sent(CHAT)))[0]
        assert (reply["method"], reply["params"]["text"], reply["message_id"]) == ("sendMessage", "BONJOUR", 2)
        api.user_presses(CHAT, 2, "ok")
        await api.wait_for(lambda: api.calls("editMessageText"))
        await api.wait_until_idle()
        assert len(api.answered_callbacks) == 1 and api.messages(CHAT)[0]["text"] == "pressed ok"
        assert [c["method"] for c in api.sent(CHAT)] == ["sendMessage", "answerCallbackQuery", "editMessageText"]
        with pytest.raises(ValueError, match="no button"):
            api.user_presses(CHAT, 2, "ko")
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
    async with make_bot(api) as bot:
        assert await bot.get_updates(timeout=0) == ()  # PTB confirmed everything on shutdown
