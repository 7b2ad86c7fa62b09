"""knowledge/routage.yaml: one test per rule (file:line and a fix), the precedence of routes, BOT_STAFF_CHAT, and
what the gap report says. Every chat id and address here is invented (test data)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import MappingProxyType as Proxy

import pytest

from bot.contact import (
    STAFF_CHAT_ID,
    STAFF_TEAM,
    Destination,
    Routing,
    ali_cards_of,
    destination_for,
    route,
    with_staff_chat,
)
from bot.content import collect, errors
from bot.content.errors import ContentError
from bot.content.gaps import find_gaps, format_gaps
from bot.content.models import Content
from tests.conftest import ROOT

HEAD = """destinations:
  - id: ali-clichy-sous-bois
    nom: l'Agence locale d'insertion de Clichy-sous-Bois
    telegram: -1009990000001
    email: ali-clichy@example.org
  - id: equipe-rsa
    nom: l'équipe RSA du Département
    email: equipe-rsa@example.org
"""


def write(root: Path, text: str) -> Path:
    path = root / "knowledge" / "routage.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def loaded(root: Path, text: str) -> Content:
    write(root, text)
    report = collect(root)
    assert report.errors == [] and report.content is not None, [str(e) for e in report.errors]
    return report.content


def refused(root: Path, text: str, rule: type[ContentError]) -> ContentError:
    write(root, text)
    report = collect(root)
    assert report.content is None
    matching = [e for e in report.errors if isinstance(e, rule)]
    assert matching, f"expected a {rule.__name__}; got: {[str(e) for e in report.errors]}"
    error = matching[0]
    assert error.file == "knowledge/routage.yaml" and error.line > 0 and error.fix
    return error


def test_the_shipped_routing_has_no_destination_and_says_so() -> None:
    report = collect(ROOT)
    assert report.content is not None and not report.content.routing.configured
    gaps = find_gaps(report.content, date(2026, 12, 2))
    assert gaps.no_destination and gaps.communes_without_route == ()
    assert "no destination in knowledge/routage.yaml: the bot does not offer to be contacted" in format_gaps(gaps)


def test_a_full_routing_is_read(content_copy: Path) -> None:
    content = loaded(content_copy, HEAD + """routes:
  - ali: ali-clichy-sous-bois
    destination: ali-clichy-sous-bois
  - commune: ["93014", "93047"]
    destination: ali-clichy-sous-bois
  - territoire: est-ensemble
    destination: equipe-rsa
default: equipe-rsa
""")
    routing = content.routing
    assert routing.destinations["ali-clichy-sous-bois"] == Destination(
        "ali-clichy-sous-bois", "l'Agence locale d'insertion de Clichy-sous-Bois", -1009990000001,
        "ali-clichy@example.org")
    assert dict(routing.by_commune) == {"93014": "ali-clichy-sous-bois", "93047": "ali-clichy-sous-bois"}
    assert routing.default == "equipe-rsa"
    assert not find_gaps(content, date(2026, 12, 2)).no_destination


def test_routes_go_by_ali_card_then_commune_then_territory_then_default() -> None:
    a, b, c, d = (Destination(x, x, email=f"{x}@example.org") for x in "abcd")
    routing = Routing(destinations=Proxy({x.id: x for x in (a, b, c, d)}), by_ali=Proxy({"ali-sevran": "a"}),
                      by_commune=Proxy({"93071": "b"}), by_territory=Proxy({"paris-terres-d-envol": "c"}), default="d")
    assert route(routing, "93071", "paris-terres-d-envol", ["ali-sevran"]) == a
    assert route(routing, "93071", "paris-terres-d-envol", ["ali-autre"]) == b
    assert route(routing, "93005", "paris-terres-d-envol", []) == c
    assert route(routing, "93010", "est-ensemble", []) == d
    assert route(routing, None, None) == d
    assert route(Routing(), "93071", "paris-terres-d-envol", ["ali-sevran"]) is None


def test_bot_staff_chat_is_the_default_only_when_routage_has_none() -> None:
    quick = with_staff_chat(Routing(), -1009990000002)
    found = route(quick, "93010", "est-ensemble")
    assert found is not None and found.id == STAFF_CHAT_ID and found.telegram_chat == -1009990000002
    assert found.nom == STAFF_TEAM == "l'équipe RSA du Département" and found.can_relay
    assert with_staff_chat(Routing(), None) == Routing()
    own = Routing(destinations=Proxy({"x": Destination("x", "x", email="x@example.org")}), default="x")
    assert with_staff_chat(own, -1009990000002) is own


def test_a_persons_answers_find_their_destination(content_copy: Path) -> None:
    content = loaded(content_copy, HEAD + """routes:
  - ali: ali-clichy-sous-bois
    destination: ali-clichy-sous-bois
default: equipe-rsa
""")
    assert ali_cards_of(content, "93014") == ("ali-clichy-sous-bois",)  # Clichy-sous-Bois
    assert ali_cards_of(content, None) == ()
    found = destination_for(content, content.routing, {"commune": "93014", "territoire": "grand-paris-grand-est"})
    assert found is not None and found.id == "ali-clichy-sous-bois"
    elsewhere = destination_for(content, content.routing, {"commune": "93010", "territoire": "est-ensemble"})
    assert elsewhere is not None and elsewhere.id == "equipe-rsa"
    assert destination_for(content, content.routing, {}) == elsewhere


def test_communes_without_a_route_are_listed_when_there_is_no_default(content_copy: Path) -> None:
    content = loaded(content_copy, HEAD + """routes:
  - ali: ali-clichy-sous-bois
    destination: ali-clichy-sous-bois
  - territoire: est-ensemble
    destination: equipe-rsa
""")
    gaps = find_gaps(content, date(2026, 12, 2))
    names = " ".join(gaps.communes_without_route)
    assert "Clichy-sous-Bois" not in names and "Montfermeil" not in names  # the ALI of Clichy serves both
    assert "Bondy" not in names  # Est Ensemble
    assert "Sevran (93071)" in names and "Pierrefitte" not in names  # a commune déléguée is filed under Saint-Denis
    assert f"- {len(gaps.communes_without_route)} communes have no route" in format_gaps(gaps)


def test_an_unknown_field_says_did_you_mean(content_copy: Path) -> None:
    error = refused(content_copy, HEAD.replace("    email: equipe-rsa", "    emial: equipe-rsa"), errors.UnknownField)
    assert error.line == 8 and error.fix == "did you mean 'email'?"


def test_a_destination_without_telegram_nor_email(content_copy: Path) -> None:
    error = refused(content_copy, "destinations:\n  - id: seule\n    nom: personne\n", errors.MissingField)
    assert error.line == 2 and "telegram" in error.fix and "email" in error.fix


@pytest.mark.parametrize("chat", ["1009990000001", "groupe", "-100 999", "true"])
def test_a_telegram_chat_must_be_a_group_id(content_copy: Path, chat: str) -> None:
    error = refused(content_copy, HEAD.replace("-1009990000001", chat), errors.BadValue if chat != "true" else
                    errors.WrongType)
    assert error.line == 4 and "negative" in error.fix


def test_an_email_must_be_an_address(content_copy: Path) -> None:
    error = refused(content_copy, HEAD.replace("ali-clichy@example.org", "ali-clichy.example.org"), errors.BadValue)
    assert error.line == 5 and "is not an e-mail address" in error.message


def test_a_destination_id_is_used_once(content_copy: Path) -> None:
    error = refused(content_copy, HEAD.replace("id: equipe-rsa", "id: ali-clichy-sous-bois"), errors.DuplicateId)
    assert error.line == 6


def test_a_destination_id_is_a_slug(content_copy: Path) -> None:
    refused(content_copy, HEAD.replace("id: equipe-rsa", "id: Équipe RSA"), errors.BadValue)


def test_a_route_to_an_unknown_destination_says_did_you_mean(content_copy: Path) -> None:
    error = refused(content_copy, HEAD + "routes:\n  - commune: \"93014\"\n    destination: equipe-rs\n",
                    errors.UnknownTarget)
    assert error.line == 11 and "equipe-rsa" in error.fix


def test_an_unknown_default(content_copy: Path) -> None:
    error = refused(content_copy, HEAD + "default: equipe\n", errors.UnknownTarget)
    assert error.line == 9 and "equipe-rsa" in error.fix


def test_a_route_names_exactly_one_thing(content_copy: Path) -> None:
    refused(content_copy, HEAD + "routes:\n  - commune: \"93014\"\n    territoire: est-ensemble\n"
                                 "    destination: equipe-rsa\n", errors.BadValue)
    refused(content_copy, HEAD + "routes:\n  - destination: equipe-rsa\n", errors.BadValue)


def test_an_ali_route_names_an_ali_card(content_copy: Path) -> None:
    error = refused(content_copy, HEAD + "routes:\n  - ali: ali-clichy\n    destination: equipe-rsa\n",
                    errors.UnknownCard)
    assert "ali-clichy-sous-bois" in error.fix
    error = refused(content_copy, HEAD + "routes:\n  - ali: platin\n    destination: equipe-rsa\n", errors.UnknownCard)
    assert "not an ALI card" in error.message


def test_a_commune_is_its_insee_code(content_copy: Path) -> None:
    error = refused(content_copy, HEAD + "routes:\n  - commune: Sevran\n    destination: equipe-rsa\n",
                    errors.UnknownCommuneCode)
    assert '"93071"' in error.fix


def test_a_commune_deleguee_is_routed_by_its_commune_nouvelle(content_copy: Path) -> None:
    error = refused(content_copy, HEAD + "routes:\n  - commune: \"93059\"\n    destination: equipe-rsa\n",
                    errors.BadValue)
    assert '"93066"' in error.fix


def test_an_unknown_territory_says_did_you_mean(content_copy: Path) -> None:
    error = refused(content_copy, HEAD + "routes:\n  - territoire: est-ensembl\n    destination: equipe-rsa\n",
                    errors.UnknownValue)
    assert "est-ensemble" in error.fix


def test_the_same_commune_routed_twice(content_copy: Path) -> None:
    error = refused(content_copy, HEAD + "routes:\n  - commune: \"93014\"\n    destination: equipe-rsa\n"
                                         "  - commune: [\"93047\", \"93014\"]\n    destination: ali-clichy-sous-bois\n",
                    errors.DuplicateId)
    assert "93014" in error.message and "equipe-rsa" in error.fix


def test_a_yaml_mistake_names_its_line(content_copy: Path) -> None:
    refused(content_copy, HEAD + "routes: [unclosed\n", errors.YamlSyntaxError)


def test_an_empty_or_missing_file_configures_nothing(content_copy: Path) -> None:
    assert not loaded(content_copy, "# only comments\n").routing.configured
    (content_copy / "knowledge" / "routage.yaml").unlink()
    report = collect(content_copy)
    assert report.content is not None and not report.content.routing.configured
