"""Build the routing of requests (knowledge/routage.yaml) — shape pass, one error per rule with its fix."""

from __future__ import annotations

import re
from pathlib import Path
from types import MappingProxyType
from typing import Any

from email_validator import EmailNotValidError, validate_email

from ._fields import Fields, unknown_value_fix
from ._yaml import load_yaml
from .errors import (
    BadValue,
    ContentError,
    DuplicateId,
    MissingField,
    UnknownCard,
    UnknownCommuneCode,
    UnknownTarget,
    UnknownValue,
    WrongType,
    YamlSyntaxError,
)
from .models import Card, Commune, Territory
from .routing import Destination, Routing

ALI_TAG = "ali"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_CHAT_ID = re.compile(r"^-\d{1,20}$")
_KEYS = {"ali": "an ALI card id", "commune": "an INSEE code", "territoire": "a territory id"}
_CHAT_FIX = ("write the group's chat id, a negative number such as -1001234567890 (docs/requests.md says how to "
             "find it); requests go to a group of the team, never to one person's private chat.")


def load_routing(path: Path, display: str, errors: list[ContentError], cards: dict[str, Card],
                 communes: dict[str, Commune], territories: dict[str, Territory]) -> Routing:
    try:
        raw = load_yaml(path, display)
    except YamlSyntaxError as exc:
        errors.append(exc)
        return Routing()
    if raw is None:  # only comments: nothing configured yet
        return Routing()
    top = Fields(raw, display, errors, "the routing file")
    top.allow_only({"destinations", "routes", "default"})
    destinations = _destinations(top)
    tables: dict[str, dict[str, str]] = {key: {} for key in _KEYS}
    for line, item in top.items("routes"):
        _route(Fields(item, display, errors, "a route", line), destinations, tables, cards, communes, territories)
    default = top.text("default")
    if default is not None and default not in destinations:
        errors.append(UnknownTarget(display, top.line_of("default"), f"'default: {default}' names no destination",
                                    _destination_fix(default, destinations)))
        default = None
    return Routing(MappingProxyType(destinations), MappingProxyType(tables["ali"]),
                   MappingProxyType(tables["commune"]), MappingProxyType(tables["territoire"]), default)


def _destinations(top: Fields) -> dict[str, Destination]:
    found: dict[str, Destination] = {}
    for line, item in top.items("destinations"):
        f = Fields(item, top.file, top.errors, "a destination", line)
        f.allow_only({"id", "nom", "telegram", "email"})
        did, nom = f.text("id", required=True), f.text("nom", required=True)
        if did and not _ID.match(did):
            top.errors.append(BadValue(f.file, f.line_of("id"), f"'{did}' is not a usable destination id",
                                       "use lower-case letters, digits and '-', e.g. 'ali-clichy-sous-bois'."))
            did = None
        chat, email = _telegram(f), _email(f)
        if not f.has("telegram") and not f.has("email"):
            top.errors.append(MissingField(f.file, f.line, f"the destination {did or nom or ''} has no way to "
                                           "receive requests", "add 'telegram: <the group's chat id>' and/or "
                                           "'email: <the team's address>'."))
        if did and did in found:
            top.errors.append(DuplicateId(f.file, f.line, f"the destination id '{did}' is used twice",
                                          "give each destination its own id."))
        elif did and nom:
            found[did] = Destination(did, nom, chat, email)
    return found


def _telegram(f: Fields) -> int | None:
    value: Any = f.block.get("telegram")
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        f.errors.append(WrongType(f.file, f.line_of("telegram"), "'telegram' must be a chat id", _CHAT_FIX))
        return None
    text = str(value).strip()
    if not _CHAT_ID.match(text):
        f.errors.append(BadValue(f.file, f.line_of("telegram"), f"'telegram: {text}' is not the chat id of a group",
                                 _CHAT_FIX))
        return None
    return int(text)


def _email(f: Fields) -> str | None:
    value = f.text("email")
    if value is None:
        return None
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        f.errors.append(BadValue(f.file, f.line_of("email"), f"'email: {value}' is not an e-mail address ({exc})",
                                 "copy the team's address again, e.g. 'email: equipe@example.org'."))
        return None


def _route(f: Fields, destinations: dict[str, Destination], tables: dict[str, dict[str, str]],
           cards: dict[str, Card], communes: dict[str, Commune], territories: dict[str, Territory]) -> None:
    f.allow_only({*_KEYS, "destination"})
    given = [key for key in _KEYS if f.has(key)]
    destination = f.text("destination", required=True)
    if destination is not None and destination not in destinations:
        f.errors.append(UnknownTarget(f.file, f.line_of("destination"),
                                      f"'destination: {destination}' names no destination",
                                      _destination_fix(destination, destinations)))
        destination = None
    if len(given) != 1:
        f.errors.append(BadValue(f.file, f.line, "a route names " + ("nothing to route" if not given else
                                 f"{' and '.join(given)} together"),
                                 "give exactly one of 'ali: <card id>', 'commune: \"<INSEE code>\"' or "
                                 "'territoire: <territory id>' per route (several values in a list are fine)."))
        return
    key = given[0]
    for value in f.texts(key):
        if not _known(f, key, value, cards, communes, territories) or destination is None:
            continue
        table = tables[key]
        if value in table:
            f.errors.append(DuplicateId(f.file, f.line_of(key), f"'{value}' is routed twice",
                                        f"keep one route for {value} (it now goes to '{table[value]}')."))
            continue
        table[value] = destination


def _known(f: Fields, key: str, value: str, cards: dict[str, Card], communes: dict[str, Commune],
           territories: dict[str, Territory]) -> bool:
    line = f.line_of(key)
    if key == "ali":
        alis = [card_id for card_id, card in cards.items() if ALI_TAG in card.tags]
        if value not in alis:
            what = "is not an ALI card (no tag 'ali')" if value in cards else "is not a card"
            f.errors.append(UnknownCard(f.file, line, f"'ali: {value}' {what}",
                                        unknown_value_fix(value, alis, "ALI cards")))
            return False
        return True
    if key == "commune":
        commune = communes.get(value)
        if commune is None:
            by_name = {c.nom.casefold(): c.code_insee for c in communes.values()}
            code = by_name.get(value.casefold())
            fix = (f"write its INSEE code between quotes: \"{code}\"." if code else
                   unknown_value_fix(value, communes, "INSEE codes of knowledge/communes.yaml"))
            f.errors.append(UnknownCommuneCode(f.file, line, f"'commune: {value}' is not a commune of the département",
                                               fix))
            return False
        if commune.deleguee_de:
            parent = communes.get(commune.deleguee_de)
            f.errors.append(BadValue(f.file, line, f"{commune.nom} ({value}) is a commune déléguée: the bot files its "
                                     f"people under {parent.nom if parent else commune.deleguee_de}",
                                     f"route \"{commune.deleguee_de}\" instead."))
            return False
        return True
    if value not in territories:
        f.errors.append(UnknownValue(f.file, line, f"'territoire: {value}' is not a territory",
                                     unknown_value_fix(value, territories, "territories")))
        return False
    return True


def _destination_fix(value: str, destinations: dict[str, Destination]) -> str:
    if not destinations:
        return "add the destination under 'destinations:' first (with its id, nom, telegram and/or email)."
    return unknown_value_fix(value, destinations, "destinations")
