"""Asking to be contacted, end to end on the emulated Bot API (real PTB, real HTTP on 127.0.0.1): a person asks and
shares their number, the team's group gets the request, a member takes it and the person is told; a press by
someone outside the team changes nothing; a reply thread works both ways; /oubli withdraws the request.

The group, its members and the people are INVENTED test data (tests/auxil/contact.py).
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from bot.content import Content
from bot.i18n import Translations
from tests.auxil.botapi import JSON, BotApiEmulator
from tests.auxil.contact import TEST_GROUP
from tests.auxil.telegram import Person, RunningBot, button, running_bot
from tests.test_telegram_cli import ended, start_bot, stop, wait_until

PERSON = 424242
AWA = 5551001
"""A member of the team's group (invented)."""
OUTSIDER = 5551999
"""Someone who is not in the group (invented)."""


@pytest.fixture
async def bot(api: BotApiEmulator, tmp_path: Path, content: Content,
              translations: Translations) -> AsyncIterator[RunningBot]:
    api.add_member(TEST_GROUP, AWA)
    async with running_bot(api, tmp_path / "bot.sqlite3", content, translations, staff_chat=TEST_GROUP) as running:
        yield running


class Staff:
    """A member (or not) of the team's group, acting on the bot's messages there."""

    def __init__(self, running: RunningBot, user_id: int, first_name: str, last_name: str | None = None) -> None:
        self.running, self.user_id, self.first_name = running, user_id, first_name

    @property
    def api(self) -> BotApiEmulator:
        return self.running.api

    async def press(self, message_id: int, label: str) -> int:
        message = next(m for m in self.api.messages(TEST_GROUP) if m["message_id"] == message_id)
        update = self.api.user_presses(TEST_GROUP, message_id, button(message, label), user_id=self.user_id,
                                       first_name=self.first_name, chat_type="supergroup")
        await self.running.processed(update)
        return update

    async def reply(self, message_id: int, text: str) -> int:
        update = self.api.user_sends_text(TEST_GROUP, text, user_id=self.user_id, first_name=self.first_name,
                                          chat_type="supergroup", reply_to=message_id)
        await self.running.processed(update)
        return update


def group_messages(api: BotApiEmulator) -> list[JSON]:
    return api.messages(TEST_GROUP)


async def arrived(api: BotApiEmulator, chat: int, text: str, count: int = 1) -> list[JSON]:
    """Wait until the bot's messages in ``chat`` hold ``text`` ``count`` times (the sender works on its own)."""
    def found() -> list[JSON]:
        hits = [m for m in api.messages(chat) if text in str(m.get("text", ""))]
        return hits if len(hits) >= count else []
    return await api.wait_for(found, 10.0, f"{text!r} in chat {chat}")


def toast(api: BotApiEmulator) -> str:
    return str(api.calls("answerCallbackQuery")[-1]["params"].get("text", ""))


async def ask_to_be_called(person: Person) -> None:
    await person.send("/start")
    await person.press("Retrouver mon référent")
    await person.send("Clichy-sous-Bois")
    await person.press("Être rappelé par une personne")
    assert "Je vais envoyer votre demande à l'équipe RSA du Département." in person.last_text
    await person.press("Oui, envoyer")


async def thread_with_awa(bot: RunningBot, first_words: str) -> tuple[Person, Staff, JSON]:
    """A person asks to be answered on Telegram; Awa, of the team, replies to the request: a thread is open."""
    person = bot.person(PERSON)
    await ask_to_be_called(person)
    await person.press("Répondez-moi ici sur Telegram")
    (request,) = await arrived(bot.api, TEST_GROUP, "répondre par Telegram")
    awa = Staff(bot, AWA, "Awa")
    await awa.reply(request["message_id"], first_words)
    return person, awa, request


async def test_a_request_reaches_the_team_a_member_takes_it_and_the_person_is_told(
        bot: RunningBot, api: BotApiEmulator) -> None:
    person = bot.person(PERSON)
    await ask_to_be_called(person)
    share = api.calls("sendMessage")[-1]["params"]["reply_markup"]
    assert share["keyboard"][0][0]["request_contact"] is True and share["one_time_keyboard"] is True
    assert "Partager mon numéro" in share["keyboard"][0][0]["text"]
    assert "Partager mon numéro" not in " ".join(person.labels())  # never an inline button: Telegram cannot
    await person.send_kind("contact")  # the person's own number (the emulator's contact carries their user id)
    removed = [c["response"]["result"]["text"] for c in api.calls("sendMessage")
               if c["chat_id"] == PERSON and c["params"].get("reply_markup") == {"remove_keyboard": True}]
    assert removed == ["✅ Merci, j'ai votre numéro."]  # the « share » keyboard goes with the thanks
    await person.press("Le matin")
    assert "✅ Votre demande est envoyée à l'équipe RSA du Département." in "\n".join(person.texts_since(0))
    (request,) = await arrived(api, TEST_GROUP, "+33612345678")
    text = request["text"]
    assert "Test" in text and "Clichy-sous-Bois" in text and "Retrouver mon référent" in text and "matin" in text
    ref = next(word for word in text.split() if word.startswith("R-")).strip(".,:")
    assert [b["text"] for row in request["reply_markup"]["inline_keyboard"] for b in row] == [
        "✋ Je m'en occupe", "✅ Terminé"]

    outsider = Staff(bot, OUTSIDER, "Intrus")
    await outsider.press(request["message_id"], "Je m'en occupe")
    assert toast(api) == "Réservé aux membres de l'équipe qui a reçu cette demande."
    assert "Prise en charge" not in group_messages(api)[0]["text"]

    awa = Staff(bot, AWA, "Awa")
    await awa.press(request["message_id"], "Je m'en occupe")
    assert toast(api) == "C'est noté : vous vous occupez de cette demande."
    await arrived(api, TEST_GROUP, "Prise en charge par Awa")
    told = await arrived(api, PERSON, f"Une personne de l'équipe a pris votre demande {ref}.")
    assert told
    edited = group_messages(api)[0]
    assert [b["text"] for row in edited["reply_markup"]["inline_keyboard"] for b in row] == ["✅ Terminé"]

    await awa.press(request["message_id"], "Terminé")
    await arrived(api, PERSON, f"Votre demande {ref} est terminée. Merci !")
    assert "reply_markup" not in group_messages(api)[0]
    row = await bot.store.request(ref)
    assert row is not None and row.status == "closed" and row.taken_by == "Awa"


async def test_typing_on_the_list_of_places_with_the_request_button_is_understood(
        bot: RunningBot, api: BotApiEmulator) -> None:
    person = bot.person(PERSON)
    await person.send("/start")
    await person.press("Retrouver mon référent")
    await person.send("Clichy-sous-Bois")
    assert "Être rappelé par une personne" in " ".join(person.labels())
    await person.send("bonjour")  # not an answer: said so, and the list again
    assert "Être rappelé par une personne" in " ".join(person.labels())
    await person.send("être rappelé par une personne")  # typed like the button: the same as pressing it
    assert "Je vais envoyer votre demande à l'équipe RSA du Département." in person.last_text
    assert not [c for c in api.calls("sendMessage") if "problème" in str(c["params"].get("text", ""))]


async def test_a_reply_thread_works_both_ways_and_everything_relayed_is_escaped(
        bot: RunningBot, api: BotApiEmulator) -> None:
    person, awa, request = await thread_with_awa(bot, "Bonjour, je suis Awa <b>de l'ALI</b>. Quand êtes-vous libre ?")
    await arrived(api, TEST_GROUP, "✉️ Transmis à la personne.")
    (relayed,) = await arrived(api, PERSON, "Quand êtes-vous libre ?")
    assert "Bonjour, je suis Awa <b>de l'ALI</b>." in relayed["text"]  # shown as typed: never markup
    assert not [e for e in relayed.get("entities", []) if e["type"] == "bold" and e["offset"] > 30]

    await person.send("Demain matin <i>merci</i>")
    (back,) = await arrived(api, TEST_GROUP, "Demain matin")
    assert back["text"].endswith("Demain matin <i>merci</i>") and back["reply_to_message"]["message_id"] == \
        request["message_id"]
    assert "+33" not in back["text"] and "Clichy" not in back["text"]  # the text and who, nothing else
    await awa.reply(back["message_id"], "Parfait, à demain.")  # a reply to the relayed message reaches them too
    await arrived(api, PERSON, "Parfait, à demain.")

    await awa.press(request["message_id"], "Je m'en occupe")
    await awa.press(request["message_id"], "Terminé")
    await arrived(api, PERSON, "est terminée. Merci !")
    before = len(group_messages(api))
    await person.send("bien")  # the thread is over: an answer to the bot again
    await asyncio.sleep(0.3)
    assert len(group_messages(api)) == before


async def test_taking_a_request_with_a_thread_changes_only_the_request_message(
        bot: RunningBot, api: BotApiEmulator) -> None:
    person, awa, request = await thread_with_awa(bot, "Bonjour, quand êtes-vous libre ?")
    await arrived(api, PERSON, "quand êtes-vous libre ?")
    await person.send("Demain matin")
    (back,) = await arrived(api, TEST_GROUP, "Demain matin")
    await awa.press(request["message_id"], "Je m'en occupe")
    await arrived(api, TEST_GROUP, "Prise en charge par Awa")
    await awa.press(request["message_id"], "Terminé")
    await arrived(api, TEST_GROUP, "Terminée par Awa")
    thread = next(m for m in group_messages(api) if m["message_id"] == back["message_id"])
    assert thread["text"] == back["text"] and thread["text"].endswith("Demain matin")
    assert "reply_markup" not in thread and "edit_date" not in thread


async def test_forget_withdraws_the_request_and_the_team_is_told_without_personal_data(
        bot: RunningBot, api: BotApiEmulator) -> None:
    person = bot.person(PERSON)
    await ask_to_be_called(person)
    await person.press("Écrire mon numéro")
    await person.send("06 12 34 56 78")
    await person.press("L'après-midi")
    (request,) = await arrived(api, TEST_GROUP, "+33612345678")
    await person.send("/oubli")
    await person.press("Oui, tout effacer")
    assert "est retirée. L'équipe est prévenue." in person.last_text
    await arrived(api, TEST_GROUP, "retirée par la personne", count=2)  # the request edited, and a notice
    first = group_messages(api)[0]
    assert first["message_id"] == request["message_id"] and "+33" not in first["text"]
    assert "Test" not in first["text"] and "reply_markup" not in first
    assert await bot.store.open_request(f"telegram:{PERSON}") is None


async def test_a_staff_group_hears_only_its_requests(bot: RunningBot, api: BotApiEmulator) -> None:
    """In the team's group the bot never invites people to write privately, and ignores other messages."""
    update = api.user_sends_text(TEST_GROUP, "/start@rsa93_test_bot", user_id=AWA, chat_type="supergroup")
    await bot.processed(update)
    update = api.user_sends_text(TEST_GROUP, "Réunion demain à 10h", user_id=AWA, chat_type="supergroup")
    await bot.processed(update)
    assert group_messages(api) == []


class HoldingEmulator(BotApiEmulator):
    """Holds every message to the team's group until released, then refuses it: the bot is caught sending."""

    def __init__(self) -> None:
        super().__init__()
        self.holding = True
        self.held = 0
        self.release = threading.Event()

    async def before_call(self, method: str, params: JSON) -> web.Response | None:
        if method == "sendmessage" and params.get("chat_id") == TEST_GROUP and self.holding:
            self.held += 1
            await asyncio.to_thread(self.release.wait, 30)
            return web.json_response({"ok": False, "error_code": 502, "description": "Bad Gateway"}, status=502)
        return None


def live_question(api: BotApiEmulator, chat: int) -> JSON:
    keyed = [m for m in api.messages(chat) if "inline_keyboard" in m.get("reply_markup", {})]
    assert keyed, api.dump()
    return keyed[-1]


def press_when_shown(api: BotApiEmulator, chat: int, label: str) -> None:
    question = wait_until(lambda: next((m for m in reversed(api.messages(chat))
                                        if label in json.dumps(m.get("reply_markup", {}), ensure_ascii=False)),
                                       None), what=label)
    api.user_presses(chat, question["message_id"], button(question, label))


def test_kill_9_between_confirming_and_delivering_delivers_exactly_once_after_the_restart(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    api = HoldingEmulator().start()
    process = start_bot(api, database, BOT_STAFF_CHAT=str(TEST_GROUP))
    try:
        api.user_sends_text(PERSON, "/start")
        press_when_shown(api, PERSON, "Retrouver mon référent")
        wait_until(lambda: "Dans quelle ville" in json.dumps(api.messages(PERSON), ensure_ascii=False), what="town")
        api.user_sends_text(PERSON, "Clichy-sous-Bois")
        press_when_shown(api, PERSON, "Être rappelé par une personne")
        press_when_shown(api, PERSON, "Oui, envoyer")
        press_when_shown(api, PERSON, "Répondez-moi ici sur Telegram")
        wait_until(lambda: api.held, what="the request on its way to the group")
        process.kill()  # kill -9: the step is committed, the delivery is not
        ended(process)
        with sqlite3.connect(database) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            ((ref, status),) = db.execute("SELECT ref, status FROM requests").fetchall()
            assert status == "open"
            assert db.execute("SELECT attempts, delivered_at FROM outbox").fetchall() == [(1, None)]
        assert f"Votre numéro de demande : {ref}." in json.dumps(api.messages(PERSON), ensure_ascii=False)
        api.holding = False
        api.release.set()  # the held send is refused: Telegram never showed it
        assert api.messages(TEST_GROUP) == []

        process = start_bot(api, database, BOT_STAFF_CHAT=str(TEST_GROUP))
        wait_until(lambda: api.messages(TEST_GROUP), what="the request after the restart")
        with sqlite3.connect(database) as db:
            wait_until(lambda: db.execute("SELECT delivered_at FROM outbox").fetchone()[0], what="marked delivered")
        time.sleep(1.0)  # anything sent twice would arrive now
        (request,) = api.messages(TEST_GROUP)
        assert ref in request["text"] and "répondre par Telegram" in request["text"]
        code, err = stop(process)
        assert code == 0, err
        assert "may arrive twice" in err  # the interrupted send is logged, without the person's data
        assert "Clichy" not in err and str(PERSON) not in err
    finally:
        ended(process)
        api.release.set()
        api.stop()


ADMIN = 5552000
"""An admin's Telegram user id (invented)."""


async def test_a_team_group_that_refuses_the_bot_alerts_the_admins_and_the_request_waits(
        api: BotApiEmulator, tmp_path: Path, content: Content, translations: Translations) -> None:
    api.block_chat(TEST_GROUP)  # the bot was removed from the team's group
    async with running_bot(api, tmp_path / "bot.sqlite3", content, translations, staff_chat=TEST_GROUP,
                           admins=frozenset({ADMIN})) as running:
        person = running.person(PERSON)
        await ask_to_be_called(person)
        await person.press("Répondez-moi ici sur Telegram")
        (alert,) = await arrived(api, ADMIN, "Les demandes de contact n'arrivent plus")
        assert str(TEST_GROUP) in alert["text"] and "Le bot est-il toujours membre du groupe ?" in alert["text"]
        assert "Clichy" not in alert["text"] and "Test" not in alert["text"]  # nothing about the person
        row = await running.store.open_request(f"telegram:{PERSON}")
        assert row is not None and row.status == "open"
        with sqlite3.connect(tmp_path / "bot.sqlite3") as db:
            assert db.execute("SELECT COUNT(*) FROM outbox WHERE kind = 'new' AND delivered_at IS NULL").fetchone() \
                == (1,)  # still queued: it leaves as soon as the bot is back in the group
