"""The end of a conversation, as a person lives it: a short list, cards that start with how to reach the place,
hours that say whether it is open now (Paris time), more places on demand, and one next step at the end."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from bot.content import load_content
from bot.content.opening_hours import PARIS
from bot.engine import Ask, Engine, Finished, Say, SharedLocation, ShowCard
from bot.engine.places import V_DONE, V_MORE
from bot.golden import Client, Clock
from bot.i18n import Translations

PERSONA = ("questions", "un-peu", "difficile", "non", "oui", "non")
"""A little French, phones are hard, no health problem, a business idea, no referent (issue 7)."""


def at_result(client: Client, town: str = "Clichy-sous-Bois", answers: tuple[str, ...] = PERSONA) -> Client:
    client.start()
    for answer in answers:
        client.press(answer)
    client.type(town)
    assert client.asking == "resultat"
    return client


def the_list(client: Client) -> Ask:
    ask = client.last_ask
    assert ask is not None
    return ask


def test_the_list_is_one_message_with_three_places_and_one_next_step(client: Client) -> None:
    at_result(client)
    asks = [o for o in client.outputs if isinstance(o, Ask)]
    assert len(asks) == 1 and not any(isinstance(o, ShowCard) for o in client.outputs)
    lines = asks[0].text.splitlines()
    assert lines[0] == "Voici 3 lieux pour vous 👇"
    assert lines[1] == "1. 🤝 Agence locale d'insertion de Clichy-sous-Bois — pour retrouver un référent"
    assert lines[2].startswith("2. 🗣️ Apprendre le français (Grand Paris Grand Est) — ")
    assert lines[-1].startswith("👉 Allez à l'antenne Grand Paris Grand Est")
    assert "Source" not in asks[0].text and "Pas encore connu" not in asks[0].text
    values = [b.value for b in asks[0].buttons]
    assert values == ["~0", "~1", "~2", V_MORE, V_DONE]


def test_a_place_opens_its_card_then_the_list_is_offered_again(client: Client) -> None:
    at_result(client)
    client.open("service-social-departemental")
    card = client.card_views[0]
    assert [line.kind for line in card.lines][:2] == ["phone", "url"]
    assert card.lines[0].value == "01 43 93 93 93" and card.lines[0].target == "+33143939393"
    assert card.lines[0].note == "information de 2020, à vérifier"  # the switchboard's source is from 2020
    assert the_list(client).text == "👇 Voir un autre lieu ? Appuyez sur son nom."
    assert client.asking == "resultat"


def test_more_places_on_demand_then_the_end_repeats_the_next_step(client: Client) -> None:
    at_result(client)
    client.press(V_MORE)
    assert len(client.places) == 6 and the_list(client).text.startswith("Voici 6 lieux pour vous")
    client.press(V_DONE)
    says = [o.text for o in client.outputs if isinstance(o, Say)]
    assert says[0].startswith("👉 Votre prochaine étape : Allez à l'antenne Grand Paris Grand Est")
    assert any(isinstance(o, Finished) for o in client.outputs)


def test_typing_a_number_or_a_name_works_like_pressing(client: Client) -> None:
    at_result(client)
    client.type("3")
    assert client.cards == ["service-social-departemental"]
    client.type("autres")
    assert len(client.places) == 6
    client.type("adie")
    assert client.cards == ["adie"]
    client.type("banane")
    assert "Je n'ai pas compris" in client.said and client.asking == "resultat"


def test_back_from_the_list_changes_the_town_and_the_places(client: Client) -> None:
    at_result(client)
    old_token = the_list(client).token
    client.command("back")
    assert client.asking == "commune" and client.state.places == []
    client.type("Bobigny")
    assert client.places[0] == "france-travail"  # no known agency in Bobigny: France Travail reconnects
    assert the_list(client).token == old_token  # same step: a stale button of the old list…
    client.press("~0")
    assert client.cards == ["france-travail"]  # …can only name a place of the current list


def test_a_place_removed_from_the_content_is_skipped_not_crashed_on(
        client: Client, content_copy: Path, translations: Translations) -> None:
    at_result(client)
    (content_copy / "knowledge/services/apprendre-le-francais-grand-paris-grand-est.yaml").unlink()
    later = Client(Engine(load_content(content_copy), translations), saved=client.saved, last_ask=client.last_ask)
    later.press("~0")
    assert later.cards == ["ali-clichy-sous-bois"]
    assert [b.label for b in the_list(later).buttons][:2] == ["Agence de Clichy-sous-Bois",
                                                             "Service social du Département"]


def paris(*args: int) -> float:
    return datetime(*args, tzinfo=PARIS).timestamp()  # type: ignore[misc]


@pytest.mark.parametrize(("moment", "icon", "said"), [
    (paris(2026, 12, 1, 10, 0), "🟢", "Ouvert maintenant, jusqu'à 12h30."),          # Tuesday morning
    (paris(2026, 12, 1, 12, 45), "🔴", "Fermé maintenant. Ouvre aujourd'hui à 13h30."),
    (paris(2026, 12, 4, 18, 0), "🔴", "Fermé maintenant. Ouvre lundi à 9h."),          # Friday evening
    (paris(2026, 12, 24, 18, 0), "🔴", "Fermé maintenant. Ouvre lundi à 9h."),         # Christmas in between
    (paris(2026, 12, 31, 18, 0), "🔴", "Fermé maintenant. Ouvre lundi à 9h."),         # Friday 1 January closed
    (paris(2026, 3, 29, 8, 30), "🔴", "Fermé maintenant. Ouvre demain à 9h."),         # the day clocks change
])
def test_hours_say_open_now_or_when_it_opens_in_paris_time(
        content_copy: Path, translations: Translations, moment: float, icon: str, said: str) -> None:
    path = content_copy / "knowledge/services/yookan.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "frais: gratuit", "frais: gratuit\nhoraires_accueil: Mo-Fr 09:00-12:30,13:30-17:00; PH off"), encoding="utf-8")
    client = at_result(Client(Engine(load_content(content_copy), translations), Clock(moment)), "Drancy",
                       ("emploi",))
    client.open("yookan")
    lines = client.card_views[0].lines
    hours = next(line for line in lines if line.kind == "hours")
    assert hours.value == "lun.–ven. 9h–12h30, 13h30–17h · sam.–dim. fermé"
    status = lines[lines.index(hours) + 1]
    assert (status.kind, status.icon, status.value) == ("status", icon, said)


def test_the_status_is_in_the_persons_language(content_copy: Path, translations: Translations) -> None:
    path = content_copy / "knowledge/services/yookan.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "frais: gratuit", "frais: gratuit\nhoraires_accueil: Mo-Fr 09:00-17:00"), encoding="utf-8")
    engine = Engine(load_content(content_copy), translations)
    client = Client(engine, Clock(paris(2026, 12, 5, 11, 0)))  # a Saturday
    client.start(lang="en", lang_hint="en")
    client.press("emploi")
    client.type("Drancy")
    client.open("yookan")
    status = next(line for line in client.card_views[0].lines if line.kind == "status")
    assert "Monday" in status.value and "9:00" in status.value


def test_the_first_places_answer_different_needs(client: Client) -> None:
    """Two rounds: the best place of each need first, then the others; the Adie (with a phone) before the rest."""
    at_result(client, "Aubervilliers", ("questions", "pas-du-tout", "difficile", "oui", "oui", "oui"))
    assert client.places == ["ali-aubervilliers", "apprendre-le-francais-plaine-commune",
                             "service-social-departemental"]
    assert client.all_places.index("mdaa") < client.all_places.index("handiforum")
    assert client.all_places.index("pointcarre") < client.all_places.index("reseau-entreprendre-93")


# ---- imported services, by commune, territory, département, and by distance ------------------------------------

IMPORTED = """\
id: {id}
nom: {nom} (donnée de test, inventée)
texte: Un atelier numérique de test.
pour_qui: Tout le monde (donnée de test).
tags: [numerique]
zone_eligibilite: [{zone}]
adresse: 1 rue de l'Essai
commune: Bondy
code_insee: "93010"
telephone: 01 99 00 12 34
{coords}prochaine_etape: Ceci est une donnée de test.
provenance: {{source: data-inclusion, id: {id}, date_maj: 2026-11-01}}
sources:
  - titre: data·inclusion (donnée de test)
    date: 2026-11-01
    champs: [adresse, telephone]
verifie_le: 2026-12-02
"""


def imported(root: Path, card_id: str, zone: str, latitude: float | None = None, longitude: float | None = None,
             nom: str = "Atelier") -> None:
    folder = root / "knowledge" / "imported"
    folder.mkdir(exist_ok=True)
    coords = f"latitude: {latitude}\nlongitude: {longitude}\n" if latitude is not None else ""
    (folder / f"{card_id}.yaml").write_text(IMPORTED.format(id=card_id, nom=nom, zone=zone, coords=coords),
                                            encoding="utf-8")


def numerique_places(content_copy: Path, translations: Translations, *, near: tuple[float, float] | None) -> list[str]:
    client = Client(Engine(load_content(content_copy), translations))
    client.start()
    client.press("numerique")
    if near is not None:
        client.send(SharedLocation(*near))
        assert "Merci" in client.said and client.asking == "commune"
    client.type("Bondy")
    return [p for p in client.all_places if p.startswith("di-") or p in ("service-social-departemental", "platin")]


def test_imported_services_by_commune_then_territory_then_department(content_copy: Path,
                                                                      translations: Translations) -> None:
    imported(content_copy, "di-test-93", '"93"')
    imported(content_copy, "di-test-est-ensemble", "est-ensemble")
    imported(content_copy, "di-test-bondy", '"93010"')
    imported(content_copy, "di-test-stains", '"93072"')  # another commune: never shown to someone in Bondy
    assert numerique_places(content_copy, translations, near=None) == [
        "di-test-bondy", "di-test-est-ensemble", "di-test-93", "service-social-departemental", "platin"]


def test_places_with_coordinates_are_ordered_by_distance_when_the_person_shares_where_they_are(
        content_copy: Path, translations: Translations) -> None:
    imported(content_copy, "di-test-far", '"93010"', 48.95, 2.55, "Atelier loin")
    imported(content_copy, "di-test-near", '"93010"', 48.905, 2.485, "Atelier près")
    imported(content_copy, "di-test-no-coordinates", '"93010"')
    assert numerique_places(content_copy, translations, near=None)[:3] == [
        "di-test-far", "di-test-near", "di-test-no-coordinates"]  # by id when nobody knows where the person is
    assert numerique_places(content_copy, translations, near=(48.9066, 2.4867))[:3] == [
        "di-test-near", "di-test-far", "di-test-no-coordinates"]


def test_a_position_shared_at_the_list_reorders_it_and_is_kept_coarse(content_copy: Path,
                                                                        translations: Translations) -> None:
    imported(content_copy, "di-test-far", '"93010"', 48.95, 2.55, "Atelier loin")
    imported(content_copy, "di-test-near", '"93010"', 48.905, 2.485, "Atelier près")
    client = Client(Engine(load_content(content_copy), translations))
    client.start()
    client.press("numerique")
    client.type("Bondy")
    assert client.places[0] == "di-test-far"
    client.send(SharedLocation(48.906612, 2.486745))
    assert client.places[0] == "di-test-near" and client.asking == "resultat"
    assert client.state.near == "48.907,2.487"  # about 100 m: enough to order the places, not to find a door
