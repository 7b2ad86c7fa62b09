"""A request as staff read it, as the person types their number, as staff take it; its reference and settings.
All people, numbers, chat ids and addresses are invented (test data)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from types import MappingProxyType
from typing import Any

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

import bot.contact
from bot.config import ConfigError
from bot.contact import (
    ContactRequest,
    ContactSettings,
    RequestDesk,
    RequestRecord,
    check_phone,
    email_html,
    email_text,
    find_reference,
    make_reference,
    new_reference,
    notice_text,
    read_notice,
    relay_html,
    relay_to_person,
    relay_to_staff,
    shared_phone,
    staff_buttons,
    staff_html,
    submission,
)
from bot.content.routing import Routing
from bot.golden import Clock
from bot.i18n.text import strip_bidi
from bot.store import MemoryStore
from tests.auxil.botapi import parse_html
from tests.auxil.contact import ALI_TEST, CREATED, EMAIL_ONLY, a_request

# ---- what staff read -----------------------------------------------------------------------------------------


def record(**changes: Any) -> RequestRecord:
    return RequestRecord(a_request(**changes), ALI_TEST)


def test_the_summary_puts_the_action_first_and_says_the_language_plainly() -> None:
    lines = staff_html(record()).splitlines()
    assert lines[0] == "📞 <b>Samira</b>, au +33612345678, le matin"  # E.164: Telegram makes it tappable
    assert lines[1] == "🗣️ langue : arabe, parle un peu français"
    assert "🏠 Clichy-sous-Bois" in lines and "🧭 Apprendre le français" in lines
    assert "🤝 Référent : oui, mais ne le voit plus" in lines
    assert lines[-1] == "🔖 R-7K3Q · demande du 2 décembre à 10h00"  # Paris time
    assert len(lines) <= 8


@pytest.mark.parametrize(("lang", "french", "said"), [
    ("fr", "un-peu", "parle un peu français"), ("fr", "bien", "parle bien français"), ("fr", None, "langue : français"),
    ("tr", None, "langue : turc"), ("fa", "pas-du-tout", "langue : persan, ne parle pas français"),
    ("zh", "bien", "langue : chinois, parle bien français"),
])
def test_the_language_is_said_plainly(lang: str, french: str | None, said: str) -> None:
    assert staff_html(record(lang=lang, french=french)).splitlines()[1] == f"🗣️ {said}"


def test_reply_by_telegram_is_said_instead_of_a_phone() -> None:
    lines = staff_html(record(reach="telegram", phone=None, when=None)).splitlines()
    assert lines[0] == "💬 <b>Samira</b> : répondre par Telegram (répondez à ce message)"


def test_the_health_answer_appears_only_when_the_request_carries_it() -> None:
    assert "Santé" not in staff_html(record()) and "Santé" not in email_text(record())
    assert "♿ Santé : un handicap ou un problème de santé gêne pour travailler" in staff_html(record(health="oui"))


def test_every_value_from_a_person_or_staff_is_escaped() -> None:
    evil = "<a href='x'>&"
    taken = RequestRecord(a_request(first_name=evil, commune=evil, needs=(evil,), referent=evil, health=evil),
                          ALI_TEST).changed("taken", CREATED, evil)
    html = staff_html(taken)
    assert "<a href" not in html and html.count("&lt;a href=&#x27;x&#x27;&gt;&amp;") == 6
    assert re.sub(r"</?b>", "", html).count("<") == 0  # no other tag than bold
    assert "<a" not in relay_html(taken.ref, evil, evil)


class Tags(HTMLParser):
    """The tags of an HTML document and its text, as a mail program reads them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.text = ""
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)

    def handle_data(self, data: str) -> None:
        self.text += data


PIECES = (*"<>&\"'/=ab ", "<b>", "</b>", "<a href=x>", "&amp;", "&#60;", "\u202e", "\u2067", "\u200f", "س", "\n")
TYPED = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)
"""What a person or a staff member can put in a name or a message: tags, entities, quotes, bidi controls, lines."""


@given(name=TYPED, staff=TYPED, text=TYPED)
def test_nothing_typed_becomes_markup_in_any_staff_message_or_e_mail(name: str, staff: str, text: str) -> None:
    taken = record(first_name=name, reach="telegram", phone=None).changed("taken", CREATED, staff or "x")
    relayed = re.sub("[\u202a-\u202e\u2066-\u2069]", "", text)  # the marks stay: they act on their own line
    typed = {staff_html(taken): [strip_bidi(name).strip(), strip_bidi(staff).strip()],
             relay_html(taken.ref, name, text): [strip_bidi(name).strip(), relayed]}
    for html, values in typed.items():
        shown, entities = parse_html(html)  # as Telegram reads it: raises on broken markup
        assert {e["type"] for e in entities} <= {"bold"}
        assert all(value in shown for value in values), (html, values)  # shown as typed, never as markup
    mail = Tags(email_html(taken))
    assert mail.tags <= {"html", "body", "h1", "p", "strong", "table", "tr", "th", "td"}
    assert strip_bidi(name).strip() in mail.text
    assert strip_bidi(name).strip() in email_text(taken)


def test_bidi_controls_in_a_name_or_a_message_cannot_reorder_the_number_or_the_reference() -> None:
    """U+202E (right-to-left override) in a first name would show « +33612345678 » as « 87654321633+ »."""
    tricky = "Sam\u202eira\u2066"
    taken = record(first_name=tricky).changed("taken", CREATED, "\u202eFatima")
    lines = staff_html(taken).splitlines()
    assert lines[0] == "<b>✋ Prise en charge par Fatima</b>"
    assert lines[1] == "📞 <b>Samira</b>, au +33612345678, le matin"
    assert "Nom : Samira" not in email_text(taken) and "Samira, au +33612345678" in email_text(taken)
    relayed = relay_html("R-7K3Q", tricky, "\u202edemain\u2067 matin\u200f")
    assert relayed == "💬 <b>Samira</b> · R-7K3Q\ndemain matin\u200f"  # a mark acts on its own line only
    arabic = staff_html(record(first_name="سميرة\u202e")).splitlines()[0]
    assert arabic == "📞 <b>\u2068سميرة\u2069</b>, au +33612345678, le matin"  # isolated: it stays in its place
    assert not re.search("[\u202a-\u202e\u2066\u2067]", staff_html(taken) + email_text(taken) + email_html(taken))


def test_the_state_is_shown_once_the_request_changes() -> None:
    base = record()
    assert staff_html(base.changed("taken", CREATED, "Fatima B.")).startswith("<b>✋ Prise en charge par Fatima B.</b>")
    assert staff_html(base.changed("closed", CREATED, "Fatima B.")).startswith("<b>✅ Terminée par Fatima B.</b>")
    assert staff_buttons(base) == (("take", "✋ Je m'en occupe"), ("done", "✅ Terminé"))
    assert staff_buttons(base.changed("taken", CREATED, "Fatima B.")) == (("done", "✅ Terminé"),)
    assert staff_buttons(base.changed("closed", CREATED)) == ()
    assert notice_text("withdrawn", "R-7K3Q") == ("🗑️ R-7K3Q : retirée par la personne, qui a effacé ses données. "
                                                  "Ne la rappelez pas.")
    assert "Samira" not in notice_text("expired", "R-7K3Q")


def test_the_e_mail_text_names_each_fact() -> None:
    text = email_text(record())
    assert "À rappeler : Samira, au +33612345678, le matin" in text and "Référence : R-7K3Q" in text


# ---- the person's number -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "e164"), [
    ("06 12 34 56 78", "+33612345678"), ("0612345678", "+33612345678"), ("06.12.34.56.78", "+33612345678"),
    ("+33 6 12 34 56 78", "+33612345678"), ("0033 6 12 34 56 78", "+33612345678"), ("01 43 93 93 93", "+33143939393"),
    ("mon numéro : 06 12 34 56 78 merci", "+33612345678"), ("+44 20 7946 0958", "+442079460958"),
])
def test_a_typed_number_is_kept_in_international_form(typed: str, e164: str) -> None:
    assert check_phone(typed).e164 == e164


@pytest.mark.parametrize(("typed", "problem"), [
    ("", "empty"), ("   ", "empty"), ("je ne sais pas", "not-a-number"), ("06 12 34", "too-short"),
    ("06 12 34 56 78 90", "too-long"), ("07 00 00 00 00", "invalid"), ("3949", "service-number"),
    ("0800 123 456", "service-number"), ("06 12 34 56 78 ou 01 43 93 93 93", "several"),
])
def test_a_number_that_cannot_be_called_back_says_why(typed: str, problem: str) -> None:
    checked = check_phone(typed)
    assert checked.e164 is None and checked.problem == problem and not checked.ok


@given(digits=st.text("0123456789", min_size=8, max_size=8), separator=st.sampled_from(["", " ", ".", "-"]))
def test_any_french_mobile_however_written_is_the_same_number(digits: str, separator: str) -> None:
    national = "06" + digits
    number = phonenumbers.parse(national, "FR")
    if not phonenumbers.is_valid_number(number):
        return
    written = separator.join(national[i:i + 2] for i in range(0, 10, 2))
    assert check_phone(written).e164 == "+33" + national[1:]


def test_a_shared_contact_number_gets_its_plus() -> None:
    assert shared_phone("33612345678") == "+33612345678"
    assert shared_phone("+33 6 12 34 56 78") == "+33612345678"
    assert shared_phone("123") is None and shared_phone("") is None


def test_a_request_refuses_what_it_cannot_use() -> None:
    with pytest.raises(ValueError, match=r"E\.164"):
        a_request(phone="06 12 34 56 78")
    with pytest.raises(ValueError, match="phone number"):
        a_request(phone=None)
    with pytest.raises(ValueError, match="reach"):
        a_request(reach="pigeon")
    with pytest.raises(ValueError, match="Telegram group"):
        submission(a_request(destination=EMAIL_ONLY, reach="telegram", phone=None), EMAIL_ONLY)


def test_a_record_survives_its_round_trip_through_the_store() -> None:
    sent = submission(a_request(health="oui", needs=("A", "B")), ALI_TEST)
    assert RequestRecord.from_row(sent.row) == sent.record
    assert read_notice(sent.outbox[0]).record == sent.record
    assert ContactRequest.from_dict(sent.record.request.to_dict()) == sent.record.request


# ---- references ----------------------------------------------------------------------------------------------


def test_references_are_easy_to_read_aloud() -> None:
    for _ in range(500):
        ref = make_reference()
        assert re.fullmatch(r"R-[2-9B-DF-HJ-NP-TV-XZ]{4}", ref), ref
        assert not set(ref[2:]) & set("0O1IAEUY")


def test_a_reference_is_found_in_a_staff_message_however_typed() -> None:
    assert find_reference("C'est pour la r-7k3q, merci") == "R-7K3Q"
    assert find_reference("🔖 R-7K3Q · demande du 2 décembre") == "R-7K3Q"
    assert find_reference("XR-7K3QZ") is None and find_reference(None) is None


async def test_a_new_reference_is_never_one_the_store_holds(monkeypatch: pytest.MonkeyPatch) -> None:
    store = MemoryStore()
    sent = submission(a_request("R-7K3Q"), ALI_TEST)
    await store.save("telegram:424242", "{}", CREATED, [], [sent.row], sent.outbox)
    draws = iter(["R-7K3Q", "R-7K3Q", "R-8L4R"])
    monkeypatch.setattr(bot.contact.reference, "make_reference", lambda: next(draws))
    assert await new_reference(store) == "R-8L4R"


# ---- staff take, finish; the person cancels -----------------------------------------------------------------


async def test_the_first_to_take_a_request_gets_it_and_the_person_is_told() -> None:
    store, now = MemoryStore(), Clock(CREATED)
    sent = submission(a_request(), ALI_TEST)
    await store.save("telegram:424242", "{}", CREATED, [], [sent.row], sent.outbox)
    woken: list[bool] = []
    desk = RequestDesk(store, now, lambda: woken.append(True))
    first = await desk.take("R-7K3Q", "Fatima B.")
    second = await desk.take("R-7K3Q", "Karim D.")
    assert first.done and first.record is not None and first.record.taken_by == "Fatima B."
    assert second.refused == "already-taken" and second.record is not None and second.record.taken_by == "Fatima B."
    assert woken == [True]
    person = [i for i in store.outbox.values() if i.channel == "person"]
    assert [(i.kind, i.target) for i in person] == [("taken", "telegram:424242")]
    assert read_notice(person[0]).lang == "ar"
    closed = await desk.close("R-7K3Q", "Karim D.")
    assert closed.done and closed.record is not None and closed.record.status == "closed"
    assert (await desk.close("R-7K3Q")).refused == "finished"
    assert (await desk.take("R-2222", "Fatima B.")).refused == "unknown"


async def test_the_person_cancels_and_staff_are_told_not_to_call() -> None:
    store = MemoryStore()
    sent = submission(a_request(), ALI_TEST)
    await store.save("telegram:424242", "{}", CREATED, [], [sent.row], sent.outbox)
    desk = RequestDesk(store, Clock(CREATED))
    outcome = await desk.cancel("telegram:424242")
    assert outcome.done and await desk.open_request("telegram:424242") is None
    kinds = sorted((i.kind, i.channel) for i in store.outbox.values() if i.kind == "cancelled")
    assert kinds == [("cancelled", "email"), ("cancelled", "telegram")]
    assert (await desk.cancel("telegram:424242")).refused == "unknown"


def test_relays_are_one_per_source_message_and_carry_nothing_else() -> None:
    base = record()
    to_person = relay_to_person(base, "Bonjour, je vous appelle demain.", f"{ALI_TEST.telegram_chat}:55")
    assert to_person.channel == "person" and to_person.target == "telegram:424242"
    assert read_notice(to_person).text == "Bonjour, je vous appelle demain." and read_notice(to_person).lang == "ar"
    to_staff = relay_to_staff(base, "Merci", "9")
    assert to_staff is not None and to_staff.target == str(ALI_TEST.telegram_chat)
    assert "+33612345678" not in to_staff.payload and "Clichy" not in to_staff.payload
    assert relay_to_staff(RequestRecord(a_request(destination=EMAIL_ONLY), EMAIL_ONLY), "Merci", "9") is None


# ---- settings ------------------------------------------------------------------------------------------------


def test_settings_from_the_environment() -> None:
    settings = ContactSettings.from_env({
        "BOT_STAFF_CHAT": "-1009990000002", "BOT_SMTP_HOST": "smtp.example.org", "BOT_SMTP_USER": "bot",
        "BOT_SMTP_PASSWORD": "s3cret-test", "BOT_SMTP_FROM": "assistant-rsa@example.org",
        "BOT_REQUEST_RETENTION_DAYS": "15", "BOT_REQUEST_EXPIRY_DAYS": "60"})
    assert settings.staff_chat == -1009990000002 and settings.smtp is not None
    assert (settings.smtp.port, settings.smtp.starttls, settings.smtp.domain) == (587, True, "example.org")
    assert (settings.retention.closed_days, settings.retention.open_days) == (15, 60)
    assert "s3cret-test" not in repr(settings)
    assert ContactSettings.from_env({}) == ContactSettings()


@pytest.mark.parametrize(("env", "named"), [
    ({"BOT_STAFF_CHAT": "12345"}, "BOT_STAFF_CHAT"), ({"BOT_STAFF_CHAT": "@equipe"}, "BOT_STAFF_CHAT"),
    ({"BOT_SMTP_HOST": "smtp.example.org"}, "BOT_SMTP_FROM"),
    ({"BOT_SMTP_HOST": "h", "BOT_SMTP_FROM": "pas une adresse"}, "BOT_SMTP_FROM"),
    ({"BOT_SMTP_HOST": "h", "BOT_SMTP_FROM": "a@example.org", "BOT_SMTP_PORT": "99999"}, "BOT_SMTP_PORT"),
    ({"BOT_SMTP_HOST": "h", "BOT_SMTP_FROM": "a@example.org", "BOT_SMTP_USER": "bot"}, "BOT_SMTP_PASSWORD"),
    ({"BOT_SMTP_HOST": "h", "BOT_SMTP_FROM": "a@example.org", "BOT_SMTP_STARTTLS": "peut-être"}, "BOT_SMTP_STARTTLS"),
    ({"BOT_REQUEST_RETENTION_DAYS": "-1"}, "BOT_REQUEST_RETENTION_DAYS"),
])
def test_a_bad_setting_is_one_sentence_naming_it(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError) as bad:
        ContactSettings.from_env(env)
    assert named in str(bad.value) and str(bad.value).count(". ") <= 1


def test_an_e_mail_destination_needs_the_smtp_settings() -> None:
    routing = Routing(destinations=MappingProxyType({EMAIL_ONLY.id: EMAIL_ONLY}))
    with pytest.raises(ConfigError, match="BOT_SMTP_HOST"):
        ContactSettings().check(routing)
    ContactSettings().check(Routing())


def test_the_front_door_exports_what_it_names() -> None:
    assert sorted(bot.contact.__all__) == sorted(set(bot.contact.__all__))
    for name in bot.contact.__all__:
        assert getattr(bot.contact, name) is not None
