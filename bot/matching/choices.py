"""Graded matching of typed text against a question's choices (rapidfuzz)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from rapidfuzz import fuzz

from .normalize import normalize

CLEAR = 88.0
"""At or above: take the answer."""
CLOSE = 68.0
"""At or above (and below CLEAR): ask "did you mean …?"."""
MARGIN = 8.0
"""A clear answer must beat the runner-up by this much, else it is only close."""


class Grade(Enum):
    CLEAR = "clear"
    CLOSE = "close"
    POOR = "poor"


@dataclass(frozen=True, slots=True)
class Option:
    """One answer people may give: an id and every way of saying it (labels and synonyms, any language)."""

    id: str
    phrases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Scored:
    id: str
    score: float
    phrase: str


@dataclass(frozen=True, slots=True)
class Match:
    grade: Grade
    best: Scored | None
    ranking: tuple[Scored, ...]


def _phrase_score(text: str, phrase: str) -> float:
    if not phrase:
        return 0.0
    if text == phrase:
        return 100.0
    score = fuzz.ratio(text, phrase)
    words, phrase_words = text.split(), phrase.split()
    # The phrase said inside a sentence ("je parle un peu"): take it if it stands as whole words.
    if len(phrase_words) < len(words):
        for i in range(len(words) - len(phrase_words) + 1):
            if words[i:i + len(phrase_words)] == phrase_words:
                bonus = 92.0 if len(phrase) >= 3 else 80.0
                score = max(score, bonus)
                break
    return float(score)


def rank(text: str, options: Sequence[Option]) -> tuple[Scored, ...]:
    norm = normalize(text)
    scored: list[Scored] = []
    for index, option in enumerate(options, start=1):
        if norm == str(index):
            scored.append(Scored(option.id, 100.0, str(index)))
            continue
        best = Scored(option.id, 0.0, "")
        for phrase in option.phrases:
            value = _phrase_score(norm, normalize(phrase))
            if value > best.score:
                best = Scored(option.id, value, phrase)
        scored.append(best)
    return tuple(sorted(scored, key=lambda s: -s.score))


def match_choice(text: str, options: Sequence[Option]) -> Match:
    ranking = rank(text, options)
    if not ranking or not normalize(text):
        return Match(Grade.POOR, None, ranking)
    best = ranking[0]
    runner_up = ranking[1].score if len(ranking) > 1 else 0.0
    if best.score >= CLEAR and best.score - runner_up >= MARGIN:
        return Match(Grade.CLEAR, best, ranking)
    if best.score >= CLOSE and best.score > runner_up:
        return Match(Grade.CLOSE, best, ranking)
    return Match(Grade.POOR, best, ranking)
