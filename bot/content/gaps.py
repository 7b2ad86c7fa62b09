"""What the content does not know yet: the list admins work through."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .models import Content

STALE_AFTER_DAYS = 180


@dataclass(frozen=True, slots=True)
class Gaps:
    communes_without_ali: tuple[str, ...]
    communes_ali_unconfirmed: tuple[str, ...]
    cards_without: dict[str, tuple[str, ...]]
    cards_stale: tuple[tuple[str, date], ...]

    @property
    def count(self) -> int:
        return (len(self.communes_without_ali) + len(self.communes_ali_unconfirmed)
                + sum(len(v) for v in self.cards_without.values()) + len(self.cards_stale))


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
        "adresse": [c.id for c in cards if not (c.adresse or c.lieu)],
        "horaires_accueil": [c.id for c in cards if not c.horaires_accueil],
        "telephone": [c.id for c in cards if not c.telephone],
        "a_apporter": [c.id for c in cards if not c.a_apporter],
    }
    stale = tuple((c.id, c.verifie_le) for c in cards if (today - c.verifie_le).days > STALE_AFTER_DAYS)
    return Gaps(without, unconfirmed, {k: tuple(v) for k, v in fields.items() if v}, stale)


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
    for card_id, day in gaps.cards_stale:
        lines.append(f"- card {card_id} was last checked on {day.isoformat()}: check it again")
    if gaps.count == 0:
        lines.append("- nothing missing")
    return "\n".join(lines)
