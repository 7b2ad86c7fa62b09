"""Towns outside the département: which one a text names, and whether it outweighs a commune of the département.

Built once per index: 1,400 spellings in a dict for exact words, and grouped by length for the near spellings
(only names of about the query's length can be NEAR_EXACT to it, so each look-up compares a few hundred).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

from ..content.models import OutsideTown
from ._spelling import is_latin, variants
from .choices import CLOSE

NEAR_EXACT = 92.0
"""A whole text this close to the name of a town outside is that town ("Nanterr")."""
Verdict = Literal["outside", "ask", "ignore"]


@dataclass(frozen=True, slots=True)
class OutsideMatch:
    """The best match among the towns outside: several towns may share a name (Blandy, 77 and 91)."""

    towns: tuple[OutsideTown, ...]
    score: float
    query: str
    whole: bool
    """Matched the whole text (or the text without its filler words), not a few words of it."""


class OutsideIndex:
    """The towns outside by spelling and by postal code."""

    def __init__(self, towns: Iterable[OutsideTown], taken: Iterable[str]) -> None:
        """``taken``: the spellings of the communes of the département, left out here ("Saint-Denis" is the one
        of the 93; the one of La Réunion is found by its postal code)."""
        taken = set(taken)
        self.names: dict[str, tuple[OutsideTown, ...]] = {}
        self.postcodes: dict[str, tuple[OutsideTown, ...]] = {}
        for town in towns:
            for variant in sorted(variants((town.nom, *town.alias)) - taken):
                self.names[variant] = (*self.names.get(variant, ()), town)
            for pc in town.codes_postaux:
                self.postcodes[pc] = (*self.postcodes.get(pc, ()), town)
        self._near: dict[int, list[str]] = {}
        latin = [v for v in self.names if is_latin(v)]
        for length in range(1, max(map(len, latin), default=0) * 2):
            low, high = _lengths_within(length)
            self._near[length] = [v for v in latin if low <= len(v) <= high]

    def match(self, queries: list[tuple[str, bool]]) -> OutsideMatch | None:
        """The surest town named: exactly (the whole text, or a run of its words), or nearly (the whole text only);
        the longer words win a tie."""
        found: OutsideMatch | None = None
        for query, whole in queries:
            towns = self.names.get(query)
            score = (100.0 if whole else 96.0) if towns else 0.0
            if not towns and whole and is_latin(query):
                near = process.extractOne(query, self._near.get(len(query), ()), scorer=fuzz.ratio,
                                          score_cutoff=NEAR_EXACT)
                if near:
                    towns, score = self.names[near[0]], float(near[1])
            if towns and (found is None or (score, len(query)) > (found.score, len(found.query))):
                found = OutsideMatch(towns, score, query, whole)
        return found


def _lengths_within(length: int) -> tuple[int, int]:
    """The lengths a name may have for fuzz.ratio (2·common / total length) to reach NEAR_EXACT."""
    share, slack = NEAR_EXACT / 100, 1e-9  # slack: a bound that float arithmetic puts a hair off stays in
    return math.ceil(length * share / (2 - share) - slack), math.floor(length * (2 - share) / share + slack)


def weigh(outside: OutsideMatch, best_score: float, best_query: str) -> Verdict:
    """Which of a town outside and the best commune of the département the person means.

    A town outside typed exactly or nearly is outside, whatever commune it resembles ("Clichy" starts
    Clichy-sous-Bois); a commune's exact name stays the commune ("Saint-Denis"); a spelling as close to both asks
    ("Bourge": Le Bourget or Bourges); the longer words win ("le mesnil saint denis" holds "saint denis",
    "pre st gervais" holds Saint-Gervais, 95); a town outside elsewhere in the sentence changes nothing ("chez ma
    mère à Bondy": Méré is a town of the Yvelines).
    """
    if best_score < CLOSE:
        return "outside"
    if best_score >= 100.0:
        return "ignore"
    if outside.whole or outside.query == best_query:  # the same words: the closer spelling wins, a tie asks
        return "outside" if outside.score > best_score else "ask"
    return "outside" if f" {best_query} " in f" {outside.query} " else "ignore"
