"""Map step: a valid data·inclusion service (and its structure) → the card the bot shows.

Each fact keeps its source: the service's own fields first; the structure gives what the service lacks (its
place as a whole, its phone, e-mail, website, hours), with the structure's own date. A phone that phonenumbers
refuses or hours that opening-hours-py refuses are left out with a line: a wrong number is worse than none.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from data_inclusion.schema import v1

from ...content.import_mapping import ImportSetting
from ...content.opening_hours import OpeningHoursError, parse_opening_hours
from ...content.phones import PhoneError, invalid_numbers, parse_phone
from ...content.street import is_street_address
from ..card import CardSource, ImportedCard
from ..report import Dropped, Problem
from ..text import next_step, short_text, who_for
from .select import Located

SOURCE = "data-inclusion"
PREFIX = "di-"
NO_NEED = "services that answer no need of knowledge/import/data-inclusion.yaml"
NO_WAY = "services with no phone, street, website or e-mail (nothing a person could do)"
_SLUG_MAX = 60
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Place:
    """The address fields of one record, taken together (never mixed from two records)."""

    adresse: str | None = None
    complement_adresse: str | None = None
    code_postal: str | None = None
    code_insee: str | None = None
    commune: str | None = None
    latitude: float | None = None
    longitude: float | None = None

    @property
    def known(self) -> bool:
        return any(v is not None for v in (self.adresse, self.code_postal, self.commune, self.latitude))


@dataclass(frozen=True, slots=True)
class StructureFacts:
    """What a service may borrow from its structure (kept small: structures are read by the thousand)."""

    id: str
    nom: str
    date_maj: date
    lien_source: str | None
    place: Place
    telephone: str | None
    courriel: str | None
    site_web: str | None
    horaires_accueil: str | None

    @classmethod
    def of(cls, structure: v1.Structure) -> StructureFacts:
        return cls(structure.id, structure.nom, structure.date_maj, _url(structure.lien_source), _place(structure),
                   structure.telephone, structure.courriel, _url(structure.site_web), structure.horaires_accueil)


@dataclass(frozen=True, slots=True)
class Mapped:
    card: ImportedCard
    notes: tuple[Problem, ...]


def card_id(source: str, record_id: str) -> str:
    """'di-<source>-<slug of the id>', stable; a short hash is added when the slug lost characters."""
    rest = record_id[len(source) + 2:] if record_id.startswith(f"{source}--") else record_id
    slug = _slug(rest)[:_SLUG_MAX].strip("-")
    if slug != rest or not slug:
        slug = f"{slug}-{hashlib.sha1(record_id.encode()).hexdigest()[:6]}".strip("-")
    return f"{PREFIX}{_slug(source) or 'source'}-{slug}"


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _NOT_SLUG.sub("-", ascii_text).strip("-")


def to_card(service: v1.Service, structure: StructureFacts | None, located: Located, setting: ImportSetting,
            today: date) -> Mapped | Dropped:
    where = service.id
    notes: list[Problem] = []
    thematiques = frozenset(t.value for t in service.thematiques or ())
    publics = frozenset(p.value for p in service.publics or ())
    tags = setting.mapping.tags_for(thematiques, publics)
    if not tags:
        return Dropped(NO_NEED)
    own: list[str] = ["nom", "description", "texte", "pour_qui", "zone_eligibilite"]
    borrowed: list[str] = []

    def pick(field: str, mine: str | None, theirs: str | None) -> str | None:
        if mine:
            own.append(field)
            return mine
        if theirs:
            borrowed.append(field)
            return theirs
        return None

    place = _place(service)
    on_site = not service.modes_accueil or v1.ModeAccueil.EN_PRESENTIEL in service.modes_accueil
    if not place.known and on_site and structure and structure.place.known:
        place = structure.place
        borrowed.extend(_place_fields(place))
    else:
        own.extend(_place_fields(place))
    telephone = _phone(pick("telephone", service.telephone, structure.telephone if structure else None), where,
                       notes, own, borrowed)
    hours = _hours(pick("horaires_accueil", service.horaires_accueil, structure.horaires_accueil if structure else
                        None), where, notes, own, borrowed)
    courriel = pick("courriel", service.courriel, structure.courriel if structure else None)
    site = pick("site_web", _url(service.lien_mobilisation), structure.site_web if structure else None)
    street = place.adresse if place.adresse and is_street_address(place.adresse) else None
    lieu = place.adresse if place.adresse and not street else None
    if lieu:
        for names in (own, borrowed):
            names[:] = ["lieu" if name == "adresse" else name for name in names]
    step = next_step(telephone=telephone, adresse=street, commune=place.commune, site=site, courriel=courriel)
    if step and invalid_numbers(step):
        step = next_step(telephone=telephone, adresse=street, commune=place.commune, site=None, courriel=None)
    if not step:
        return Dropped(NO_WAY)
    own.append("prochaine_etape")
    fallback = f"Un service de {structure.nom}." if structure else "Un service référencé par data·inclusion."
    texte, why = short_text(service.description, fallback)
    if why:
        notes.append(Problem(where, f"texte: {why}: the card says '{fallback}'"))
    for name, value in (("thematiques", thematiques), ("publics", publics), ("frais", service.frais),
                        ("modes_accueil", service.modes_accueil)):
        if value:
            own.append(name)
    labels = [v1.Public(p).label for p in sorted(publics) if p != v1.Public.TOUS_PUBLICS.value]
    nom = service.nom
    if structure and structure.nom.casefold() not in nom.casefold():
        nom = f"{nom} – {structure.nom}"
    sources = [CardSource(f"data·inclusion : {service.nom} ({service.source})", _url(service.lien_source),
                          service.date_maj, _fact_fields(own))]
    if structure and borrowed:
        sources.append(CardSource(f"data·inclusion : structure {structure.nom} ({service.source})",
                                  structure.lien_source, structure.date_maj, _fact_fields(borrowed)))
    card = ImportedCard(
        id=card_id(service.source, service.id),
        nom=nom,
        texte=texte,
        pour_qui=who_for(labels, v1.Public.TOUS_PUBLICS.value in publics),
        description=service.description.strip() or None,
        tags=tags,
        thematiques=tuple(sorted(thematiques)),
        publics=tuple(sorted(publics)),
        frais=service.frais.value if service.frais else None,
        modes_accueil=tuple(sorted(m.value for m in service.modes_accueil or ())),
        zone_eligibilite=located.zone,
        zone_confirmee=located.confirmed,
        lieu=lieu,
        adresse=street,
        complement_adresse=place.complement_adresse,
        code_postal=place.code_postal,
        code_insee=place.code_insee if place.code_insee in setting.communes else None,
        commune=place.commune,
        latitude=place.latitude if place.longitude is not None else None,
        longitude=place.longitude if place.latitude is not None else None,
        telephone=telephone,
        courriel=courriel,
        site_web=site,
        horaires_accueil=hours,
        prochaine_etape=step,
        sources=tuple(sources),
        verifie_le=today,
        provenance_source=SOURCE,
        provenance_id=service.id,
        provenance_date_maj=service.date_maj,
        provenance_lien=_url(service.lien_source),
    )
    return Mapped(card, tuple(notes))


def _place(record: v1.Service | v1.Structure) -> Place:
    return Place(_clean(record.adresse), _clean(record.complement_adresse), record.code_postal, record.code_insee,
                 _clean(record.commune), record.latitude, record.longitude)


def _place_fields(place: Place) -> list[str]:
    names = [name for name, value in (("adresse", place.adresse), ("complement_adresse", place.complement_adresse),
                                      ("code_postal", place.code_postal), ("commune", place.commune)) if value]
    if place.latitude is not None and place.longitude is not None:
        names += ["latitude", "longitude"]
    return names


def _phone(text: str | None, where: str, notes: list[Problem], own: list[str], borrowed: list[str]) -> str | None:
    if not text:
        return None
    try:
        return parse_phone(text).national
    except PhoneError as exc:
        notes.append(Problem(where, f"telephone left out: {exc}"))
        _forget("telephone", own, borrowed)
        return None


def _hours(text: str | None, where: str, notes: list[Problem], own: list[str], borrowed: list[str]) -> str | None:
    if not text:
        return None
    try:
        parse_opening_hours(text)
    except OpeningHoursError as exc:
        notes.append(Problem(where, f"horaires_accueil left out: {exc}"))
        _forget("horaires_accueil", own, borrowed)
        return None
    return text.strip()


def _forget(name: str, *lists: list[str]) -> None:
    for names in lists:
        while name in names:
            names.remove(name)


def _fact_fields(names: list[str]) -> tuple[str, ...]:
    """Card fields a source gives, in a stable order ('code_insee' is not one: it is read, not shown)."""
    return tuple(sorted(set(names) - {"code_insee"}))


def _url(value: object) -> str | None:
    return str(value) if value else None


def _clean(value: str | None) -> str | None:
    value = " ".join(value.split()) if value else None
    return value or None
