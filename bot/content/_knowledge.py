"""Build communes and service cards from knowledge/ (shape pass)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ._fields import Fields, unknown_value_fix
from ._yaml import load_yaml
from .errors import BadValue, ContentError, DuplicateId, UnknownCommuneCode, UnknownField, YamlSyntaxError
from .models import Card, Commune, Source, Territory, Where
from .opening_hours import OpeningHoursError, parse_opening_hours
from .vocabulary import FRAIS, MODES_ACCUEIL, PUBLICS, THEMATIQUES

DEPARTMENT = "93"
MOVED_OUTSIDE = "hors_departement"
"""The towns outside used to be listed in communes.yaml under this key; they now have their own file."""
_NEVER = date(1970, 1, 1)
CARD_FIELDS = {
    "id", "nom", "texte", "pour_qui", "description", "tags", "thematiques", "publics", "frais",
    "modes_accueil", "zone_eligibilite", "zone_confirmee", "lieu", "adresse", "complement_adresse",
    "code_postal", "code_insee", "commune", "latitude", "longitude", "telephone", "courriel", "site_web",
    "horaires_accueil", "a_apporter", "prochaine_etape", "sources", "verifie_le",
}
_PHONE = re.compile(r"^\+?[0-9 .]{4,20}$")
_POSTCODE = re.compile(r"^\d{5}$")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def load_communes(
    path: Path, display: str, errors: list[ContentError]
) -> tuple[dict[str, Territory], dict[str, Commune]]:
    territories: dict[str, Territory] = {}
    communes: dict[str, Commune] = {}
    try:
        raw = load_yaml(path, display)
    except YamlSyntaxError as exc:
        errors.append(exc)
        return territories, communes
    top = Fields(raw, display, errors, "the communes file")
    top.allow_only({"source", "territoires", "communes", MOVED_OUTSIDE})
    if MOVED_OUTSIDE in top.block:
        errors.append(UnknownField(display, top.line_of(MOVED_OUTSIDE),
                                   f"'{MOVED_OUTSIDE}' no longer belongs in the communes file",
                                   "move each town to 'villes:' in knowledge/hors_departement.yaml, with its "
                                   "'departement' and 'codes_postaux' (see docs/content-format.md)."))
    for line, item in top.items("territoires", required=True):
        f = Fields(item, display, errors, "a territory", line)
        f.allow_only({"id", "nom"})
        tid, nom = f.text("id", required=True), f.text("nom", required=True)
        if tid and nom:
            territories[tid] = Territory(tid, nom)
    for line, item in top.items("communes", required=True):
        f = Fields(item, display, errors, "a commune", line)
        f.allow_only({"code_insee", "nom", "codes_postaux", "territoire", "alias", "deleguee_de"})
        code, nom = f.text("code_insee", required=True), f.text("nom", required=True)
        territoire = f.text("territoire")
        deleguee_de = f.text("deleguee_de")
        if territoire and territoire not in territories:
            errors.append(BadValue(display, f.line_of("territoire"), f"unknown territory '{territoire}'",
                                   unknown_value_fix(territoire, territories, "territories")))
        if not territoire and not deleguee_de:
            errors.append(BadValue(display, f.line, f"commune {nom} has no 'territoire'",
                                   "add 'territoire:' with one of the territory ids above."))
        postcodes = f.texts("codes_postaux")
        for pc in postcodes:
            if not _POSTCODE.match(pc):
                errors.append(BadValue(display, f.line_of("codes_postaux"), f"'{pc}' is not a postal code",
                                       "write 5 digits between quotes, e.g. \"93140\"."))
        if code and nom:
            if code in communes:
                errors.append(DuplicateId(display, f.line, f"the INSEE code {code} is used twice",
                                          "keep one entry per commune."))
            communes[code] = Commune(code, nom, postcodes, territoire, f.texts("alias"), deleguee_de,
                                     Where(display, f.line))
    for commune in communes.values():
        if commune.deleguee_de and commune.deleguee_de not in communes:
            errors.append(UnknownCommuneCode(commune.where.file, commune.where.line,
                                             f"'deleguee_de: {commune.deleguee_de}' is not a commune of the file",
                                             "use the INSEE code of the commune nouvelle."))
    return territories, communes


def zone_codes(
    zone: tuple[str, ...], f: Fields, territories: dict[str, Territory], communes: dict[str, Commune]
) -> frozenset[str]:
    codes: set[str] = set()
    for value in zone:
        if value == DEPARTMENT:
            codes.update(communes)
        elif value in territories:
            codes.update(c.code_insee for c in communes.values() if c.territoire == value)
        elif value in communes:
            codes.add(value)
            codes.update(c.code_insee for c in communes.values() if c.deleguee_de == value)
        else:
            known = [DEPARTMENT, *territories, *communes]
            f.errors.append(UnknownCommuneCode(
                f.file, f.line_of("zone_eligibilite"),
                f"'{value}' in zone_eligibilite is not '93', a territory id or an INSEE code of the département",
                unknown_value_fix(value, known, "zones")))
    return frozenset(codes)


def load_card(
    path: Path, display: str, errors: list[ContentError],
    territories: dict[str, Territory], communes: dict[str, Commune],
) -> Card | None:
    try:
        raw = load_yaml(path, display)
    except YamlSyntaxError as exc:
        errors.append(exc)
        return None
    f = Fields(raw, display, errors, f"card {path.stem}")
    f.allow_only(CARD_FIELDS)
    card_id = f.text("id", required=True) or path.stem
    if card_id != path.stem:
        errors.append(BadValue(display, f.line_of("id"), f"the card id '{card_id}' differs from the file name",
                               f"rename the file to '{card_id}.yaml' or write 'id: {path.stem}'."))
    if not _ID.match(card_id):
        errors.append(BadValue(display, f.line_of("id"), f"the card id '{card_id}' has odd characters",
                               "use lowercase letters, digits and '-' only."))
    zone = f.texts("zone_eligibilite", required=True)
    zone_communes = zone_codes(zone, f, territories, communes)
    sources = []
    for line, item in f.items("sources", required=True):
        s = Fields(item, display, errors, "a source", line)
        s.allow_only({"titre", "url"})
        titre = s.text("titre", required=True)
        if titre:
            sources.append(Source(titre, s.text("url")))
    telephone = f.text("telephone")
    if telephone and not _PHONE.match(telephone):
        errors.append(BadValue(display, f.line_of("telephone"), f"'{telephone}' does not look like a phone number",
                               "write digits and spaces only, e.g. '01 23 45 67 89'."))
    code_insee = f.text("code_insee")
    if code_insee and code_insee not in communes:
        errors.append(UnknownCommuneCode(display, f.line_of("code_insee"),
                                         f"'{code_insee}' is not an INSEE code of the département",
                                         unknown_value_fix(code_insee, communes, "codes")))
    hours = f.text("horaires_accueil")
    if hours:
        try:
            parse_opening_hours(hours)
        except OpeningHoursError as exc:
            errors.append(exc.at(display, f.line_of("horaires_accueil")))
    latitude, longitude = f.number("latitude"), f.number("longitude")
    if (latitude is None) != (longitude is None):
        errors.append(BadValue(display, f.line, "a card needs both latitude and longitude, or neither",
                               "add the missing one from the same source, or remove both."))
    return Card(
        id=card_id,
        nom=f.text("nom", required=True) or card_id,
        texte=f.text("texte", required=True) or "",
        pour_qui=f.text("pour_qui", required=True) or "",
        prochaine_etape=f.text("prochaine_etape", required=True) or "",
        tags=f.texts("tags"),
        zone_eligibilite=zone,
        zone_communes=zone_communes,
        sources=tuple(sources),
        verifie_le=f.day("verifie_le", required=True) or _NEVER,
        where=Where(display, f.line),
        description=f.text("description"),
        thematiques=f.enum_texts("thematiques", THEMATIQUES, "data·inclusion thématiques"),
        publics=f.enum_texts("publics", PUBLICS, "data·inclusion publics"),
        frais=(f.enum_texts("frais", FRAIS, "data·inclusion frais") or (None,))[0],
        modes_accueil=f.enum_texts("modes_accueil", MODES_ACCUEIL, "data·inclusion modes d'accueil"),
        zone_confirmee=f.flag("zone_confirmee", True),
        lieu=f.text("lieu"),
        adresse=f.text("adresse"),
        complement_adresse=f.text("complement_adresse"),
        code_postal=f.text("code_postal"),
        code_insee=code_insee,
        commune=f.text("commune"),
        latitude=latitude,
        longitude=longitude,
        telephone=telephone,
        courriel=f.text("courriel"),
        site_web=f.text("site_web"),
        horaires_accueil=hours,
        a_apporter=f.texts("a_apporter"),
    )
