"""Telegram HTML: every dynamic value escaped, cards with map links or venues, tappable phone numbers.

Two rules a person notices, tested on every shipped card: a phone number is always written so that Telegram makes
it tappable (the international form, +33…); a map link only ever goes with a real street address.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from bot.channels.telegram.render import (
    MAX_TEXT,
    TextMessage,
    VenueMessage,
    card_html,
    render_outputs,
    split_html,
)
from bot.content import Content, load_content
from bot.content.phones import parse_phone
from bot.content.street import is_street_address
from bot.engine import Ask, Button, Finished, Place, Say, ShowCard
from bot.engine.render import render_card
from bot.i18n import Translations
from tests.auxil.botapi import parse_html

NASTY = "Yookan <Rosny> & \"Co\" 'quiz' &amp; </b>"
Edit = Callable[[str, str, str], Path]


def nasty_content(edit: Edit) -> Path:
    """A content copy whose cards hold HTML-looking text, a phone number, hours and coordinates."""
    edit("knowledge/services/yookan.yaml", "nom: Yookan", f"nom: '{NASTY.replace(chr(39), chr(39) * 2)}'")
    edit("knowledge/services/yookan.yaml", "texte: Yookan vous fait",
         'texte: <b>Pas du gras</b> & "guillemets". Yookan vous fait')
    edit("knowledge/services/yookan.yaml", "lieu: Centre commercial", "telephone: 01 43 93 93 93\nhoraires_accueil: "
         "Mo-Fr 09:00-12:30,13:30-17:00\nadresse: 3 rue <du> Marché & co\nlieu: Centre <commercial> &")
    return edit("knowledge/services/france-travail.yaml", "zone_eligibilite:", "adresse: 1 rue de la Paix\n"
                "commune: Bobigny\ncode_postal: \"93000\"\nlatitude: 48.9064\nlongitude: 2.4452\nzone_eligibilite:")


def test_card_text_from_yaml_is_escaped_and_reads_back_exactly(edit: Edit, content_copy: Path,
                                                             translations: Translations) -> None:
    nasty_content(edit)
    content = load_content(content_copy)
    card = render_card(content.cards["yookan"], content, "fr", translations)
    html = card_html(card, translations, "fr")
    text, entities = parse_html(html)  # Telegram's parser: raises on any unescaped '<' or '&'
    assert text.splitlines()[0] == NASTY and entities[0] == {"type": "bold", "offset": 0, "length": len(NASTY)}
    assert '<b>Pas du gras</b> & "guillemets".' in text
    assert text.splitlines()[3] == "📞 Téléphone : +33143939393"  # how to reach it comes first, tappable
    assert "🕒 Horaires : " in text and "9h–12h30" in text
    link = next(e for e in entities if e["type"] == "text_link")
    address = "3 rue <du> Marché & co, Rosny-sous-Bois"  # the street only: the place's description stays out
    assert parse_qs(urlsplit(link["url"]).query)["query"] == [address]
    assert link["url"].startswith("https://www.openstreetmap.org/search?query=")


def test_a_place_with_coordinates_is_sent_as_a_venue_without_map_link(edit: Edit, content_copy: Path,
                                                                     translations: Translations) -> None:
    nasty_content(edit)
    content = load_content(content_copy)
    card = render_card(content.cards["france-travail"], content, "fr", translations)
    messages = render_outputs([card], translations, "fr")
    assert [type(m) for m in messages] == [TextMessage, VenueMessage]
    assert isinstance(messages[1], VenueMessage) and messages[1].place == Place(
        "France Travail", "1 rue de la Paix, 93000 Bobigny", 48.9064, 2.4452, "1 rue de la Paix, 93000 Bobigny")
    assert "openstreetmap" not in messages[0].html  # type: ignore[union-attr]


def test_every_shipped_card_is_valid_telegram_html_in_every_language(content: Content,
                                                                    translations: Translations) -> None:
    for lang in translations.codes:
        for card in content.cards.values():
            for part in split_html(card_html(render_card(card, content, lang, translations), translations, lang)):
                assert len(part) <= MAX_TEXT
                parse_html(part)


def test_sentences_merge_and_only_the_last_question_keeps_buttons(translations: Translations) -> None:
    first = Ask("Vous voulez dire « <Bondy> » ?", (Button("!yes", "Oui"),), "a#confirm")
    last = Ask("🏠 Ville & code ?", (Button("!list", "Liste", "📋"),), "a:commune", free_text=True)
    card = ShowCard("x", "Titre", "Résumé", ())
    messages = render_outputs([Say("Bonjour <toi>"), Say(" "), first, last, card, Say("Fin & merci"), Finished()],
                              translations, "fr")
    assert messages == [
        TextMessage("Bonjour &lt;toi&gt;\n\nVous voulez dire « &lt;Bondy&gt; » ?"),
        TextMessage("🏠 Ville &amp; code ?", last),
        TextMessage("<b>Titre</b>\nRésumé\n"),
        TextMessage("Fin &amp; merci"),
    ]


def test_every_shipped_phone_number_is_tappable(content: Content, translations: Translations) -> None:
    """A card's number is written +33…; a short number (3949) stays as it is; numbers inside texts too."""
    phones = 0
    for lang in translations.codes:
        for card in content.cards.values():
            text, _ = parse_html(card_html(render_card(card, content, lang, translations), translations, lang))
            if card.telephone:
                phones += 1
                dial = parse_phone(card.telephone).dial
                assert dial in text, f"{card.id} [{lang}]: {dial} not in {text!r}"
                assert dial.startswith("+") or len(dial) == 4
            for national in ("01 43 93 93 93", "09 69 32 81 10"):
                assert national not in text, f"{card.id} [{lang}]: '{national}' would not be tappable"
    assert phones >= 5


def test_a_number_inside_a_sentence_is_written_to_be_tapped(translations: Translations) -> None:
    messages = render_outputs([Say("Appelez le standard au 01 43 93 93 93. Ou le 3949.")], translations, "fr")
    assert messages == [TextMessage("Appelez le standard au +33143939393. Ou le 3949.")]


def test_a_map_link_only_goes_with_a_street_address(content: Content, translations: Translations) -> None:
    """'2e étage de l'antenne…' or 'Bureaux à Montreuil…' are descriptions: a map search would find nothing."""
    linked = 0
    for card in content.cards.values():
        shown = render_card(card, content, "fr", translations)
        _, entities = parse_html(card_html(shown, translations, "fr"))
        maps = [e["url"] for e in entities if e["type"] == "text_link" and "openstreetmap" in e["url"]]
        street = bool(card.adresse and is_street_address(card.adresse))
        assert bool(maps) == street, f"{card.id}: map link {maps} for adresse={card.adresse!r} lieu={card.lieu!r}"
        for url in maps:
            query = parse_qs(urlsplit(url).query)["query"][0]
            assert card.adresse and query.startswith(card.adresse) and (card.lieu or "§") not in query
            linked += 1
    assert linked >= 2  # Pointcarré, MDAA, the ALI of Romainville


def test_long_text_is_cut_between_lines_and_never_inside_an_entity() -> None:
    text = "\n".join(["&lt;ligne&gt; " * 30] * 40) + "\n" + "&amp;" * 2000
    parts = split_html(text)
    assert all(len(p) <= MAX_TEXT for p in parts) and len(parts) > 2
    assert "\n".join(parts).replace("\n", "") == text.replace("\n", "")
    for part in parts:
        parse_html(part)
