"""Matching what people type: normalisation, choices, communes."""

from .choices import CLEAR, CLOSE, Grade, Match, Option, Scored, match_choice, rank
from .communes import Candidate, CommuneIndex, CommuneMatch, fold_commune
from .normalize import normalize

__all__ = [
    "CLEAR", "CLOSE", "Candidate", "CommuneIndex", "CommuneMatch", "Grade", "Match", "Option", "Scored",
    "fold_commune", "match_choice", "normalize", "rank",
]
