"""Which places a result step shows, in what order: the rules of the step, in their order, are the ranking.

The shipped result step lists its rules in the order a person is served: reconnecting first when they have no
referent, their Agence locale d'insertion, then each need in the order it was asked, general places last.
Ranking takes two rounds so that the first places answer different needs: first the best place of each rule
that holds (in rule order), then every other place, again in rule order. A place chosen by several rules keeps
its first rank and that rule's reason. Within a rule, the most local place comes first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ._graph import rule_candidates
from .models import Card, CardRule, Step


def reachable(card: Card) -> bool:
    return bool(card.telephone or card.adresse)


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
            # The most local place first (a town's own agency before a place for the whole département), then one
            # a person can reach today (a phone or a street address), then one whose zone is confirmed.
            self._candidates[rule] = sorted(found, key=lambda c: (len(c.zone_communes), not reachable(c),
                                                                  not c.zone_confirmee))
        return self._candidates[rule]

    def select(self, step: Step, answers: Mapping[str, str]) -> list[Pick]:
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
            per_rule.append((rule, found))
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
