"""Engine behaviour beyond the golden files: content changes, odd inputs, state round-trips."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from bot.content import Content, load_content
from bot.engine import Ask, Engine, Press, SharedLocation, State, Text, Unsupported
from bot.engine.state import HistoryEntry, Pending
from bot.golden import Client, Clock
from bot.i18n import Translations


def test_state_from_older_content_resumes_where_the_step_still_exists(
        content: Content, translations: Translations, content_copy: Path) -> None:
    old = Client(Engine(content, translations))
    old.start()
    old.press("questions")
    old.press("un-peu")
    assert old.step == "numerique"
    flows = content_copy / "flows" / "accueil.yaml"
    flows.write_text(flows.read_text(encoding="utf-8").replace("Un peu", "Un petit peu"), encoding="utf-8")
    new_content = load_content(content_copy)
    assert new_content.version != content.version
    new = Client(Engine(new_content, translations), saved=old.saved)
    new.type("facile")
    assert new.step == "handicap"
    assert new.state.content_version == new_content.version
    assert new.state.answers["francais"] == "un-peu"


def test_state_whose_step_was_removed_restarts_with_an_apology(
        content: Content, translations: Translations, content_copy: Path) -> None:
    old = Client(Engine(content, translations))
    old.start()
    old.press("questions")
    old.press("bien")
    assert old.step == "lecture"
    flows = content_copy / "flows" / "accueil.yaml"
    text = flows.read_text(encoding="utf-8")
    start = text.index("\n  - id: lecture\n")
    end = text.index("\n  - id: apres-francais\n")
    text = text[:start] + text[end:]
    text = text.replace("        next: lecture\n", "")
    flows.write_text(text.replace("{lecture: difficile}, ", ""), encoding="utf-8")
    new = Client(Engine(load_content(content_copy), translations), saved=old.saved)
    new.type("oui")
    assert "les questions ont changé" in new.said
    assert new.asking == "besoin"


def test_old_button_after_content_change_never_crashes(client: Client) -> None:
    client.start()
    client.send(Press("accueil:does-not-exist", "whatever"))
    assert "Ce bouton est ancien" in client.said
    assert client.asking == "besoin"


def test_forged_button_value_on_the_current_question_is_refused(client: Client) -> None:
    client.start()
    token = client.last_ask.token  # type: ignore[union-attr]
    client.send(Press(token, "not-a-choice"))
    assert client.asking == "besoin"
    assert client.state.answers == {}


def test_unsupported_message_gets_a_kind_answer_and_the_question_again(client: Client) -> None:
    client.start()
    client.send(Unsupported("sticker"))
    assert "Je ne peux lire que du texte" in client.said
    assert client.asking == "besoin"


def test_shared_location_is_never_turned_into_a_guessed_commune(client: Client) -> None:
    client.start()
    for answer in ("questions", "bien", "facile", "facile", "non", "non", "oui"):
        client.press(answer)
    client.send(SharedLocation(48.9, 2.48))
    assert "Écrivez son nom" in client.said
    assert client.asking == "commune"
    assert "commune" not in client.state.answers


def test_any_text_gets_an_answer(client: Client) -> None:
    client.start()
    for text in ["", " ", "🙂" * 50, "x" * 4096, "\u202e\u200f", "<script>", "1" * 70]:
        outputs = client.type(text)
        assert any(isinstance(o, Ask) for o in outputs), text


def test_restart_keeps_language_and_referent(engine: Engine) -> None:
    client = Client(engine, Clock())
    client.start(referent="ALI-7")
    client.press("questions")
    client.press("bien")
    client.command("restart")
    assert client.state.referent == "ALI-7"
    assert client.state.answers == {}
    assert client.asking == "besoin"


def test_cards_show_sources_and_checked_date(client: Client) -> None:
    client.start()
    for answer in ("francais", "pas-du-tout"):
        client.press(answer)
    client.type("Stains")
    client.open("apprendre-le-francais-plaine-commune")
    card = next(c for c in client.card_views if c.card_id == "apprendre-le-francais-plaine-commune")
    source = next(line for line in card.lines if line.kind == "source")
    assert "data.gouv.fr), 2024" in source.value and "vérifié le 2 décembre 2026" in source.value
    unknown = card.lines[-1]
    assert unknown.kind == "unknown" and unknown.value == "le téléphone, l'adresse et les horaires"


def test_a_card_with_coordinates_carries_a_place(content_copy: Path, translations: Translations) -> None:
    card = content_copy / "knowledge" / "services" / "yookan.yaml"
    card.write_text(card.read_text(encoding="utf-8") + "latitude: 48.88\nlongitude: 2.48\n", encoding="utf-8")
    client = Client(Engine(load_content(content_copy), translations))
    client.start()
    for answer in ("questions", "bien", "facile", "facile", "non", "non", "oui", "!skip"):
        client.press(answer)
    client.open("yookan")
    view = next(c for c in client.card_views if c.card_id == "yookan")
    assert view.place is not None and view.place.has_coordinates
    assert "Rosny 2" in view.place.address


texts = st.text(max_size=20)
states = st.builds(
    State,
    step=texts, content_version=texts,
    answers=st.dictionaries(texts, texts, max_size=4),
    history=st.lists(st.builds(HistoryEntry, texts, st.dictionaries(texts, texts, max_size=3)), max_size=3),
    pending=st.none() | st.builds(Pending, texts, texts, st.lists(texts, max_size=3)),
    lang=st.none() | texts, lang_chosen=st.booleans(), referent=st.none() | texts, theme=st.none() | texts,
    finished=st.booleans(), started_at=st.floats(0, 1e10), updated_at=st.floats(0, 1e10),
    turn=st.integers(0, 10_000), places=st.lists(texts, max_size=5), shown=st.integers(0, 9),
)


@given(states)
def test_state_survives_a_json_round_trip(state: State) -> None:
    assert State.from_json(state.to_json()) == state


@given(st.text(max_size=200))
def test_garbage_saved_state_is_refused_not_raised(text: str) -> None:
    result = State.from_json(text)
    assert result is None or isinstance(result, State)


def test_state_format_change_is_refused() -> None:
    state = State(step="accueil:francais", content_version="x")
    raw = dataclasses.asdict(state)
    raw["format"] = 99
    assert State.from_dict(raw) is None


def test_typed_text_with_a_pending_commune_question_tries_again(client: Client) -> None:
    client.start()
    for answer in ("questions", "bien", "facile", "facile", "non", "non", "oui"):
        client.press(answer)
    client.type("Noisy")
    assert client.asking == "pick-commune"
    client.type("Bondy")
    assert "C'est noté : Bondy." in client.said


def test_text_event_accepted(client: Client) -> None:
    client.start()
    client.send(Text("7"))
    client.send(Text("2"))
    assert client.step == "numerique"
