"""Is it a street address? A map search needs a street; a building or a description is a place ('lieu')."""

from __future__ import annotations

import re

_STREET_PART = re.compile(
    r"(?i)^\s*(?:\d+\s*(?:bis|ter|quater|[a-d])?\s*,?\s*)?"
    r"(?:rue|avenue|av\.?|boulevard|bd|place|allée|allee|chemin|impasse|quai|cours|square|route|voie|passage|"
    r"esplanade|parvis|promenade|rond-point|sentier|mail|villa|cité|cite|hameau|chaussée|chaussee|faubourg|"
    r"ruelle|carrefour|sente|lieu-dit)\b")
"""A street address names a street, maybe after its number: '20 bis rue Gabriel-Péri', 'Place de la Laïcité'.
A building or a description ('2e étage de l'antenne…', 'Bureaux à Montreuil…') belongs in `lieu`: a map search
finds nothing with it."""


def is_street_address(text: str) -> bool:
    """True when one comma-separated part starts with a street (after an optional number)."""
    return any(_STREET_PART.match(part) for part in text.split(","))
