"""Which places a result step shows, in what order: the rules of the step, in their order, are the ranking.

The shipped result step lists its rules in the order a person is served: reconnecting first when they have no
referent, their Agence locale d'insertion, then each need in the order it was asked, general places last.
Ranking takes two rounds so that the first places answer different needs: first the best place of each rule
that holds (in rule order), then every other place, again in rule order. A place chosen by several rules keeps
its first rank and that rule's reason. Within a rule, the most local place comes first (a commune's own service,
then its territory's, then the département's); among places of the same reach, the nearest first when the person
shared where they are and the place has coordinates (data·inclusion gives them), then one that can be reached
today (a phone or a street address), then one whose zone is confirmed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ._graph import rule_candidates
from .models import Card, CardRule, Step

EARTH_KM = 6371.0
Point = tuple[float, float]


def reachable(card: Card) -> bool:
    return bool(card.telephone or card.adresse)


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance (haversine): enough to order places a few kilometres apart."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(h))


def parse_point(text: str | None) -> Point | None:
    """'48.905,2.445' (as the state keeps it) → (48.905, 2.445); anything else → None."""
    try:
        lat, lon = (float(x) for x in (text or "").split(","))
    except ValueError:
        return None
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None


@dataclass(frozen=True, slots=True)
class Pick:
    card: Card
    rule: CardRule


class Selector:
    """Selects places over one Content; each rule's candidates are computed once."""

    def __init__(self, cards: Mapping[str, Card]) -> None:
        self.cards = cards
        self._candidates: dict[CardRule, list[Card]] = {}

    def candidates(self, rule: CardRule) -> list[Card]:
        if rule not in self._candidates:
            found = rule_candidates(rule, self.cards)
            self._candidates[rule] = sorted(found, key=lambda c: (len(c.zone_communes), not reachable(c),
                                                                  not c.zone_confirmee))
        return self._candidates[rule]

    @staticmethod
    def nearest_first(cards: list[Card], near: Point | None) -> list[Card]:
        """Within each reach (same zone size), places with coordinates by distance, before those without."""
        if near is None:
            return cards

        def key(item: tuple[int, Card]) -> tuple[int, int, float, int]:
            index, card = item
            if card.latitude is None or card.longitude is None:
                return (len(card.zone_communes), 1, 0.0, index)
            return (len(card.zone_communes), 0, distance_km(near, (card.latitude, card.longitude)), index)

        return [card for _, card in sorted(enumerate(cards), key=key)]

    def select(self, step: Step, answers: Mapping[str, str], near: Point | None = None) -> list[Pick]:
        commune = answers.get("commune")
        plain = dict(answers)
        per_rule: list[tuple[CardRule, list[Card]]] = []
        for rule in step.card_rules:
            if not rule.when.holds(plain):
                continue
            found = [c for c in self.candidates(rule)
                     if (commune in c.zone_communes if commune else c.is_department_wide)]
            if not found and rule.otherwise and rule.otherwise in self.cards:
                found = [self.cards[rule.otherwise]]
            per_rule.append((rule, self.nearest_first(found, near)))
        return self._rounds(per_rule)

    def reorder(self, step: Step, picks: Sequence[Pick], near: Point | None) -> list[Pick]:
        """The same places, nearest first within each rule as select() orders them: for a position shared once
        the list is made (the answers that chose some places may be gone by then: see bot/engine/privacy.py)."""
        groups: dict[CardRule, list[Card]] = {}
        for pick in picks:
            groups.setdefault(pick.rule, []).append(pick.card)
        return self._rounds([(rule, self.nearest_first(groups[rule], near)) for rule in step.card_rules
                             if rule in groups])

    @staticmethod
    def _rounds(per_rule: Sequence[tuple[CardRule, list[Card]]]) -> list[Pick]:
        """One place per rule first (in the rules' order), then the rest."""
        picks: list[Pick] = []
        seen: set[str] = set()
        for first_round in (True, False):
            for rule, found in per_rule:
                for card in found:
                    if card.id in seen:
                        continue
                    seen.add(card.id)
                    picks.append(Pick(card, rule))
                    if first_round:
                        break
        return picks
