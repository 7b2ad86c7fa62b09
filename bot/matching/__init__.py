"""Matching what people type: normalisation, choices, communes."""

from .choices import CLEAR, CLOSE, Grade, Match, Option, Scored, match_choice, rank
from .communes import Candidate, CommuneIndex, CommuneMatch, fold_commune
from .normalize import normalize
from .postcodes import find_postcode

__all__ = [
    "CLEAR", "CLOSE", "Candidate", "CommuneIndex", "CommuneMatch", "Grade", "Match", "Option", "Scored",
    "find_postcode", "fold_commune", "match_choice", "normalize", "rank",
]
