"""Nothing reaches a person untranslated: the engine is driven through every step, side question and card in
every shipped language, and no French source text may show (except the names listed in SAME, each with its
reason). Also: choosing and changing the language, and an Arabic speaker going from start to cards by typing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from functools import cache
from pathlib import Path

import pytest

from bot.content import load_content
from bot.content.opening_hours import PARIS
from bot.engine import (
    Ask,
    Command,
    Engine,
    Event,
    Output,
    Press,
    Say,
    SharedLocation,
    ShowCard,
    Start,
    StartPayload,
    State,
    Text,
    Unsupported,
)
from bot.engine import texts as T
from bot.engine.prompts import (
    CONFIRM,
    CONFIRM_COMMUNE,
    FINISHED,
    OUTSIDE,
    PICK_COMMUNE,
    PICK_TERRITORY,
    RESUME,
    V_LIST,
    V_NO,
    V_RETYPE,
)
from bot.engine.render import render_card
from bot.engine.state import HistoryEntry, Pending
from bot.golden import GOLDEN_DIR, Client, Clock, engine_for, load_goldens, play_turn
from bot.i18n import COMMUNE_CONTEXT, SOURCE_LANGUAGE, Translations, split_key
from bot.i18n.sources import is_synonym_list, needed_messages
from bot.i18n.text import FSI, PDI, first_strong, strip_bidi

ROOT = Path(__file__).resolve().parent.parent
CONTENT = load_content(ROOT)
SHIPPED = Translations()
ENGINE = Engine(CONTENT, SHIPPED)
LANGUAGES = [code for code in SHIPPED.codes if code != SOURCE_LANGUAGE]
NEEDED = needed_messages(CONTENT, ROOT)
SHOWN = {m: o for m, o in NEEDED.items() if not is_synonym_list(o)}
"""French texts shown to people (synonyms are only matched, never shown)."""
ENGINE_SHOWN = {m for m, o in SHOWN.items() if any(x.file.startswith(("bot/engine/", "flows/", "knowledge/"))
                                                   for x in o)}
"""What the engine itself can show; channels' own texts are covered by the catalog tests."""

NAMES = {"Adie", "France Travail", "Handiforum", "Plat'In", "Réseau Entreprendre 93", "Yookan", "Boutique en Scène",
         "CAF", "Pointcarré"}
SAME: dict[tuple[str, str], str] = {
    **{(code, name): "proper name of a service, written as on its signs and letters"
       for code in LANGUAGES for name in NAMES},
    ("en", "Source"): "the same word in English",
}
"""(language, French text) shown identical on purpose, with the reason."""
NOT_REACHED = {
    CONTENT.intents["help"].label: "the help intent has no button in the engine; channels show it as a command",
}
IN_ADDRESSES = {card.lieu for card in CONTENT.cards.values() if card.lieu}
"""Place descriptions: translated, but shown inside the address line (data, left out of the leak check below);
tests/test_translations_current.py makes sure every language has them."""
DATA_LINES = {"address", "place", "phone", "email", "url"}
"""Card lines whose value is data kept as published (addresses, numbers), never translated."""


def at(step: str, lang: str, *, pending: Pending | None = None, history: bool = True, **answers: str) -> State:
    state = ENGINE.new_state(1000.0)
    state.step, state.lang, state.lang_chosen, state.pending = step, lang, True, pending
    state.answers = dict(answers)
    if history:
        state.history = [HistoryEntry("accueil:francais", {})]
    return state


NOW = 1_796_202_000.0
"""2026-12-02 09:00 UTC: the cards compare their sources' dates with it (old sources show their year)."""


def paris(*args: int) -> float:
    return datetime(*args, tzinfo=PARIS).timestamp()  # type: ignore[misc]


class Person:
    """One conversation, through JSON at every turn like the real store; keeps every output."""

    def __init__(self) -> None:
        self.now = NOW
        self.state: State | None = None
        self.outputs: list[Output] = []
        self.last: list[Output] = []

    def send(self, event: Event, *, wait: float = 1.0) -> list[Output]:
        self.now += wait
        turn = ENGINE.handle(self.state, event, self.now)
        self.state = State.from_json(turn.state.to_json())
        self.last = list(turn.outputs)
        self.outputs += self.last
        return self.last

    @property
    def ask(self) -> Ask:
        asks = [o for o in self.last if isinstance(o, Ask)]
        assert asks, f"no question in {self.last}"
        return asks[-1]

    def press(self, value: str) -> list[Output]:
        assert value in {b.value for b in (*self.ask.buttons, *self.ask.nav)}, (value, self.ask)
        return self.send(Press(self.ask.token, value))

    def type(self, text: str) -> list[Output]:
        return self.send(Text(text))


@cache
def tour(lang: str) -> tuple[Output, ...]:
    """Everything the engine can say, in one language: every step, side question, message and card."""
    outputs: list[Output] = []
    # Every question, as asked, and every side question.
    for key, step in CONTENT.steps.items():
        if step.waits_for_answer:
            outputs += ENGINE.current(at(key, lang))
    commune = "accueil:commune"
    for pending in (Pending(CONFIRM, "un-peu"), Pending(FINISHED), Pending(RESUME)):
        outputs += ENGINE.current(at("accueil:francais", lang, pending=pending))
    for pending in (Pending(CONFIRM_COMMUNE, "93010"), Pending(PICK_TERRITORY), Pending(OUTSIDE, "Paris"),
                    Pending(PICK_COMMUNE, options=["93010", "93048"]),
                    Pending(PICK_COMMUNE, options=["93010", "93048", "93066", "93008"])):
        outputs += ENGINE.current(at(commune, lang, pending=pending))
    # The result list with a single place, and one with every card, each rule giving its reason.
    one = at("accueil:resultat", lang)
    one.places, one.shown = ["yookan|0"], 1
    outputs += ENGINE.current(one)
    rules = len(CONTENT.steps["accueil:resultat"].card_rules)
    every = at("accueil:resultat", lang)
    every.places = [f"{card}|{index % rules}" for index, card in enumerate(CONTENT.cards)]
    every.shown = len(every.places)
    outputs += ENGINE.current(every)
    # A conversation through the messages, the mistakes and the commune side questions.
    person = Person()
    person.send(Start(StartPayload(lang=lang)))
    person.type("xyzzy qwertz")
    person.send(Press("an-old-question", "bien"))
    person.send(Command("back"))
    person.send(Command("help"))
    person.send(Command("human"))
    person.send(Unsupported("photo"))
    person.send(SharedLocation(48.9, 2.45))
    person.press("questions")
    person.press("un-peu")
    person.send(Text("zzz"), wait=7 * 3600)  # back after hours: "do you want to continue?"
    person.press("!continue")
    person.press("difficile")
    person.press("oui")
    person.press("oui")
    person.press("plus-de-contact")
    person.send(SharedLocation(48.9, 2.45))  # at the town question: it is never turned into a town
    person.type("qqqxxzw")
    person.type("Paris")
    person.press(V_RETYPE)
    person.type("Clichy")  # a town outside whose département is named
    person.press(V_RETYPE)
    person.press(V_LIST)
    person.press(person.ask.buttons[0].value)
    person.press(V_NO)
    person.type("Pierrefitte")
    person.send(Command("language"))
    person.press(f"@{lang}")
    person.send(Command("back"))
    person.type("Bondy")
    person.press("~0")
    person.type("pas ça")
    person.press("!more")
    person.press("!done")
    person.type("encore ?")
    person.send(Command("restart"))
    for need in ("francais", "numerique", "sante", "entreprise", "referent", "emploi"):
        person.press(need)
        if need == "francais":
            person.press("pas-du-tout")
        person.type("Clichy-sous-Bois")
        for value in [b.value for b in person.ask.buttons if b.value.startswith("~")]:
            person.press(value)
        person.press("!more")
        for value in [b.value for b in person.ask.buttons if b.value.startswith("~")]:
            person.press(value)
        person.send(Command("restart"))
    outputs += person.outputs
    # The requests to be contacted, as their golden conversations play them (with a staff chat to send to).
    for golden in load_goldens(GOLDEN_DIR, SHIPPED.codes):
        if golden.staff_chat is not None:
            client = Client(engine_for(ENGINE, golden.staff_chat), Clock())
            outputs += client.start(lang=lang, lang_hint=lang)
            for turn in golden.turns:
                play_turn(client, turn, lang)
                outputs += client.outputs
    # A conversation whose questions changed while the person was away.
    gone = at("accueil:disparue", lang)
    gone.content_version = "older"
    outputs += ENGINE.handle(gone, Text("oui"), 2000.0).outputs
    # Every card, for someone with a referent and someone without, and one with every field filled (no shipped
    # card has hours or an e-mail yet), at moments that give each "open / closed" sentence.
    for answers in ({"referent": "oui"}, {"referent": "non"}):
        outputs += [render_card(card, CONTENT, lang, SHIPPED, answers=answers, now=NOW)
                    for card in CONTENT.cards.values()]
    full = replace(CONTENT.cards["yookan"], horaires_accueil="Mo-Fr 09:00-12:30,13:30-17:00; Sa off",
                   telephone="01 23 45 67 89", courriel="contact@example.org", site_web="https://example.org",
                   a_apporter=("une pièce d'identité",))
    for moment in (paris(2026, 12, 1, 10, 0), paris(2026, 12, 1, 12, 45), paris(2026, 12, 4, 18, 0),
                   paris(2026, 12, 2, 18, 0)):
        outputs.append(render_card(full, CONTENT, lang, SHIPPED, now=moment))
    for hours, moment in (("24/7", NOW), ("Mo 09:00-12:00; Jan off", paris(2026, 12, 28, 13, 0)),
                          ("Jan 05 09:00-12:00", paris(2026, 12, 28, 13, 0))):
        outputs.append(render_card(replace(full, horaires_accueil=hours), CONTENT, lang, SHIPPED, now=moment))
    return tuple(outputs)


def shown_texts(outputs: tuple[Output, ...] | list[Output]) -> Iterator[str]:
    """Every text a person reads; data values (addresses, numbers, source titles) left out."""
    for output in outputs:
        if isinstance(output, Say):
            yield output.text
        elif isinstance(output, Ask):
            yield output.text
            yield from (b.label for b in (*output.buttons, *output.nav))
        elif isinstance(output, ShowCard):
            card = CONTENT.cards[output.card_id]
            yield output.title
            yield output.summary
            for line in output.lines:
                yield line.label
                if line.kind == "source":
                    value = line.value
                    for source in card.sources:
                        value = value.replace(source.titre, "")
                    yield value
                elif line.kind not in DATA_LINES:
                    yield line.value
                yield line.note


def _pattern(msgid: str) -> re.Pattern[str]:
    parts = re.split(r"\{[^{}]*\}", msgid)
    return re.compile(r"(?<!\w)" + ".+?".join(re.escape(p) for p in parts) + r"(?!\w)")


PATTERNS = {msgid: _pattern(msgid) for msgid in SHOWN}


SAID_AS_WRITTEN = {
    "Apprendre le français": "the network's name, which a person says when they call France Travail",
    "Mairie de Romainville": "the building's name on its sign, where the agency receives people",
    "Centre d'affaires Rosny 2": "the building's name on its sign, where the agency receives people",
}
"""French names that a translated sentence may quote, so that the person can ask for the place by its name."""


def french_in(text: str, lang: str) -> list[str]:
    text = strip_bidi(text)
    return [m for m, pattern in PATTERNS.items() if (lang, m) not in SAME and pattern.search(text)
            and not (m in SAID_AS_WRITTEN and text != m)]


def without_language_question(outputs: tuple[Output, ...]) -> list[Output]:
    """The language question is written in every language on purpose (checked on its own below)."""
    return [o for o in outputs if not (isinstance(o, Ask) and o.token.endswith("#language"))]


def test_the_tour_reaches_every_text_the_engine_can_show() -> None:
    seen = {m for text in shown_texts(tour(SOURCE_LANGUAGE)) for m in french_in(text, SOURCE_LANGUAGE)}
    assert ENGINE_SHOWN - seen == set(NOT_REACHED) | IN_ADDRESSES, "extend tour() to reach the new text"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_french_reaches_a_person(lang: str) -> None:
    leaks = {(text, tuple(found)) for text in shown_texts(without_language_question(tour(lang)))
             if (found := french_in(text, lang))}
    assert leaks == set()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_identical_texts_are_exactly_the_listed_ones(lang: str) -> None:
    identical = {m for m in SHOWN if SHIPPED.has(lang, m) and SHIPPED.gettext(lang, m) == m}
    assert identical == {m for (code, m) in SAME if code == lang}


def test_town_names_are_not_shown_texts_so_a_copy_is_no_leak() -> None:
    """The town names (msgctxt "commune") are spellings people type, never shown: languages written in Latin
    letters (en, pt, tr) copy them unchanged on purpose, so the identical-text rule above does not apply to them
    (tests/test_communes_scripts.py checks the copies, and the other scripts' spellings)."""
    towns = {m for m in NEEDED if split_key(m)[0] == COMMUNE_CONTEXT}
    assert len(towns) == len(CONTENT.communes)
    assert not towns & set(SHOWN)


@pytest.mark.parametrize("lang", [code for code in LANGUAGES if SHIPPED.is_rtl(code)])
def test_right_to_left_lines_start_right_to_left(lang: str) -> None:
    """Telegram lays out each line by its first strong letter: Arabic lines must not start with a Latin word.
    Names and addresses inside them are isolated (FSI…PDI) so that their numbers keep their order."""
    for output in tour(lang):
        if isinstance(output, (Say, Ask)) and not output.text.startswith("🌍"):
            for line in output.text.splitlines():
                assert first_strong(line) != "L", line
        elif isinstance(output, ShowCard):
            assert first_strong(output.summary) == "R", output.summary
            for line in output.lines:
                assert first_strong(f"{line.label} : {line.value}") != "L", line
                if line.kind in ("address", "place", "phone"):
                    assert line.value.startswith(FSI) and line.value.endswith(PDI)


def test_mixed_arabic_and_latin_address_is_isolated() -> None:
    yookan = render_card(CONTENT.cards["yookan"], CONTENT, "ar", SHIPPED, now=NOW)
    address = next(line for line in yookan.lines if line.kind == "place")
    shown_place = SHIPPED.gettext("ar", "Centre commercial Westfield Rosny 2")
    assert shown_place != "Centre commercial Westfield Rosny 2" and "Westfield Rosny 2" in shown_place
    assert address.value == f"{FSI}{shown_place}, Rosny-sous-Bois{PDI}"
    assert next(line for line in yookan.lines if line.kind == "source").value.endswith(f"{FSI}2 ديسمبر 2026{PDI})")
    pointcarre = render_card(CONTENT.cards["pointcarre"], CONTENT, "ar", SHIPPED, now=NOW)
    assert pointcarre.place is not None and pointcarre.place.street == "20 bis rue Gabriel-Péri, Saint-Denis"
    assert FSI not in (pointcarre.place.street or "")  # map data stays clean
    french = render_card(CONTENT.cards["yookan"], CONTENT, "fr", SHIPPED)
    assert FSI not in str(french)


def test_dates_are_written_for_the_language() -> None:
    def checked(lang: str) -> str:
        card = render_card(CONTENT.cards["platin"], CONTENT, lang, SHIPPED)
        return strip_bidi(next(line for line in card.lines if line.kind == "source").value)

    assert checked("fr").endswith("(vérifié le 2 décembre 2026)")
    assert checked("en").endswith("(checked on December 2, 2026)")
    assert checked("pt").endswith("(verificado em 2 de dezembro de 2026)")
    assert checked("tr").endswith("(2 Aralık 2026 tarihinde kontrol edildi)")
    assert checked("zh").endswith("(核实日期：2026年12月2日)")


# ---- choosing the language ------------------------------------------------------------------------------------

def test_unknown_device_language_asks_first_in_every_language() -> None:
    person = Person()
    person.send(Start(lang_hint="de"))
    assert person.state is not None and person.state.lang is None
    ask = person.ask
    for code in SHIPPED.codes:
        assert SHIPPED.gettext(code, T.ASK_LANGUAGE) in ask.text
    assert "Choisissez votre langue." in ask.text
    assert [b.value for b in ask.buttons] == [f"@{code}" for code in SHIPPED.codes]
    assert ask.nav == ()
    person.send(Command("back"))  # nothing before this question: it is asked again
    assert person.ask.text == ask.text
    person.press("@pt")
    texts = [o.text for o in person.last if isinstance(o, (Say, Ask))]
    assert texts[0] == "Muito bem, a partir de agora escrevo em português."
    assert texts[1].startswith("Olá 👋")  # the conversation starts from its first step
    assert person.ask.text == f"🧭 {SHIPPED.gettext('pt', 'Que cherchez-vous ?')}"
    assert person.state is not None and person.state.lang == "pt" and person.state.lang_chosen


@pytest.mark.parametrize("typed", ["arabe", "Arabic", "العربية", "ar"])
def test_the_language_can_be_typed(typed: str) -> None:
    person = Person()
    person.send(Start(lang_hint=None))
    person.type(typed)
    assert person.state is not None and person.state.lang == "ar"
    assert person.ask.text == f"🧭 {SHIPPED.gettext('ar', 'Que cherchez-vous ?')}"


@pytest.mark.parametrize(("hint", "lang"), [("pt-BR", "pt"), ("ar-MA", "ar"), ("en-GB", "en"), ("fr", "fr")])
def test_device_language_is_used_without_asking(hint: str, lang: str) -> None:
    person = Person()
    person.send(Start(lang_hint=hint))
    assert person.state is not None and person.state.lang == lang and not person.state.lang_chosen
    assert person.ask.text == f"🧭 {SHIPPED.gettext(lang, 'Que cherchez-vous ?')}"


def test_a_link_language_wins_over_the_device() -> None:
    person = Person()
    person.send(Start(StartPayload(lang="tr"), lang_hint="fr"))
    assert person.state is not None and person.state.lang == "tr" and person.state.lang_chosen
    assert person.ask.text == f"🧭 {SHIPPED.gettext('tr', 'Que cherchez-vous ?')}"


def test_changing_language_keeps_answers_and_repeats_the_question() -> None:
    person = Person()
    person.send(Start(lang_hint="fr"))
    person.press("questions")
    person.press("un-peu")
    person.press("difficile")
    before = person.state
    assert before is not None and before.step == "accueil:handicap"
    person.press("!language")
    assert person.ask.token == "accueil:handicap#language"
    person.press("@en")
    after = person.state
    assert after is not None
    assert (after.lang, after.lang_chosen, after.step) == ("en", True, "accueil:handicap")
    assert after.answers == before.answers and after.history == before.history
    assert [o.text for o in person.last if isinstance(o, Say)] == ["OK, I will write to you in English."]
    assert person.ask.text == "♿ Does a disability or a health problem make work hard for you?"
    assert [b.label for b in person.ask.nav] == ["Back", "Start again", "Language", "Talk to a person"]
    person.send(Start(lang_hint="fr"))  # /start again: the chosen language is remembered
    assert person.state is not None and person.state.lang == "en"
    assert person.ask.text == f"🧭 {SHIPPED.gettext('en', 'Que cherchez-vous ?')}"


def test_an_arabic_speaker_types_arabic_from_start_to_cards() -> None:
    person = Person()
    person.send(Start(lang_hint="ar"))
    person.type("لا أعرف")  # "I don't know": the whole questionnaire
    assert person.ask.text == "🗣️ هل تتكلم الفرنسية؟"
    person.type("شويّة")  # "a little", in Maghrebi Arabic, with a shadda
    assert person.state is not None and person.state.answers["francais"] == "un-peu"
    assert person.ask.text == "📱 هل تستعمل الهاتف أو الحاسوب بسهولة؟"
    person.type("صعب")
    person.type("لا")
    person.type("ربما")
    person.type("لا أعرف")
    assert person.state is not None and person.state.step == "accueil:commune"
    person.type("Sevran")
    assert person.state is not None
    assert person.state.answers == {"besoin": "questions", "francais": "un-peu", "numerique": "difficile",
                                    "entreprise": "peut-etre", "referent": "non",  # health: dropped at the list
                                    "commune": "93071", "territoire": "paris-terres-d-envol"}
    assert [p.partition("|")[0] for p in person.state.places][:2] == [
        "ali-sevran", "apprendre-le-francais-paris-terres-d-envol"]
    assert first_strong(person.ask.text) == "R" and not french_in(person.ask.text, "ar")
    person.type("1")
    person.type("2")
    cards = [o for o in person.outputs[-6:] if isinstance(o, ShowCard)]
    assert [c.card_id for c in cards] == ["ali-sevran", "apprendre-le-francais-paris-terres-d-envol"]
    assert cards[0].title == "وكالة الإدماج المحلية في Sevran"
    for card in cards:
        assert first_strong(card.summary) == "R"
        assert not french_in(card.summary, "ar")


@pytest.mark.parametrize(("lang", "typed", "choice"), [
    ("ar", "قليلاً", "un-peu"), ("ar", "chwiya", "un-peu"), ("ar", "نعم", "bien"), ("en", "a bit", "un-peu"),
    ("pt", "um pouco", "un-peu"), ("fa", "کمی", "un-peu"), ("fa", "كمي", "un-peu"), ("tr", "biraz", "un-peu"),
    ("zh", "一点点", "un-peu"), ("tr", "hayir", "pas-du-tout"), ("ar", "un peu", "un-peu"),
])
def test_typed_answers_in_each_language(lang: str, typed: str, choice: str) -> None:
    person = Person()
    person.send(Start(StartPayload(lang=lang)))
    person.press("questions")
    person.type(typed)
    assert person.state is not None and person.state.answers.get("francais") == choice


@pytest.mark.parametrize(("lang", "word"), [("en", "back"), ("ar", "رجوع"), ("pt", "voltar"), ("zh", "返回")])
def test_words_that_work_everywhere_in_each_language(lang: str, word: str) -> None:
    person = Person()
    person.send(Start(StartPayload(lang=lang)))
    person.press("questions")
    person.press("un-peu")
    person.type(word)
    assert person.state is not None and person.state.step == "accueil:francais"


@pytest.mark.parametrize(("lang", "yes"), [("ar", "واه"), ("en", "yeah"), ("tr", "evet"), ("zh", "对")])
def test_yes_words_confirm_a_guess(lang: str, yes: str) -> None:
    state = at("accueil:francais", lang, pending=Pending(CONFIRM, "un-peu"))
    turn = ENGINE.handle(state, Text(yes), 1001.0)
    assert turn.state.answers.get("francais") == "un-peu"
