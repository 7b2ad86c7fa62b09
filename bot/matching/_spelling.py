"""How town names are written and typed: folding, their variants, and the runs of words a sentence may name."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from .normalize import normalize

_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "s": "sur", "ss": "sous", "bs": "bois"}
_ARTICLES = ("le ", "la ", "les ", "l ")
WEAK_WORDS = frozenset({"saint", "sainte", "le", "la", "les", "l", "sur", "sous", "en", "de", "bois", "seine"})
"""Words of many names: alone they name no town."""
FILLER = frozenset({
    "j", "je", "habite", "habites", "habitons", "vis", "suis", "reste", "a", "au", "aux", "dans", "de", "du", "d", "en",
    "ma", "mon", "ville", "commune", "c", "est", "ici", "moi", "chez", "pres", "vers", "quartier", "i", "live", "in",
})
"""Words around a town name in a sentence ("j'habite à …"), dropped before fuzzy matching."""
_HAN_SPACE = re.compile(r"(?<=[\u3400-\u9fff\uf900-\ufaff]) (?=[\u3400-\u9fff\uf900-\ufaff])")
"""A space between two Chinese characters: Chinese is written without spaces (a '·' or '-' in a name folds to one)."""


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


def is_han(text: str) -> bool:
    return any("CJK" in unicodedata.name(ch, "") for ch in text)


def variants(names: Iterable[str]) -> frozenset[str]:
    """Every folded spelling of a town's names, with and without a leading article ("les lilas", "lilas")."""
    return _variants(tuple(names))


@lru_cache(maxsize=8192)
def _variants(names: tuple[str, ...]) -> frozenset[str]:
    # Cached: each language's index folds the same 1,400 names again (content, never what people type).
    found: set[str] = set()
    for name in names:
        folded = fold_commune(name)
        if not folded:
            continue
        found.add(folded)
        for article in _ARTICLES:
            if folded.startswith(article):
                found.add(folded[len(article):])
    return frozenset(found)


def queries(folded: str) -> list[tuple[str, bool]]:
    """(words, whole): the whole text and the text without its filler words (whole), then every run of 1 to 5
    words (a town named inside a sentence)."""
    words = folded.split()
    found = [(folded, True)]
    core = " ".join(w for w in words if w not in FILLER)
    if core and core != folded:
        found.append((core, True))
    if len(words) > 1:
        for size in range(min(5, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                part = words[start:start + size]
                if all(w in WEAK_WORDS for w in part):
                    continue
                found.append((" ".join(part), False))
    return found
