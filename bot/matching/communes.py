"""Find the commune someone means: names, aliases, typos, postal codes, a town inside a sentence; and say when
the town is outside the département, even when its name resembles one of the département ("Clichy")."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

from ..content.models import Commune, OutsideTown
from ._outside import OutsideIndex, weigh
from ._spelling import WEAK_WORDS, fold_commune, is_han, is_latin, queries, variants
from .choices import CLEAR, CLOSE
from .postcodes import find_postcode

__all__ = ["Candidate", "CommuneIndex", "CommuneMatch", "find_postcode", "fold_commune", "is_latin"]

Kind = Literal["found", "close", "ambiguous", "outside", "unknown"]
Queries = list[tuple[str, bool]]
PREFIX_SCORE = 86.0
"""A word that starts a single commune's name ("Aulnay"): worth a "did you mean" question, not certainty."""
TIE = 3.0
MIN_CONTAINED = 3
"""A Chinese name found inside a longer text must have at least this many characters ("斯坦" is in "巴基斯坦")."""


@dataclass(frozen=True, slots=True)
class Candidate:
    code_insee: str
    nom: str
    score: float
    phrase: str
    """The spelling of the commune that matched."""
    query: str = ""
    """The words of the text it matched."""


@dataclass(frozen=True, slots=True)
class CommuneMatch:
    kind: Kind
    candidates: tuple[Candidate, ...] = ()
    outside: str | None = None
    """The town outside that was named (or the postal code typed, when it names several towns or none known)."""
    departement: str | None = None
    """The code of that town's département, when known and one."""

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


class CommuneIndex:
    """Built once per content (and per language, see Engine.commune_index); answers resolve() in well under a
    millisecond: each run of words is compared with all the Latin spellings in one rapidfuzz call, and the exact
    names and the first words of names are looked up in dicts made here.

    ``extra_aliases`` (INSEE code → spellings) adds the names people write in their own script, from the
    translations of the commune names ("بوندي" for Bondy, "蒙特勒伊" for Montreuil). A name in another script than
    Latin is only matched exactly (the whole text, a run of words, or inside Chinese text without spaces) or as the
    first words of a longer name: a typo distance between short strings of Chinese characters or Arabic letters
    says little, and a wrong "found" would send the person to the wrong door.
    """

    def __init__(self, communes: Iterable[Commune], outside: Iterable[OutsideTown] = (),
                 extra_aliases: Mapping[str, Iterable[str]] | None = None) -> None:
        self.communes = {c.code_insee: c for c in communes}
        extra = extra_aliases or {}
        self._names: dict[str, frozenset[str]] = {code: variants((c.nom, *c.alias, *extra.get(code, ())))
                                                  for code, c in self.communes.items()}
        self._postcodes: dict[str, list[str]] = {}
        for code, commune in self.communes.items():
            for pc in commune.codes_postaux:
                self._postcodes.setdefault(pc, []).append(code)
        self._index_spellings()
        self._outside = OutsideIndex(outside, (v for names in self._names.values() for v in names))

    def _index_spellings(self) -> None:
        self._exact: dict[str, list[str]] = {}
        """spelling → INSEE codes"""
        self._heads: dict[str, list[tuple[str, str, bool]]] = {}
        """the first words of a spelling → (code, spelling, is Latin), for the "did you mean" of PREFIX_SCORE"""
        self._latin: list[str] = []
        self._latin_codes: list[str] = []
        for code, names in self._names.items():
            for variant in sorted(names):
                self._exact.setdefault(variant, []).append(code)
                words = variant.split()
                for size in range(1, len(words)):
                    self._heads.setdefault(" ".join(words[:size]), []).append((code, variant, is_latin(variant)))
                if is_latin(variant):
                    self._latin.append(variant)
                    self._latin_codes.append(code)

    def resolve(self, text: str) -> CommuneMatch:
        postcode = find_postcode(text)
        if postcode:
            return self._by_code(postcode)
        folded = fold_commune(text)
        if not folded:
            return CommuneMatch("unknown")
        runs = queries(folded)
        ranking = self._rank(runs)
        best = ranking[0] if ranking else None
        outside = self._outside.match(runs)
        verdict = weigh(outside, best.score if best else 0.0, best.query if best else "") if outside else "ignore"
        if outside and verdict == "outside":
            return _outside_answer(outside.towns)
        if outside and verdict == "ask" and best is not None:
            return CommuneMatch("close", (best,), outside.towns[0].nom)
        if best is None or best.score < CLOSE:
            return CommuneMatch("unknown", tuple(ranking[:3]))
        tied = tuple(c for c in ranking if best.score - c.score < TIE and c.score >= CLOSE)
        if len(tied) > 1:
            return CommuneMatch("ambiguous", tied)
        kind: Kind = "found" if best.score >= CLEAR else "close"
        return CommuneMatch(kind, tuple(ranking[:5]))

    def rank(self, folded: str) -> list[Candidate]:
        return self._rank(queries(folded))

    def _rank(self, runs: Queries) -> list[Candidate]:
        """Each commune's best score over every run of words and every spelling (the first one on a tie)."""
        best: dict[str, tuple[float, str, str]] = {}
        for query, whole in runs:
            for code, variant, score in self._scores(query, whole):
                if score > best.get(code, (0.0, "", ""))[0]:
                    best[code] = (score, variant, query)
        ranking = [Candidate(code, self.communes[code].nom, score, variant, query)
                   for code, (score, variant, query) in best.items()]
        ranking.sort(key=lambda c: (-c.score, c.nom))
        return ranking

    def _scores(self, query: str, whole: bool) -> Iterator[tuple[str, str, float]]:
        """(code, spelling, score > 0) for one run of words: the same scores as _score(), computed in bulk."""
        if not is_latin(query):
            for code, names in self._names.items():
                for variant in names:
                    score = _score(query, variant, whole)
                    if score > 0:
                        yield code, variant, score
            return
        for code in self._exact.get(query, ()):
            yield code, query, 100.0 if whole else 96.0
        prefixed: set[str] = set()
        if len(query) >= 4:
            weak = all(w in WEAK_WORDS for w in query.split())
            for code, variant, latin in self._heads.get(query, ()):
                if not (latin and weak):  # "saint" starts many names: its typo distance decides
                    prefixed.add(variant)
                    yield code, variant, PREFIX_SCORE
        if not whole and len(query) < 4:
            return
        # A fuzzy match on a piece of a sentence must be strong: "je suis perdue" is not a town.
        for variant, score, at in process.extract(query, self._latin, scorer=fuzz.ratio, limit=None,
                                                  score_cutoff=0.0 if whole else CLEAR):
            if variant != query and variant not in prefixed and score > 0:
                yield self._latin_codes[at], variant, float(score)

    def _by_code(self, code: str) -> CommuneMatch:
        if code in self._postcodes:
            codes = self._postcodes[code]
            found = tuple(Candidate(c, self.communes[c].nom, 100.0, code) for c in codes)
            return CommuneMatch("found" if len(found) == 1 else "ambiguous", found)
        if code in self.communes:
            return CommuneMatch("found", (Candidate(code, self.communes[code].nom, 100.0, code),))
        if code in self._outside.postcodes:
            towns = self._outside.postcodes[code]
            return _outside_answer(towns, None if len(towns) == 1 else code)
        if code.startswith("93"):
            return CommuneMatch("unknown")
        return CommuneMatch("outside", (), code)


def _outside_answer(towns: Sequence[OutsideTown], label: str | None = None) -> CommuneMatch:
    """Name the town (or ``label``: the postal code several towns share), and its département when they share
    one."""
    departements = {town.departement for town in towns}
    departement = departements.pop() if len(departements) == 1 else None
    return CommuneMatch("outside", (), label or towns[0].nom, departement)


def _score(query: str, variant: str, whole: bool) -> float:
    """One run of words against one spelling (the reference for _scores, and the way for non-Latin text)."""
    if query == variant:
        # A name found inside longer text ("saint denis" in "ile saint denis") is a little less sure.
        return 100.0 if whole else 96.0
    if not (is_latin(query) and is_latin(variant)):
        return _score_script(query, variant, whole)
    query_words = query.split()
    if (variant.startswith(query + " ") and not all(w in WEAK_WORDS for w in query_words)
            and len(query) >= 4):
        return PREFIX_SCORE
    if not whole and len(query) < 4:
        return 0.0
    score = float(fuzz.ratio(query, variant))
    # A fuzzy match on a piece of a sentence must be strong: "je suis perdue" is not a town.
    return score if whole or score >= CLEAR else 0.0


def _score_script(query: str, variant: str, whole: bool) -> float:
    """Arabic, Persian, Chinese…: no typo distance, only the exact name inside a text or the first words of a name."""
    if whole and is_han(variant) and len(variant) >= MIN_CONTAINED and variant in query:
        return 96.0  # "我住在蒙特勒伊": Chinese has no spaces to cut the sentence into words
    if variant.startswith(query + " ") and len(query) >= 4 and not is_latin(variant):
        return PREFIX_SCORE  # "نويي" starts two names (Neuilly-Plaisance, Neuilly-sur-Marne): ask
    return 0.0
