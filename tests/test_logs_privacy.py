"""What the running bot writes to its log at INFO, read after whole conversations: never a message text, a phone
number in any spelling, a name, a chat or user id, nor the token.

The logging is the one `python -m bot run` installs (configure_logging at INFO, the token redacted), its stream
read back as the host's journal would keep it. The conversations go through everything that logs: questions
answered by buttons and by typing, a town with a typo, a contact request with a shared number and one with a
typed number, the staff group taking and closing, a reply thread both ways, a reply that cannot be delivered
(the person blocked the bot), /confidentialite, /oubli with its withdrawal, and the retention job.

Every name, id and number here is INVENTED test data.
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.channels.telegram import configure_logging
from bot.content import Content
from bot.i18n import Translations
from bot.retention import RetentionJob
from tests.auxil.botapi import DEFAULT_TOKEN, JSON, BotApiEmulator
from tests.auxil.contact import TEST_GROUP
from tests.auxil.telegram import RunningBot, button, running_bot

ZELIE = 731984265
"""A person's chat (and user) id, invented."""
ZELIE_NAME = "Zéphyrine"
NOAM = 731984377
NOAM_NAME = "Noamiel"
OTTILIE = 6677001
"""A member of the team's group, invented."""
OTTILIE_NAME = "Ottilie"
INTRUDER = 6677999
INTRUDER_NAME = "Barnabé"

TYPED_PHONE = "07 81 92 43 65"
"""The number Noam types; Zélie shares hers with Telegram's button (the emulator's contact: +33612345678)."""
SHARED_PHONE = "+33612345678"

TYPED = [
    "Je voudrais de l'aide, je m'appelle Zéphyrine Quarmby",  # free text where a button was expected
    "clichy sou bois",  # a town with typos
    "Mon voisin Kerguelen me l'a conseillé, merci",  # relayed to the team
    "Bonjour, ici Ottilie de l'agence, je vous appelle jeudi",  # the team's reply
    "Hélas le numéro de Kerguelen ne marche plus",  # a reply that cannot be delivered
]


def spellings(number: str) -> list[str]:
    """The digits of a French number as they can be written: national, international, without the 0 or the +."""
    digits = re.sub(r"\D", "", number)
    national = "0" + digits[2:] if digits.startswith("33") else digits
    significant = national[1:]
    return [national, "33" + significant, significant]


@pytest.fixture
def journal(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    """The root logger exactly as `run` configures it, writing to a buffer; pytest's own handlers restored after."""
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    saved_noisy = {name: logging.getLogger(name).level for name in ("httpx", "httpcore", "hpack", "tornado.access")}
    buffer = io.StringIO()
    monkeypatch.setattr(sys, "stderr", buffer)
    configure_logging("INFO", [DEFAULT_TOKEN])
    try:
        yield buffer
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved_handlers:
            root.addHandler(handler)
        root.setLevel(saved_level)
        for name, level in saved_noisy.items():
            logging.getLogger(name).setLevel(level)


class Someone:
    """A person or a team member with a name, each action waiting until the bot has handled it."""

    def __init__(self, running: RunningBot, chat_id: int, first_name: str, user_id: int | None = None) -> None:
        self.running, self.chat_id, self.first_name, self.user_id = running, chat_id, first_name, user_id
        self.chat_type = "private" if chat_id > 0 else "supergroup"

    @property
    def api(self) -> BotApiEmulator:
        return self.running.api

    async def send(self, text: str, reply_to: int | None = None) -> None:
        await self.running.processed(self.api.user_sends_text(
            self.chat_id, text, user_id=self.user_id, first_name=self.first_name, chat_type=self.chat_type,
            reply_to=reply_to))

    async def share_contact(self) -> None:
        await self.running.processed(self.api.user_sends(self.chat_id, "contact", first_name=self.first_name))

    async def press(self, label: str, message: JSON | None = None) -> None:
        if message is None:
            message = [m for m in self.api.messages(self.chat_id) if m.get("reply_markup")][-1]
        await self.running.processed(self.api.user_presses(
            self.chat_id, message["message_id"], button(message, label), user_id=self.user_id,
            first_name=self.first_name, chat_type=self.chat_type))


async def arrived(api: BotApiEmulator, chat: int, text: str) -> JSON:
    def found() -> list[JSON]:
        return [m for m in api.messages(chat) if text in str(m.get("text", ""))]
    return (await api.wait_for(found, 10.0, f"{text!r} in chat {chat}"))[-1]


async def ask_to_be_contacted(person: Someone) -> None:
    await person.send("/start")
    await person.send(TYPED[0])  # not a button: the bot asks again, kindly
    await person.press("Retrouver mon référent")
    await person.send(TYPED[1])  # read as Clichy-sous-Bois
    await person.press("Être rappelé par une personne")
    await person.press("Oui, envoyer")


async def test_a_day_of_conversations_leaves_no_text_phone_name_or_id_in_the_log_at_info(
        journal: io.StringIO, api: BotApiEmulator, tmp_path: Path, content: Content,
        translations: Translations) -> None:
    api.add_member(TEST_GROUP, OTTILIE)
    async with running_bot(api, tmp_path / "bot.sqlite3", content, translations, staff_chat=TEST_GROUP) as bot:
        zelie = Someone(bot, ZELIE, ZELIE_NAME)
        noam = Someone(bot, NOAM, NOAM_NAME)
        ottilie = Someone(bot, TEST_GROUP, OTTILIE_NAME, user_id=OTTILIE)
        intruder = Someone(bot, TEST_GROUP, INTRUDER_NAME, user_id=INTRUDER)

        # Zélie shares her number: the team takes her request, an outsider's press is refused, then it is closed.
        await ask_to_be_contacted(zelie)
        await zelie.share_contact()
        await zelie.press("Le matin")
        request = await arrived(api, TEST_GROUP, SHARED_PHONE)
        await intruder.press("Je m'en occupe", request)
        await ottilie.press("Je m'en occupe", request)
        await arrived(api, ZELIE, "a pris votre demande")
        await ottilie.press("Terminé", await arrived(api, TEST_GROUP, SHARED_PHONE))
        await arrived(api, ZELIE, "est terminée")

        # Noam types his number, then asks to be answered here: a thread both ways, then he blocks the bot.
        await ask_to_be_contacted(noam)
        await noam.press("Répondez-moi ici sur Telegram")
        thread = await arrived(api, TEST_GROUP, "répondre par Telegram")
        assert NOAM_NAME in thread["text"]  # the team does see his name: the log must not
        await ottilie.send(TYPED[3], reply_to=thread["message_id"])
        await arrived(api, NOAM, "jeudi")
        await noam.send(TYPED[2])
        await arrived(api, TEST_GROUP, "Kerguelen")
        api.block_chat(NOAM)
        await ottilie.send(TYPED[4], reply_to=thread["message_id"])
        await api.wait_for(lambda: "not delivered" in journal.getvalue() or "abandoned" in journal.getvalue(),
                           10.0, "the undelivered reply noted in the log")
        api.unblock_chat(NOAM)

        # Zélie asks again with a typed number, reads the privacy page, then erases everything.
        await zelie.send("/start")
        await zelie.press("Retrouver mon référent")
        await zelie.send("Clichy-sous-Bois")
        await zelie.press("Être rappelé par une personne")
        await zelie.press("Oui, envoyer")
        await zelie.press("Écrire mon numéro")
        await zelie.send(TYPED_PHONE)
        await zelie.press("L'après-midi")
        await arrived(api, TEST_GROUP, "+33781924365")
        await zelie.send("/confidentialite")
        await zelie.send("/oubli")
        await zelie.press("Oui, tout effacer")
        await arrived(api, ZELIE, "est retirée")
        await arrived(api, TEST_GROUP, "retirée par la personne")
        # A year later (the job's clock) the retention deletes the idle conversations and expires Noam's request.
        later = RetentionJob(bot.store, bot.bot.retention.policy, clock=lambda: time.time() + 400 * 86400,
                             after=bot.bot.retention.after)
        job = asyncio.create_task(later.run())
        await api.wait_for(lambda: "retention:" in journal.getvalue(), 10.0, "the retention round in the log")
        later.stop()
        await job
        await api.wait_until_idle()

    log = journal.getvalue()
    lines = log.splitlines()
    assert " ERROR " not in log and "Traceback" not in log, log
    # The log is not empty: the bot said what it did, in words that name no one.
    assert any(" INFO bot" in line and "taken by staff" in line for line in lines), log
    assert any("a person erased their conversation" in line for line in lines), log
    assert any("not delivered" in line or "abandoned" in line for line in lines), log

    squeezed = re.sub(r"[\s.\-()/]", "", log)  # phone numbers written with spaces, dots, dashes or brackets
    for number in (SHARED_PHONE, TYPED_PHONE):
        for spelling in spellings(number):
            assert spelling not in squeezed, f"the phone {number} appears in the log as {spelling}:\n{log}"
    for name in (ZELIE_NAME, NOAM_NAME, OTTILIE_NAME, INTRUDER_NAME, "Quarmby", "Kerguelen"):
        assert name not in log, f"the name {name} is in the log:\n{log}"
    for ident in (ZELIE, NOAM, OTTILIE, INTRUDER, TEST_GROUP, abs(TEST_GROUP)):
        assert str(ident) not in log, f"the id {ident} is in the log:\n{log}"
    for text in TYPED:
        words = re.findall(r"\w{5,}", text)
        assert not [w for w in words if w in log], f"words of {text!r} are in the log:\n{log}"
    assert DEFAULT_TOKEN not in log and DEFAULT_TOKEN.partition(":")[2] not in log

