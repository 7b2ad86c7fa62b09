"""Find the commune someone means: names, aliases, typos, postal codes, a town inside a sentence; and say when
the town is outside the département, even when its name resembles one of the département ("Clichy")."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz, process

from ..content.models import Commune, OutsideTown
from .choices import CLEAR, CLOSE
from .normalize import normalize

Kind = Literal["found", "close", "ambiguous", "outside", "unknown"]

_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "s": "sur", "ss": "sous", "bs": "bois"}
_ARTICLES = ("le ", "la ", "les ", "l ")
_WEAK_WORDS = frozenset({"saint", "sainte", "le", "la", "les", "l", "sur", "sous", "en", "de", "bois", "seine"})
_FILLER = frozenset({
    "j", "je", "habite", "habites", "habitons", "vis", "suis", "reste", "a", "au", "aux", "dans", "de", "du", "d", "en",
    "ma", "mon", "ville", "commune", "c", "est", "ici", "moi", "chez", "pres", "vers", "quartier", "i", "live", "in",
})
"""Words around a town name in a sentence ("j'habite à …"), dropped before fuzzy matching."""
_POSTCODE = re.compile(r"(?<!\d)\d{5}(?!\d)")
_SPACED_POSTCODE = re.compile(r"(?<!\d)(?<!\d )(\d\d) (\d{3})(?!\d)(?! \d)")
""""93 140" ("93.140", "93-140" once normalised): the two groups stand alone, so a phone number never matches."""
NEAR_EXACT = 92.0
"""A whole text this close to the name of a town outside is that town ("Nanterr")."""
PREFIX_SCORE = 86.0
"""A word that starts a single commune's name ("Aulnay"): worth a "did you mean" question, not certainty."""
TIE = 3.0


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
class _Outside:
    """The best match among the towns outside: several towns may share a name (Blandy, 77 and 91)."""

    towns: tuple[OutsideTown, ...]
    score: float
    query: str
    whole: bool
    """Matched the whole text (or the text without its filler words), not a few words of it."""


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


_HAN_SPACE = re.compile(r"(?<=[\u3400-\u9fff\uf900-\ufaff]) (?=[\u3400-\u9fff\uf900-\ufaff])")
"""A space between two Chinese characters: Chinese is written without spaces (a '·' or '-' in a name folds to one)."""
MIN_CONTAINED = 3
"""A Chinese name found inside a longer text must have at least this many characters ("斯坦" is in "巴基斯坦")."""


def fold_commune(text: str) -> str:
    """normalize() plus the shorthands people use for town names (St, Ste, s/, ss); no space between Chinese
    characters."""
    text = re.sub(r"(?i)\bs/\s*", " sur ", text)
    words = [_ABBREVIATIONS.get(w, w) for w in normalize(text).split()]
    return _HAN_SPACE.sub("", " ".join(words))


@lru_cache(maxsize=4096)
def is_latin(text: str) -> bool:
    """Every letter is a Latin one (digits, spaces and marks aside)."""
    return all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in text)


def find_postcode(text: str) -> str | None:
    """A postal code however it is typed: "93140", "93 140", "93.140", "93-140", "CP 93140", "code postal : 93 140",
    in any script's digits, inside a sentence; never a piece of a phone number or of a longer number."""
    text = normalize(text)
    found = _POSTCODE.search(text)
    if found:
        return found.group()
    spaced = _SPACED_POSTCODE.search(text)
    return spaced.group(1) + spaced.group(2) if spaced else None


def _is_han(text: str) -> bool:
    return any("CJK" in unicodedata.name(ch, "") for ch in text)


def _variants(names: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for name in names:
        folded = fold_commune(name)
        if not folded:
            continue
        found.add(folded)
        for article in _ARTICLES:
            if folded.startswith(article):
                found.add(folded[len(article):])
    return found


class CommuneIndex:
    """Built once per content (and per language, see Engine.commune_index); answers resolve() in well under a
    millisecond.

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
        self._names: dict[str, set[str]] = {code: _variants((c.nom, *c.alias, *extra.get(code, ())))
                                            for code, c in self.communes.items()}
        self._postcodes: dict[str, list[str]] = {}
        for code, commune in self.communes.items():
            for pc in commune.codes_postaux:
                self._postcodes.setdefault(pc, []).append(code)
        self._index_outside(outside, set().union(*self._names.values()))

    def _index_outside(self, outside: Iterable[OutsideTown], taken: set[str]) -> None:
        """Spelling → towns and postal code → towns, once. A spelling that is also a commune's of the département
        is left out: "Saint-Denis" is the one of the 93, the one of La Réunion is found by its postal code."""
        self._outside_names: dict[str, tuple[OutsideTown, ...]] = {}
        self._outside_codes: dict[str, tuple[OutsideTown, ...]] = {}
        for town in outside:
            for variant in sorted(_variants((town.nom, *town.alias)) - taken):
                self._outside_names[variant] = (*self._outside_names.get(variant, ()), town)
            for pc in town.codes_postaux:
                self._outside_codes[pc] = (*self._outside_codes.get(pc, ()), town)
        self._outside_latin = [v for v in self._outside_names if is_latin(v)]

    def resolve(self, text: str) -> CommuneMatch:
        postcode = find_postcode(text)
        if postcode:
            return self._by_code(postcode)
        folded = fold_commune(text)
        if not folded:
            return CommuneMatch("unknown")
        queries = _queries(folded)
        ranking = self._rank(queries)
        best = ranking[0] if ranking else None
        outside = self._outside_match(queries)
        verdict = _weigh(outside, best) if outside else "ignore"
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
        return self._rank(_queries(folded))

    def _rank(self, queries: list[tuple[str, bool]]) -> list[Candidate]:
        ranking = []
        for code, variants in self._names.items():
            best = Candidate(code, self.communes[code].nom, 0.0, "")
            for query, whole in queries:
                for variant in variants:
                    score = _score(query, variant, whole)
                    if score > best.score:
                        best = Candidate(code, self.communes[code].nom, score, variant, query)
            if best.score > 0:
                ranking.append(best)
        ranking.sort(key=lambda c: (-c.score, c.nom))
        return ranking

    def _by_code(self, code: str) -> CommuneMatch:
        if code in self._postcodes:
            codes = self._postcodes[code]
            found = tuple(Candidate(c, self.communes[c].nom, 100.0, code) for c in codes)
            return CommuneMatch("found" if len(found) == 1 else "ambiguous", found)
        if code in self.communes:
            return CommuneMatch("found", (Candidate(code, self.communes[code].nom, 100.0, code),))
        if code in self._outside_codes:
            towns = self._outside_codes[code]
            return _outside_answer(towns, None if len(towns) == 1 else code)
        if code.startswith("93"):
            return CommuneMatch("unknown")
        return CommuneMatch("outside", (), code)

    def _outside_match(self, queries: list[tuple[str, bool]]) -> _Outside | None:
        """The surest town outside named in the text: exactly (the whole text, or a run of its words), or nearly
        (the whole text only); the longer words win a tie."""
        found: _Outside | None = None
        for query, whole in queries:
            towns = self._outside_names.get(query)
            score = (100.0 if whole else 96.0) if towns else 0.0
            if not towns and whole and is_latin(query):
                near = process.extractOne(query, self._outside_latin, scorer=fuzz.ratio, score_cutoff=NEAR_EXACT)
                if near:
                    towns, score = self._outside_names[near[0]], float(near[1])
            if towns and (found is None or (score, len(query)) > (found.score, len(found.query))):
                found = _Outside(towns, score, query, whole)
        return found


def _weigh(outside: _Outside, best: Candidate | None) -> Literal["outside", "ask", "ignore"]:
    """Which of a town outside and the best commune the person means.

    A town outside typed exactly or nearly is outside, whatever commune it resembles ("Clichy" starts
    Clichy-sous-Bois); a commune's exact name stays the commune ("Saint-Denis"); a spelling as close to both asks
    ("Bourge": Le Bourget or Bourges); the longer words win ("le mesnil saint denis" holds "saint denis",
    "pre st gervais" holds Saint-Gervais, 95); a town outside elsewhere in the sentence changes nothing ("chez ma
    mère à Bondy": Méré is a town of the Yvelines).
    """
    if best is None or best.score < CLOSE:
        return "outside"
    if best.score >= 100.0:
        return "ignore"
    if outside.whole or outside.query == best.query:  # the same words: the closer spelling wins, a tie asks
        return "outside" if outside.score > best.score else "ask"
    return "outside" if _holds(outside.query, best.query) else "ignore"


def _holds(longer: str, shorter: str) -> bool:
    return f" {shorter} " in f" {longer} "


def _outside_answer(towns: Sequence[OutsideTown], label: str | None = None) -> CommuneMatch:
    """Name the town (or ``label``), and its département when the towns share one."""
    departements = {town.departement for town in towns}
    departement = departements.pop() if len(departements) == 1 else None
    return CommuneMatch("outside", (), label or towns[0].nom, departement)


def _queries(folded: str) -> list[tuple[str, bool]]:
    """The whole text, then every run of 1 to 5 words (a town named inside a sentence)."""
    words = folded.split()
    queries = [(folded, True)]
    core = " ".join(w for w in words if w not in _FILLER)
    if core and core != folded:
        queries.append((core, True))
    if len(words) > 1:
        for size in range(min(5, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                part = words[start:start + size]
                if all(w in _WEAK_WORDS for w in part):
                    continue
                queries.append((" ".join(part), False))
    return queries


def _score(query: str, variant: str, whole: bool) -> float:
    if query == variant:
        # A name found inside longer text ("saint denis" in "ile saint denis") is a little less sure.
        return 100.0 if whole else 96.0
    if not (is_latin(query) and is_latin(variant)):
        return _score_script(query, variant, whole)
    query_words = query.split()
    if (variant.startswith(query + " ") and not all(w in _WEAK_WORDS for w in query_words)
            and len(query) >= 4):
        return PREFIX_SCORE
    if not whole and len(query) < 4:
        return 0.0
    score = float(fuzz.ratio(query, variant))
    # A fuzzy match on a piece of a sentence must be strong: "je suis perdue" is not a town.
    return score if whole or score >= CLEAR else 0.0


def _score_script(query: str, variant: str, whole: bool) -> float:
    """Arabic, Persian, Chinese…: no typo distance, only the exact name inside a text or the first words of a name."""
    if whole and _is_han(variant) and len(variant) >= MIN_CONTAINED and variant in query:
        return 96.0  # "我住在蒙特勒伊": Chinese has no spaces to cut the sentence into words
    if variant.startswith(query + " ") and len(query) >= 4 and not is_latin(variant):
        return PREFIX_SCORE  # "نويي" starts two names (Neuilly-Plaisance, Neuilly-sur-Marne): ask
    return 0.0
