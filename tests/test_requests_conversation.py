"""Asking to be contacted, through the conversation service: what a person sees, what is written with the step
(the request and its outbox, in one transaction), and what is never kept. Routing values are INVENTED test data.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from types import MappingProxyType

import pytest

from bot.contact import RequestRecord
from bot.content import Content
from bot.content.routing import Destination, Routing, with_staff_chat
from bot.engine import Ask, Command, Engine, Press, RequestUpdate, SharedContact, Start, Text
from bot.i18n import Translations
from bot.service import Conversations, Profile, Reply
from bot.store import SQLiteStore, Store
from tests.auxil.contact import ALI_TEST, TEST_GROUP

CHAT = "telegram:424242"
CLICHY_TEAM = Destination("ali-test", "l'Agence locale d'insertion de test", telegram_chat=TEST_GROUP)
ALI_ONLY = Routing(destinations=MappingProxyType({CLICHY_TEAM.id: CLICHY_TEAM}),
                   by_ali=MappingProxyType({"ali-clichy-sous-bois": CLICHY_TEAM.id}))
"""An ALI's team, and no default: only the people this ALI serves are offered a request (test data)."""


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    made = SQLiteStore(tmp_path / "bot.sqlite3")
    await made.open()
    yield made
    await made.close()


class Person:
    """One person talking to the service (the same path as Telegram's handlers, without Telegram)."""

    def __init__(self, conversations: Conversations, first_name: str | None = "Samira") -> None:
        self.conversations = conversations
        self.profile = Profile(first_name)
        self.reply: Reply | None = None
        self.woken = 0
        conversations.on_outbox = self._wake

    def _wake(self) -> None:
        self.woken += 1

    @property
    def ask(self) -> Ask:
        assert self.reply is not None
        return [o for o in self.reply.outputs if isinstance(o, Ask)][-1]

    @property
    def said(self) -> str:
        assert self.reply is not None
        return "\n".join(getattr(o, "text", "") for o in self.reply.outputs)

    async def send(self, event: object) -> Reply:
        self.reply = await self.conversations.handle(CHAT, event, self.profile)  # type: ignore[arg-type]
        return self.reply

    async def press(self, value: str) -> Reply:
        assert value in [b.value for b in (*self.ask.buttons, *self.ask.nav)], (value, self.ask)
        return await self.send(Press(self.ask.token, value))

    async def type(self, text: str) -> Reply:
        return await self.send(Text(text))


def conversations(content: Content, translations: Translations, store: Store, routing: Routing,
                  clock: list[float]) -> Conversations:
    return Conversations(Engine(content, translations, routing=routing), store, lambda: clock[0])


async def to_the_list(person: Person, commune: str = "Clichy-sous-Bois") -> None:
    await person.send(Start(lang_hint="fr"))
    await person.press("referent")
    await person.type(commune)


async def test_a_confirmed_request_is_written_with_its_step_and_the_draft_leaves_the_state(
        content: Content, translations: Translations, store: Store) -> None:
    clock = [1_796_202_000.0]
    person = Person(conversations(content, translations, store, ALI_ONLY, clock))
    await to_the_list(person)
    await person.press("!request")
    assert "Je vais envoyer votre demande à l'Agence locale d'insertion de test." in person.said
    await person.press("!send")
    await person.send(SharedContact("+33612345678", own=True))
    assert await store.open_request(CHAT) is None and person.woken == 0  # nothing before the last answer
    await person.press("!matin")
    row = await store.open_request(CHAT)
    assert row is not None and row.destination == "ali-test" and row.status == "open"
    assert row.ref in person.said and "✅ Votre demande est envoyée" in person.said
    due = await store.due_outbox(clock[0])
    assert [(i.kind, i.channel, i.target, i.ref) for i in due] == [("new", "telegram", str(TEST_GROUP), row.ref)]
    assert person.woken == 1
    saved = await store.load(CHAT)
    assert saved is not None and "612345678" not in saved and "Samira" not in saved  # kept in the request only


async def test_without_a_route_for_the_person_no_request_is_offered(
        content: Content, translations: Translations, store: Store) -> None:
    person = Person(conversations(content, translations, store, ALI_ONLY, [1_796_202_000.0]))
    await to_the_list(person, "Bobigny")  # no ALI card serves it, and ALI_ONLY has no default
    assert "!request" not in [b.value for b in person.ask.buttons]
    await person.press("!human")
    assert "Pour parler à une personne, appelez France Travail au 3949." in person.said
    assert await store.open_request(CHAT) is None


async def test_one_open_request_at_a_time_and_cancel_tells_staff(
        content: Content, translations: Translations, store: Store) -> None:
    clock = [1_796_202_000.0]
    person = Person(conversations(content, translations, store, with_staff_chat(content.routing, TEST_GROUP),
                                  clock))
    await to_the_list(person)
    await person.press("!request")
    await person.press("!send")
    await person.press("!reply-here")
    first = await store.open_request(CHAT)
    assert first is not None and RequestRecord.from_row(first).request.reach == "telegram"
    for item in await store.due_outbox(clock[0]):  # as the sender does: delivered, staff message recorded
        assert await store.start_attempt(item.id, clock[0])
        await store.mark_delivered(item.id, clock[0], "77", (TEST_GROUP, 77))
    await person.press("!human")
    assert person.ask.buttons[0].value == "!cancel-request" and first.ref in person.said
    clock[0] += 60
    await person.press("!cancel-request")
    assert f"Votre demande {first.ref} est annulée." in person.said
    assert await store.open_request(CHAT) is None
    notices = await store.due_outbox(clock[0])
    assert [(i.kind, i.ref) for i in notices] == [("cancelled", first.ref)]
    await person.send(Command("cancel"))
    assert "Vous n'avez pas de demande en cours." in person.said


async def test_staff_taking_the_request_is_told_in_the_persons_language_and_counted(
        content: Content, translations: Translations, store: Store) -> None:
    clock = [1_796_202_000.0]
    person = Person(conversations(content, translations, store, with_staff_chat(content.routing, TEST_GROUP),
                                  clock))
    await person.send(Start(lang_hint="fr"))
    await person.send(Command("language"))
    await person.press("@tr")
    await person.press("!human")
    await person.press("!send")
    await person.press("!type-phone")
    await person.type("06 12 34 56 78")
    await person.press("!indifferent")
    row = await store.open_request(CHAT)
    assert row is not None
    await person.send(RequestUpdate(row.ref, "taken"))
    assert translations.format("tr", "👤 Une personne de l'équipe a pris votre demande {ref}.", ref=row.ref) \
        in person.said
    assert isinstance(store, SQLiteStore)
    assert await store.count_events("request") == {"BOT_STAFF_CHAT": 1}
    assert await store.count_events("request_taken") == {"BOT_STAFF_CHAT": 1}


async def test_a_shared_contact_of_someone_else_is_refused_and_nothing_is_sent(
        content: Content, translations: Translations, store: Store) -> None:
    person = Person(conversations(content, translations, store, with_staff_chat(content.routing, TEST_GROUP),
                                  [1_796_202_000.0]))
    await to_the_list(person)
    await person.press("!request")
    await person.press("!send")
    await person.send(SharedContact("+33699999999", own=False))
    assert "Ce contact n'est pas le vôtre." in person.said and person.ask.buttons[0].value == "!share-phone"
    await person.send(SharedContact("+33699999999", own=False))
    assert await store.open_request(CHAT) is None


async def test_an_email_only_team_cannot_answer_here(content: Content, translations: Translations,
                                                     store: Store) -> None:
    team = Destination("equipe-test", "l'équipe de test", email=ALI_TEST.email)
    routing = Routing(destinations=MappingProxyType({team.id: team}), default=team.id)
    person = Person(conversations(content, translations, store, routing, [1_796_202_000.0]))
    await to_the_list(person)
    await person.press("!request")
    await person.press("!send")
    assert [b.value for b in person.ask.buttons] == ["!share-phone", "!type-phone"]


async def test_the_terminal_numbers_only_what_it_can_do(content: Content, translations: Translations,
                                                        store: Store) -> None:
    """A terminal cannot share a phone number: « Partager mon numéro » is not offered there, « 1 » types it."""
    from bot.channels.terminal import parse_line, render

    person = Person(conversations(content, translations, store, with_staff_chat(content.routing, TEST_GROUP),
                                  [1_796_202_000.0]))
    await to_the_list(person)
    await person.press("!request")
    await person.press("!send")
    assert person.reply is not None
    text, ask = render(person.reply.outputs)
    assert "Partager mon numéro" not in text and "  1. ✏️ Écrire mon numéro" in text
    event = parse_line("1", ask)
    assert isinstance(event, Press) and event.value == "!type-phone"
