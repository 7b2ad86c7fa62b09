"""What the content does not know yet: the list admins work through."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .models import Card, Commune, Content, Source

STALE_AFTER_DAYS = 180
IMPORTED_STALE_AFTER_DAYS = 365
"""An imported card whose record was not updated at its source (date_maj) for longer is listed to review."""
OLD_SOURCE_YEARS = 2
"""A fact whose newest source is older than this is shown with the source's year, and listed to reconfirm."""


def is_old(source: Source, today: date) -> bool:
    return source.date is not None and source.date.last_day() < _years_before(today, OLD_SOURCE_YEARS)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def old_fact_year(card: Card, field_name: str, today: date) -> int | None:
    """The year to show beside a field when every source giving it is old (None: recent, or no dated source)."""
    sources = card.sources_for(field_name)
    if not sources or not all(is_old(s, today) for s in sources):
        return None
    return max(s.date.year for s in sources if s.date)


@dataclass(frozen=True, slots=True)
class Gaps:
    communes_without_ali: tuple[str, ...]
    communes_ali_unconfirmed: tuple[str, ...]
    cards_without: dict[str, tuple[str, ...]]
    cards_stale: tuple[tuple[str, date], ...]
    to_reconfirm: tuple[tuple[str, str, str], ...] = ()
    """(card id, fields, source title and year) of facts from sources over two years old."""
    undated: tuple[str, ...] = ()
    """Cards with a source that gives a field but has no date."""
    imported_stale: tuple[tuple[str, date], ...] = ()
    """(card id, date_maj) of imported cards not updated at their source for over a year."""
    no_destination: bool = False
    """knowledge/routage.yaml names no destination: the bot offers no request (unless BOT_STAFF_CHAT is set)."""
    communes_without_route: tuple[str, ...] = ()
    """Communes whose people no route reaches (there are destinations, but no default)."""

    @property
    def count(self) -> int:
        return (len(self.communes_without_ali) + len(self.communes_ali_unconfirmed)
                + sum(len(v) for v in self.cards_without.values()) + len(self.cards_stale)
                + len(self.to_reconfirm) + len(self.undated) + len(self.imported_stale)
                + self.no_destination + len(self.communes_without_route))


def find_gaps(content: Content, today: date, ali_tag: str = "ali") -> Gaps:
    ali_cards = [c for c in content.cards.values() if ali_tag in c.tags and not c.is_department_wide]
    confirmed = {code for c in ali_cards if c.zone_confirmee for code in c.zone_communes}
    named = {code for c in ali_cards for code in c.zone_communes}
    communes = sorted(content.communes.values(), key=lambda c: c.nom)
    without = tuple(f"{c.nom} ({c.code_insee})" for c in communes if c.code_insee not in named)
    unconfirmed = tuple(f"{c.nom} ({c.code_insee})" for c in communes
                        if c.code_insee in named and c.code_insee not in confirmed)
    cards = sorted(content.cards.values(), key=lambda c: c.id)
    fields = {
        "telephone": [c.id for c in cards if not c.telephone],
        "adresse (a street address)": [c.id for c in cards if not c.adresse],
        "horaires_accueil": [c.id for c in cards if not c.horaires_accueil],
        "a_apporter": [c.id for c in cards if not c.a_apporter],
    }
    stale = tuple((c.id, c.verifie_le) for c in cards if (today - c.verifie_le).days > STALE_AFTER_DAYS)
    reconfirm = tuple((c.id, ", ".join(s.champs), f"{s.titre} ({s.date})") for c in cards for s in c.sources
                      if s.champs and is_old(s, today))
    undated = tuple(c.id for c in cards if any(s.champs and s.date is None for s in c.sources))
    imported_stale = tuple((c.id, c.provenance.date_maj) for c in cards if c.provenance and c.provenance.date_maj
                           and (today - c.provenance.date_maj).days > IMPORTED_STALE_AFTER_DAYS)
    return Gaps(without, unconfirmed, {k: tuple(v) for k, v in fields.items() if v}, stale, reconfirm, undated,
                imported_stale, no_destination=not content.routing.configured,
                communes_without_route=_communes_without_route(content, communes, ali_tag))


def _communes_without_route(content: Content, communes: list[Commune], ali_tag: str) -> tuple[str, ...]:
    routing = content.routing
    if not routing.configured or routing.default:
        return ()
    alis = [c for c in content.cards.values() if ali_tag in c.tags and c.id in routing.by_ali]
    reached = {code for card in alis for code in card.zone_communes} | set(routing.by_commune)
    return tuple(f"{c.nom} ({c.code_insee})" for c in communes if not c.deleguee_de and c.code_insee not in reached
                 and (c.territoire or "") not in routing.by_territory)


def format_gaps(gaps: Gaps) -> str:
    lines = [f"Gap report ({gaps.count} items to fill; the bot says 'not known yet' meanwhile):"]
    if gaps.communes_without_ali:
        lines.append(f"- {len(gaps.communes_without_ali)} communes with no known Agence locale d'insertion "
                     "(add the commune's INSEE code to an ALI card's zone_eligibilite):")
        lines.append("    " + ", ".join(gaps.communes_without_ali))
    if gaps.communes_ali_unconfirmed:
        lines.append(f"- {len(gaps.communes_ali_unconfirmed)} communes whose ALI sector is not confirmed "
                     "(set zone_confirmee: true once a source confirms it):")
        lines.append("    " + ", ".join(gaps.communes_ali_unconfirmed))
    for name, ids in gaps.cards_without.items():
        lines.append(f"- {len(ids)} cards without {name}: {', '.join(ids)}")
    if gaps.to_reconfirm:
        lines.append(f"- {len(gaps.to_reconfirm)} facts come from sources over {OLD_SOURCE_YEARS} years old "
                     "(shown with their year); reconfirm them and update the source:")
        lines.extend(f"    {card_id}: {names} — {source}" for card_id, names, source in gaps.to_reconfirm)
    if gaps.undated:
        lines.append(f"- {len(gaps.undated)} cards have a source without its date (add 'date:' to the source): "
                     f"{', '.join(gaps.undated)}")
    if gaps.imported_stale:
        lines.append(f"- {len(gaps.imported_stale)} imported cards were not updated at their source for over a year "
                     "(check the place still exists, or set actif: false):")
        lines.extend(f"    {card_id}: updated at the source on {day.isoformat()}"
                     for card_id, day in gaps.imported_stale)
    if gaps.no_destination:
        lines.append("- no destination in knowledge/routage.yaml: the bot does not offer to be contacted "
                     "(add a Telegram group or an e-mail address of a team and a default, or set BOT_STAFF_CHAT "
                     "where the bot runs; see docs/requests.md)")
    if gaps.communes_without_route:
        lines.append(f"- {len(gaps.communes_without_route)} communes have no route in knowledge/routage.yaml "
                     "(their people are not offered to be contacted; add a route or a default):")
        lines.append("    " + ", ".join(gaps.communes_without_route))
    for card_id, day in gaps.cards_stale:
        lines.append(f"- card {card_id} was last checked on {day.isoformat()}: check it again")
    if gaps.count == 0:
        lines.append("- nothing missing")
    return "\n".join(lines)
