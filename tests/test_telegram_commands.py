"""Commands in the menu of every language, /oubli that really erases, /confidentialite, and group chats."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.channels.telegram import MENU
from bot.channels.telegram import texts as TT
from bot.content import Content
from bot.engine import texts as T
from bot.i18n import Translations
from tests.auxil.botapi import BotApiEmulator
from tests.auxil.telegram import RunningBot, button, forged_press, running_bot
from tests.test_telegram_conversation import QUESTIONS

CHAT = 7101


@pytest.fixture
async def bot(api: BotApiEmulator, tmp_path: Path, content: Content,
              translations: Translations) -> AsyncIterator[RunningBot]:
    async with running_bot(api, tmp_path / "bot.sqlite3", content, translations) as running:
        yield running


def rows(database: Path, table: str) -> list[str]:
    with sqlite3.connect(database) as db:
        return [str(key) for (key,) in db.execute(f"SELECT chat_key FROM {table}")]


async def test_the_command_menu_is_registered_in_french_and_every_shipped_language(
        bot: RunningBot, api: BotApiEmulator, translations: Translations) -> None:
    names = ["start", "aide", "recommencer", "retour", "langue", "contact", "annuler", "oubli", "confidentialite"]
    default = api.commands()
    assert [c["command"] for c in default] == names
    assert default[7]["description"] == "Effacer mes réponses"
    assert len(translations.codes) > 1
    for code in translations.codes:
        menu = api.commands(language_code=code)
        assert [c["description"] for c in menu] == [translations.gettext(code, text) for _, text in MENU], code


async def test_help_restart_back_language_contact(bot: RunningBot, content: Content,
                                                  translations: Translations) -> None:
    person = bot.person(CHAT)
    await person.send("/start")
    await person.press(QUESTIONS)
    await person.press("Un peu")
    before = person.messages[-1]["message_id"]
    await person.send("/aide")
    help_text = content.intents["help"].message or ""
    assert person.texts_since(before)[0] == help_text and person.question["text"].startswith("📱")
    before = person.messages[-1]["message_id"]
    await person.send("/contact")
    human = " ".join((content.intents["human"].message or "").split())
    assert "01 43 93 93 93" in human  # written for people; Telegram gets the international form, tappable
    assert person.texts_since(before)[0] == human.replace("01 43 93 93 93", "+33143939393")
    await person.send("/retour")
    assert person.question["text"] == "🗣️ Vous parlez français ?"
    await person.press("Non, pas du tout")
    before = person.messages[-1]["message_id"]
    await person.send("/recommencer")
    said = person.texts_since(before)
    assert said[0].startswith(T.RESTARTED) and said[-1] == "🧭 Que cherchez-vous ?"
    state = await bot.state(CHAT)
    assert state is not None and state.answers == {} and not state.history
    await person.send("/langue")
    assert "العربية" in person.labels()
    await person.press("العربية")
    state = await bot.state(CHAT)
    assert state is not None and state.lang == "ar"
    assert person.question["text"].endswith(translations.gettext("ar", "Que cherchez-vous ?"))


async def test_privacy_says_what_is_kept_and_stores_nothing_new(bot: RunningBot, api: BotApiEmulator) -> None:
    stranger = bot.person(CHAT + 1)
    await stranger.send("/confidentialite")
    (text,) = [m["text"] for m in stranger.messages]
    assert text.startswith(TT.PRIVACY_TITLE) and "/oubli" in text and TT.PRIVACY_NOT_SOLD in text
    assert rows(Path(bot.store.path), "sessions") == [] and rows(Path(bot.store.path), "channel_data") == []
    person = bot.person(CHAT)
    await person.send("/start")
    before = person.messages[-1]["message_id"]
    await person.send("/confidentialite")
    said = person.texts_since(before)
    assert said[0].startswith(TT.PRIVACY_TITLE) and said[1] == "🧭 Que cherchez-vous ?"


async def test_forget_asks_then_really_erases(bot: RunningBot, api: BotApiEmulator) -> None:
    database = Path(bot.store.path)
    nobody = bot.person(CHAT + 1)
    await nobody.send("/oubli")
    assert nobody.last_text == TT.FORGET_NOTHING and rows(database, "sessions") == []
    person = bot.person(CHAT)
    await person.send("/start")
    await person.press(QUESTIONS)
    await person.press("Un peu")
    await person.send("/oubli")
    assert person.question["text"] == f"{TT.FORGET_ASK}\n{TT.FORGET_ASK_NOTE}"
    assert person.labels() == [f"🗑️ {TT.FORGET_YES}", f"↩️ {TT.FORGET_NO}"]
    await person.press(TT.FORGET_NO)
    assert person.texts_since(0)[-2] == TT.FORGET_KEPT and person.question["text"].startswith("📱")
    assert rows(database, "sessions") == [f"telegram:{CHAT}"]
    await person.send("/oubli")
    confirm = person.question
    await person.press(TT.FORGET_YES)
    assert person.message(confirm["message_id"])["text"].endswith(f"→ 🗑️ {TT.FORGET_YES}")
    assert person.last_text == f"{TT.FORGET_DONE}\n{TT.FORGET_AGAIN}"
    assert rows(database, "sessions") == [] and rows(database, "channel_data") == []
    assert person.with_keyboard == []
    await bot.processed(forged_press(api, CHAT, confirm["message_id"], button(confirm, TT.FORGET_YES)))  # again
    assert api.calls("answerCallbackQuery")[-1]["params"]["text"] == TT.FORGET_AGAIN
    assert rows(database, "sessions") == []  # an old button does not start a new conversation
    await person.send("/start")
    state = await bot.state(CHAT)
    assert state is not None and state.answers == {} and state.referent is None


async def test_groups_get_one_line_inviting_a_private_chat_and_nothing_is_stored(
        bot: RunningBot, api: BotApiEmulator, translations: Translations) -> None:
    group = -100777
    first = api.user_sends_text(group, "/start@rsa93_test_bot", chat_type="group", user_id=55)
    again = api.user_sends_text(group, "/aide", chat_type="group", user_id=56)
    chatter = api.user_sends_text(group, "bonjour tout le monde", chat_type="group", user_id=57)
    other = api.user_sends_text(-100888, "@rsa93_test_bot bonjour", chat_type="supergroup", user_id=58,
                                language_code="pt")
    elsewhere = api.user_sends_text(-100999, "/aide@another_bot", chat_type="supergroup", user_id=59)
    await bot.processed(first, again, chatter, other, elsewhere)
    (reply,) = api.messages(group)
    assert reply["text"] == TT.GROUP_PRIVATE
    assert reply["reply_markup"]["inline_keyboard"][0][0]["url"] == "https://t.me/rsa93_test_bot"
    assert [m["text"] for m in api.messages(-100888)] == [translations.gettext("pt", TT.GROUP_PRIVATE)]
    assert api.messages(-100999) == []  # a command for another bot
    assert rows(Path(bot.store.path), "sessions") == [] and rows(Path(bot.store.path), "channel_data") == []
