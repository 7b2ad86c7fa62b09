"""The database full, read-only or locked by another process while someone talks to the bot: one clear line in the
log (no personal data), the person is told in their language, nothing is corrupted, and once the database is back
the same press or message works — without a restart."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from bot.channels.telegram import texts as TT
from bot.content import Content
from bot.i18n import Translations
from tests.auxil.botapi import JSON, BotApiEmulator
from tests.auxil.disk import FAULTS
from tests.auxil.telegram import Person, running_bot

CHAT = 7401
QUESTIONS, A_LITTLE = 6, 1
"""Buttons by position (the labels are in the person's language): ❓ at the first question, 🤏 at the second."""


def data(question: JSON, n: int) -> str:
    return str([b for row in question["reply_markup"]["inline_keyboard"] for b in row][n]["callback_data"])


async def answer(person: Person, question: JSON, typed: str | None) -> None:
    """'A little' to « Do you speak French? », typed or pressed."""
    if typed is not None:
        await person.send(typed)
    else:
        await person.press_data(question["message_id"], data(question, A_LITTLE))


@pytest.mark.parametrize(("fault", "lang", "typed"), [
    ("disk full", "fr", None), ("read-only", "ar", None), ("locked", "en", "A little"), ("disk full", "tr", None),
])
async def test_the_person_is_told_and_the_same_answer_works_once_the_database_is_back(
        api: BotApiEmulator, tmp_path: Path, content: Content, translations: Translations,
        caplog: pytest.LogCaptureFixture, fault: str, lang: str, typed: str | None) -> None:
    database = tmp_path / "bot.sqlite3"
    make, reason = FAULTS[fault]
    async with running_bot(api, database, content, translations, busy_timeout=0.3) as bot:
        person = bot.person(CHAT, lang)
        await person.send("/start")
        await person.press_data(person.question["message_id"], data(person.question, QUESTIONS))
        question, before = person.question, await bot.state(CHAT)
        assert before is not None and before.lang == lang
        last = person.messages[-1]["message_id"]
        with caplog.at_level(logging.INFO):
            async with make(bot.store):
                await answer(person, question, typed)
        told = translations.gettext(lang, TT.TECH_PROBLEM)
        assert told != TT.TECH_PROBLEM or lang == "fr"
        assert person.texts_since(last) == [told]
        assert person.message(question["message_id"]) == question  # still the live question, with its buttons
        state = await bot.state(CHAT)
        assert state is not None and state.to_json() == before.to_json()  # nothing of the answer was saved
        ours = [r for r in caplog.records if r.name.startswith("bot") and r.levelno >= logging.WARNING]
        assert [r.levelname for r in ours] == ["WARNING"], caplog.text
        line = ours[0].getMessage()
        assert reason in line and "The person was asked to try again" in line
        assert str(CHAT) not in line and "little" not in line and ours[0].exc_info is None
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
        assert not [c for c in api.calls() if not c["ok"]]  # a button's spinner is stopped once
        with sqlite3.connect(database) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        await answer(person, question, typed)  # the database is back: the same answer, the same bot
        state = await bot.state(CHAT)
        assert state is not None and state.answers == {"besoin": "questions", "francais": "un-peu"}
        assert state.step == "accueil:numerique" and person.question["message_id"] > last
        assert person.question["text"].startswith("📱")
