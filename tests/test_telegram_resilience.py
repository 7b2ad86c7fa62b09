"""Restarts, content changes, Telegram's 429 and 5xx, blocked people and errors: no reply lost or doubled."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.channels.telegram import RetryingRateLimiter
from bot.channels.telegram import texts as TT
from bot.content import Content, load_content
from bot.engine import Engine
from bot.engine import texts as T
from bot.i18n import Translations
from tests.auxil.botapi import DEFAULT_TOKEN, BotApiEmulator
from tests.auxil.telegram import running_bot
from tests.test_telegram_conversation import AGAIN, QUESTIONS, TAP_TO_LIST
from tests.test_telegram_render import NASTY, nasty_content

CHAT = 7201
PRIVATE = "words typed by the person"


def sent_texts(api: BotApiEmulator, chat: int) -> list[str]:
    return [c["params"]["text"] for c in api.sent(chat) if c["method"] == "sendMessage"]


async def test_a_restart_mid_conversation_continues_with_the_old_buttons(
        api: BotApiEmulator, tmp_path: Path, content: Content, translations: Translations) -> None:
    database = tmp_path / "bot.sqlite3"
    async with running_bot(api, database, content, translations) as first:
        person = first.person(CHAT)
        await person.send("/start")
        await person.press(QUESTIONS)
        await person.press("Un peu")
        old_question = person.question
    async with running_bot(api, database, content, translations) as second:
        person = second.person(CHAT)
        await person.press("C'est difficile", message_id=old_question["message_id"])
        assert person.message(old_question["message_id"])["text"].endswith("→ 😟 C'est difficile")
        assert person.question["text"].startswith("♿")
        await person.send("non")  # typing works too
        assert person.question["text"].startswith("💡")
        state = await second.state(CHAT)
        assert state is not None and state.answers == {"besoin": "questions", "francais": "un-peu",
                                                       "numerique": "difficile", "handicap": "non"}
    async with running_bot(api, database, content, translations) as third:  # a stale press after a restart
        person = third.person(CHAT)
        await person.press("Oui", message_id=person.question["message_id"])
        assert person.question["text"].startswith("🤝")


async def test_buttons_of_an_older_content_version_restart_kindly(
        api: BotApiEmulator, tmp_path: Path, content: Content, translations: Translations,
        edit: Callable[[str, str, str], Path], content_copy: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    async with running_bot(api, database, content, translations) as first:
        person = first.person(CHAT)
        await person.send("/start")
        await person.press(QUESTIONS)
        await person.press("Un peu")
        old_question = person.question
    assert old_question["text"].startswith("📱")
    edit("flows/accueil.yaml", "  - id: numerique\n    question:", "  - id: numerique-v2\n    save: numerique\n"
         "    question:")
    edit("flows/accueil.yaml", "      - next: numerique\n", "      - next: numerique-v2\n")
    changed = load_content(content_copy)
    assert changed.version != content.version
    async with running_bot(api, database, changed, translations) as second:
        person = second.person(CHAT)
        before = person.messages[-1]["message_id"]
        await person.press("Un peu", message_id=old_question["message_id"])
        said = person.texts_since(before)
        assert said[0].startswith(T.CONTENT_CHANGED) and said[-1] == "🧭 Que cherchez-vous ?"


async def test_a_429_is_waited_out_and_the_reply_arrives_exactly_once(
        api: BotApiEmulator, tmp_path: Path, content: Content, translations: Translations) -> None:
    async with running_bot(api, tmp_path / "bot.sqlite3", content, translations) as bot:
        person = bot.person(CHAT)
        api.fail_next("sendMessage", 429, retry_after=1)
        await person.send("/start")
        attempts = [c for c in api.calls("sendMessage") if c["chat_id"] == CHAT]
        assert [c["ok"] for c in attempts] == [False, True, True]
        texts = sent_texts(api, CHAT)
        assert len(texts) == 2 and texts[0].startswith("Bonjour") and texts[1] == "🧭 Que cherchez-vous ?"


async def test_5xx_are_retried_a_bounded_number_of_times(
        api: BotApiEmulator, tmp_path: Path, content: Content, translations: Translations,
        caplog: pytest.LogCaptureFixture) -> None:
    limiter = RetryingRateLimiter(network_retries=2, backoff=0.01)
    async with running_bot(api, tmp_path / "bot.sqlite3", content, translations, limiter=limiter) as bot:
        person = bot.person(CHAT)
        api.fail_next("sendMessage", 502, count=2)
        api.fail_next("editMessageText", 500)
        await person.send("/start")
        first = person.question["message_id"]
        await person.press(QUESTIONS)
        assert len(sent_texts(api, CHAT)) == 3  # welcome, question, next question: each once
        assert person.message(first)["text"].endswith(f"→ ❓ {QUESTIONS}")
        assert [c["ok"] for c in api.calls("editMessageText")] == [False, True]
        api.fail_next("sendMessage", 500, count=3)  # more failures than retries: given up, logged, not looping
        with caplog.at_level(logging.INFO):
            await person.press("Un peu")
        assert len([c for c in api.calls("sendMessage") if not c["ok"]]) == 5
        ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("bot"))
        assert "failed: NetworkError" in ours and DEFAULT_TOKEN not in ours


async def test_a_person_who_blocked_the_bot_is_left_alone(
        api: BotApiEmulator, tmp_path: Path, content: Content, translations: Translations,
        caplog: pytest.LogCaptureFixture) -> None:
    async with running_bot(api, tmp_path / "bot.sqlite3", content, translations) as bot:
        person = bot.person(CHAT)
        await person.send("/start")
        api.block_chat(CHAT)
        with caplog.at_level(logging.INFO):
            await person.send("je ne sais pas")
            await person.send("un peu")
            await person.send("facile")
        failed = [c for c in api.calls() if c["chat_id"] == CHAT and not c["ok"]]
        assert len(failed) == 3  # one attempt per update, no retries, nothing after the first refusal
        assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
        blocked = [r.getMessage() for r in caplog.records if "blocked" in r.getMessage()]
        assert blocked and all(str(CHAT) not in m and "facile" not in m and "sais pas" not in m for m in blocked)
        state = await bot.state(CHAT)
        assert state is not None and state.step == "accueil:handicap"  # the answers still count


async def test_an_error_is_logged_without_text_and_the_person_gets_the_current_question(
        api: BotApiEmulator, tmp_path: Path, content: Content, translations: Translations,
        caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    async with running_bot(api, tmp_path / "bot.sqlite3", content, translations) as bot:
        person = bot.person(CHAT)
        await person.send("/start")
        original = Engine.handle

        def broken(self: Engine, *args: object, **kwargs: object) -> object:
            monkeypatch.setattr(Engine, "handle", original)
            raise RuntimeError(PRIVATE)

        monkeypatch.setattr(Engine, "handle", broken)
        before = person.messages[-1]["message_id"]
        with caplog.at_level(logging.INFO):
            update_id = await person.send("mon adresse privée")
        assert person.texts_since(before) == [TT.ERROR, "🧭 Que cherchez-vous ?"]
        (record,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
        message = record.getMessage()
        assert f"update {update_id} failed: RuntimeError" in message
        ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("bot"))
        assert "adresse privée" not in ours and PRIVATE not in ours and DEFAULT_TOKEN not in ours
        assert record.exc_info is None
        await person.press(QUESTIONS)  # and the conversation goes on
        assert person.question["text"].startswith("🗣️")


async def test_a_list_and_cards_with_html_looking_text_a_tappable_phone_and_a_venue(
        api: BotApiEmulator, tmp_path: Path, translations: Translations,
        edit: Callable[[str, str, str], Path], content_copy: Path) -> None:
    nasty_content(edit)
    content = load_content(content_copy)
    async with running_bot(api, tmp_path / "bot.sqlite3", content, translations) as bot:
        person = bot.person(CHAT)
        await person.send("/start")
        for label in TAP_TO_LIST:
            await person.press(label)
        lines = person.question["text"].splitlines()
        assert lines[3] == f"3. 🎮 {NASTY} — pour découvrir des métiers"  # the name, escaped, reads back exactly
        assert f"🎮 {NASTY}" in person.labels()
        await person.press(NASTY)
        (card,) = [m for m in person.messages if m.get("text", "").startswith(NASTY)]
        yookan = card["text"]
        assert '<b>Pas du gras</b> & "guillemets".' in yookan
        assert yookan.splitlines()[3] == "📞 Téléphone : +33143939393"  # first, in the form Telegram makes tappable
        assert "01 43 93 93 93" not in yookan and "Marché & co" in yookan
        links = [e["url"] for e in card["entities"] if e["type"] == "text_link"]
        assert [u.startswith("https://www.openstreetmap.org/search?query=3+rue+") for u in links] == [True]
        assert not [m for m in person.messages if "venue" in m]  # a street address without coordinates: a map link
        await person.press("France Travail")
        (venue,) = [m for m in person.messages if "venue" in m]
        assert venue["venue"]["title"] == "France Travail" and venue["location"]["latitude"] == 48.9064
        assert venue["venue"]["address"] == "1 rue de la Paix, 93000 Bobigny"
        messages = person.messages
        france_travail = next(i for i, m in enumerate(messages) if m.get("text", "").startswith("France Travail\n"))
        assert "venue" in messages[france_travail + 1]  # the venue right under its card
        assert messages[france_travail + 2]["text"] == AGAIN and messages[-1] == person.question  # then the list
        assert not [c for c in api.calls() if not c["ok"]]


async def test_a_press_on_a_question_the_bot_had_no_time_to_note_answers_it(
        api: BotApiEmulator, tmp_path: Path, content: Content, translations: Translations) -> None:
    """kill -9 after a question is sent, before the chat's record notes it: its buttons still answer it."""
    async with running_bot(api, tmp_path / "bot.sqlite3", content, translations) as bot:
        person = bot.person(CHAT)
        await person.send("/start")
        await person.press(QUESTIONS)
        earlier = await bot.store.load_channel_data(f"telegram:{CHAT}")
        await person.press("Un peu")
        assert earlier is not None
        await bot.store.save_channel_data(f"telegram:{CHAT}", earlier, 0.0)  # as if the bot died before noting it
        question = person.question
        assert question["text"].startswith("📱")
        await person.press("C'est difficile")
        assert person.message(question["message_id"])["text"].endswith("→ 😟 C'est difficile")
        assert person.question["text"].startswith("♿") and person.with_keyboard == [person.question["message_id"]]
        state = await bot.state(CHAT)
        assert state is not None and state.answers["numerique"] == "difficile"
        assert [c["params"].get("text") for c in api.calls("answerCallbackQuery")] == [None] * 3  # no « old button »
        await person.press("Non")
        assert person.question["text"].startswith("💡")
