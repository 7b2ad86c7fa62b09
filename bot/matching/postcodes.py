"""Read a postal code however people type it, and never take another number for one."""

from __future__ import annotations

import re

from .normalize import normalize

_POSTCODE = re.compile(r"(?<!\d)\d{5}(?!\d)")
_SPACED_POSTCODE = re.compile(r"(?<!\d)(?<!\d )(\d\d) (\d{3})(?!\d)(?! \d)")
""""93 140" ("93.140", "93-140" once normalised): both groups stand alone, so a phone number never matches."""


def find_postcode(text: str) -> str | None:
    """ "93140", "93 140", "93.140", "93-140", "CP 93140", "C.P. 93140", "code postal : 93 140", inside a sentence
    and in any script's digits; never a piece of a phone number ("01 48 95 60 00") or of a longer number."""
    text = normalize(text)  # '.', '-', ':' become one space; ٩٣١٤٠ becomes 93140
    found = _POSTCODE.search(text)
    if found:
        return found.group()
    spaced = _SPACED_POSTCODE.search(text)
    return spaced.group(1) + spaced.group(2) if spaced else None
