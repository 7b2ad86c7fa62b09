"""A person on a phone talks to the real bot (PTB over HTTP to the emulator): buttons, typing, odd messages."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.channels.telegram import texts as TT
from bot.channels.telegram.callback import encode
from bot.content import Content
from bot.engine import texts as T
from bot.i18n import Translations
from tests.auxil.botapi import BotApiEmulator
from tests.auxil.telegram import Person, RunningBot, button, forged_press, running_bot

CHAT = 7001
QUESTIONS = "Je ne sais pas, posez-moi des questions"
"""The first question's way into the questionnaire (the other buttons are the needs)."""
TAP_TO_LIST = [QUESTIONS, "Oui, bien", "Oui, facilement", "Oui, facilement", "Non", "Non", "Oui, je le vois",
               "Choisir dans la liste", "Est Ensemble", "Bondy"]
NEEDS = ["🗣️ Apprendre le français", "📱 Téléphone et ordinateur", "♿ Santé ou handicap", "💡 Créer mon entreprise",
         "🤝 Retrouver mon référent", "💼 Trouver un emploi", f"❓ {QUESTIONS}"]
LIST_END = ["➕ Voir d'autres lieux", "✅ C'est bon, merci", "↩️", "🔄", "🌍", "🧑"]
AGAIN = "👇 Voir un autre lieu ? Appuyez sur son nom."


@pytest.fixture
async def bot(api: BotApiEmulator, tmp_path: Path, content: Content,
              translations: Translations) -> AsyncIterator[RunningBot]:
    async with running_bot(api, tmp_path / "bot.sqlite3", content, translations) as running:
        yield running


def no_errors(caplog: pytest.LogCaptureFixture) -> None:
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


async def test_start_then_a_press_edits_the_question_and_moves_on(bot: RunningBot, api: BotApiEmulator) -> None:
    ptb = bot.bot.application.bot  # TELEGRAM_API_URL is used for calls and for file downloads
    assert ptb.base_url == f"{api.base_url}/bot{ptb.token}"
    assert ptb.base_file_url == f"{api.base_url}/file/bot{ptb.token}"
    person = bot.person(CHAT)
    await person.send("/start")
    welcome, needs = person.messages
    assert welcome["text"].startswith("Bonjour 👋") and "reply_markup" not in welcome
    assert needs["text"] == "🧭 Que cherchez-vous ?"
    assert person.labels() == [*NEEDS, "🔄", "🌍", "🧑"]  # nothing to go back to yet
    assert [len(row) for row in needs["reply_markup"]["inline_keyboard"]] == [1] * 7 + [3]
    await person.press(QUESTIONS)
    assert person.message(needs["message_id"])["text"] == f"🧭 Que cherchez-vous ?\n→ ❓ {QUESTIONS}"
    question = person.question
    assert question["text"] == "🗣️ Vous parlez français ?"
    assert person.labels() == ["😀 Oui, bien", "🤏 Un peu", "🙅 Non, pas du tout", "↩️", "🔄", "🌍", "🧑"]
    rows = question["reply_markup"]["inline_keyboard"]
    assert [len(row) for row in rows] == [2, 1, 4]  # short labels share a row; the navigation is the last row
    await person.press("Un peu")
    assert len(api.answered_callbacks) == 2
    assert [c["params"].get("text") for c in api.calls("answerCallbackQuery")] == [None, None]
    assert person.message(question["message_id"]) == {**person.message(question["message_id"]),
                                                       "text": "🗣️ Vous parlez français ?\n→ 🤏 Un peu"}
    assert "reply_markup" not in person.message(question["message_id"])
    assert person.question["text"] == "📱 Vous utilisez facilement un téléphone ou un ordinateur ?"
    assert person.with_keyboard == [person.question["message_id"]]  # only the live question has buttons
    state = await bot.state(CHAT)
    assert state is not None and state.answers == {"besoin": "questions", "francais": "un-peu"}
    assert state.lang == "fr" and len(state.history) == 2
    methods = [c["method"] for c in api.sent(CHAT)]
    assert methods[-3:] == ["answerCallbackQuery", "editMessageText", "sendMessage"]  # answered first: no spinner


async def test_typing_instead_of_pressing_removes_the_old_buttons(bot: RunningBot) -> None:
    person = bot.person(CHAT)
    await person.send("/start")
    needs = person.question
    await person.send("je ne sais pas")
    old = person.message(needs["message_id"])
    assert old["text"] == "🧭 Que cherchez-vous ?" and "reply_markup" not in old
    assert person.with_keyboard == [person.question["message_id"]]
    first = person.question
    assert first["text"] == "🗣️ Vous parlez français ?"
    await person.send("un peu")
    old = person.message(first["message_id"])
    assert old["text"] == "🗣️ Vous parlez français ?" and "reply_markup" not in old
    assert person.with_keyboard == [person.question["message_id"]]
    assert person.question["text"].startswith("📱")


async def test_tapping_only_from_start_to_the_list_a_card_and_the_end(bot: RunningBot, api: BotApiEmulator,
                                                                      caplog: pytest.LogCaptureFixture) -> None:
    person = bot.person(CHAT)
    await person.send("/start")  # what Telegram sends when the START button is tapped
    before = person.messages[-1]["message_id"]
    for label in TAP_TO_LIST:
        await person.press(label)
    texts = person.texts_since(before)
    the_list = person.question
    assert texts[-2:] == ["C'est noté : Bondy.", the_list["text"]]
    assert the_list["text"].splitlines() == [
        "Voici 3 lieux pour vous 👇",
        "1. 💼 France Travail — pour chercher un emploi",
        "2. 💶 Caisse d'allocations familiales (CAF) — pour votre RSA",
        "3. 🎮 Yookan — pour découvrir des métiers",
        "",
        "👉 Appelez le 3949 pour joindre votre agence France Travail. Votre référent peut aussi vous aider.",
    ]  # one message, no wall of cards
    assert not [t for t in texts if "👉 Ce que vous pouvez faire" in t]
    assert person.labels() == ["💼 France Travail", "💶 CAF", "🎮 Yookan", *LIST_END]
    before = person.messages[-1]["message_id"]
    await person.press("Yookan")
    assert person.message(the_list["message_id"])["text"] == f"{the_list['text']}\n→ 🎮 Yookan"
    card, again = person.texts_since(before)
    lines = card.splitlines()
    assert lines[0] == "Yookan" and lines[1].startswith("Yookan vous fait essayer des métiers")
    assert lines[3].startswith("📍 ") and "Westfield Rosny 2" in lines[3]  # how to reach it comes first
    assert "👉 Ce que vous pouvez faire : Demandez les horaires de Yookan à votre référent" in card
    assert again == AGAIN and person.question["text"] == AGAIN
    assert person.labels() == ["💼 France Travail", "💶 CAF", "🎮 Yookan", *LIST_END]
    assert person.with_keyboard == [person.question["message_id"]]
    before = person.messages[-1]["message_id"]
    await person.press("France Travail")
    card, again = person.texts_since(before)
    assert card.startswith("France Travail\n") and "📞 Téléphone : 3949" in card and again == AGAIN
    before = person.messages[-1]["message_id"]
    await person.press("C'est bon, merci")
    (end,) = person.texts_since(before)
    assert end == ("👉 Votre prochaine étape : Appelez le 3949 pour joindre votre agence France Travail. "
                   "Votre référent peut aussi vous aider.\n\nMerci et bon courage ! 🍀 Écrivez « recommencer » "
                   "pour tout reprendre.")
    assert person.with_keyboard == []  # the conversation is over: no button left to press
    state = await bot.state(CHAT)
    assert state is not None and state.finished
    assert len(api.answered_callbacks) == len(TAP_TO_LIST) + 3
    assert [c for c in api.calls() if c["method"] == "sendMessage" and not c["ok"]] == []
    no_errors(caplog)


async def test_the_list_more_places_a_double_tap_on_a_place_and_an_old_list(bot: RunningBot,
                                                                            api: BotApiEmulator) -> None:
    person = bot.person(CHAT)
    await person.send("/start")
    for label in TAP_TO_LIST:
        await person.press(label)
    first_list = person.question
    await person.press("Voir d'autres lieux")
    more = person.question
    assert more["text"].startswith("Voici 4 lieux pour vous 👇\n")
    assert more["text"].splitlines()[4] == "4. 🏢 Votre Agence locale d'insertion — pour être accompagné vers un emploi"
    assert person.labels() == ["💼 France Travail", "💶 CAF", "🎮 Yookan", "🏢 Votre Agence locale d'insertion",
                               *LIST_END[1:]]  # nothing more to see
    assert person.with_keyboard == [more["message_id"]]
    data = button(more, "CAF")  # both taps leave before the bot answers
    first, second = (api.user_presses(CHAT, more["message_id"], data) for _ in range(2))
    await bot.processed(first, second)
    cards = [m["text"] for m in person.messages if m["text"].startswith("Caisse d'allocations familiales (CAF)\n")]
    assert len(cards) == 1 and "📞 Téléphone : 3230" in cards[0]  # the card once
    assert [m["text"] for m in person.messages].count(AGAIN) == 1
    assert [c["params"].get("text") for c in api.calls("answerCallbackQuery")][-2:] == [None, TT.ALREADY_ANSWERED]
    live = person.question
    before = len(person.messages)  # a button of the first list (a client that kept it): the current list again
    await bot.processed(forged_press(api, CHAT, first_list["message_id"], button(first_list, "Yookan")))
    assert len(person.messages) == before + 1 and person.question["text"] == more["text"]  # all 4 places
    current = person.question["message_id"]
    assert current != live["message_id"] and person.with_keyboard == [current]
    assert api.calls("answerCallbackQuery")[-1]["params"]["text"] == T.OLD_BUTTON
    assert not [m for m in person.messages if m["text"].startswith("Yookan\n")]  # the old button opened nothing
    state = await bot.state(CHAT)
    assert state is not None and state.step == "accueil:resultat" and state.shown == 4


async def test_a_double_tap_advances_once(bot: RunningBot, api: BotApiEmulator) -> None:
    person = bot.person(CHAT)
    await person.send("/start")
    question = person.question
    data = button(question, QUESTIONS)
    first = api.user_presses(CHAT, question["message_id"], data)  # both taps leave before the bot answers
    second = api.user_presses(CHAT, question["message_id"], data)
    await bot.processed(first, second)
    state = await bot.state(CHAT)
    assert state is not None and state.step == "accueil:francais" and len(state.history) == 1
    assert len(api.calls("editMessageText")) == 1
    assert [m["text"].startswith("🗣️") for m in person.messages].count(True) == 1
    toasts = [c["params"].get("text") for c in api.calls("answerCallbackQuery")]
    assert toasts == [None, TT.ALREADY_ANSWERED]


async def test_old_and_forged_buttons_get_the_current_question_again(bot: RunningBot, api: BotApiEmulator) -> None:
    person = bot.person(CHAT)
    await person.send("/start")
    await person.press(QUESTIONS)
    await person.press("Oui, bien")
    live = person.question
    stale = [encode("accueil:francais", 0), encode("accueil:besoin", 0), "garbage", "2|abcdef|0",
             encode("accueil:lecture", 99), "1|" + "é" * 30]
    for data in stale:
        before = len(person.messages)
        await bot.processed(forged_press(api, CHAT, live["message_id"], data))
        assert person.question["text"] == live["text"] and len(person.messages) == before + 1, data
        live = person.question
        assert person.with_keyboard == [live["message_id"]]
    state = await bot.state(CHAT)
    assert state is not None and state.step == "accueil:lecture" and len(state.history) == 2
    toasts = [c["params"].get("text") for c in api.calls("answerCallbackQuery")]
    assert toasts[-len(stale):] == [T.OLD_BUTTON] * len(stale)
    await bot.processed(forged_press(api, CHAT, 424242, encode("accueil:lecture", 0)))  # a message Telegram forgot
    assert person.question["text"] == live["text"]
    await person.press("Oui, facilement")  # the live question still works
    assert person.question["text"].startswith("📱")


async def test_anything_else_gets_a_kind_word_and_the_current_question(bot: RunningBot, api: BotApiEmulator,
                                                                      caplog: pytest.LogCaptureFixture) -> None:
    person = bot.person(CHAT)
    await person.send("/start")
    question = person.question["text"]
    kinds = ["photo", "sticker", "voice", "video", "video_note", "document", "audio", "animation", "contact",
             "poll", "dice"]
    for kind in kinds:
        before = person.messages[-1]["message_id"]
        await person.send_kind(kind)
        assert person.texts_since(before) == [T.UNSUPPORTED, question], kind
    mine = api.user_sends_text(CHAT, "bonjour")
    await bot.processed(mine)
    for text, notice in [("x" * 4096, TT.TOO_LONG), ("👍👍🙂", T.NOT_UNDERSTOOD)]:
        before = person.messages[-1]["message_id"]
        await person.send(text)
        assert person.texts_since(before) == [notice, question], text[:10]
    before = person.messages[-1]["message_id"]
    await person.edit(next(m["message_id"] for m in api._store[CHAT].values() if m.get("text") == "bonjour"), "oui")
    assert person.texts_since(before) == [TT.EDITED, question]
    state = await bot.state(CHAT)
    assert state is not None and state.step == "accueil:besoin" and not state.history
    assert person.with_keyboard == [person.question["message_id"]]
    no_errors(caplog)


async def test_a_shared_location_asks_to_type_the_town(bot: RunningBot) -> None:
    person = bot.person(CHAT)
    await person.send("/start")
    for label in TAP_TO_LIST[:7]:
        await person.press(label)
    before = person.messages[-1]["message_id"]
    await person.send_kind("location")
    said = person.texts_since(before)
    assert said[0] == T.LOCATION_UNKNOWN and said[1].startswith("🏠 Dans quelle ville")
    state = await bot.state(CHAT)
    assert state is not None and "commune" not in state.answers


async def test_referent_link_sets_code_language_and_theme(bot: RunningBot, translations: Translations) -> None:
    person = bot.person(CHAT, language_code="fr")
    await person.send("/start r-ALI93-07_l-ar_t-francais")
    state = await bot.state(CHAT)
    assert state is not None and (state.referent, state.lang, state.theme) == ("ALI93-07", "ar", "francais")
    assert person.question["text"].endswith(translations.gettext("ar", "Vous parlez français ?"))


@pytest.mark.parametrize("payload", ["r-", "!!bad", "x" * 65, "zz-1_qq", "l-xx", "t-inconnu"])
async def test_a_broken_link_starts_normally(bot: RunningBot, payload: str) -> None:
    person = bot.person(CHAT)
    await person.send(f"/start {payload}")
    state = await bot.state(CHAT)
    assert state is not None and (state.referent, state.lang, state.theme) == (None, "fr", None)
    assert person.question["text"] == "🧭 Que cherchez-vous ?"


async def test_the_first_message_starts_in_the_phone_language(bot: RunningBot, translations: Translations) -> None:
    person = bot.person(CHAT, language_code="pt-BR")
    await person.send("bonjour")  # not /start: it starts anyway, and is not taken as an answer
    state = await bot.state(CHAT)
    assert state is not None and state.lang == "pt" and state.step == "accueil:besoin" and not state.history
    assert person.question["text"].endswith(translations.gettext("pt", "Que cherchez-vous ?"))
    unsure: Person = bot.person(CHAT + 1, language_code="de")
    await unsure.send_kind("sticker")
    state = await bot.state(CHAT + 1)
    assert state is not None and state.pending is not None and state.pending.kind == "language"
    assert "Français" in unsure.labels()
