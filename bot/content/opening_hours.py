"""The part of OpenStreetMap's opening_hours syntax that service cards use.

Accepted: rules separated by ';', each 'DAYS HH:MM-HH:MM[,HH:MM-HH:MM]' or 'DAYS off', where DAYS is a
day (Mo), a range (Mo-Fr) or a list (Mo,We,Fr). Anything richer (holidays, weeks, months) is refused with a
message, never half-understood: wrong hours send people to a closed door.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import BadOpeningHours

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_RULE = re.compile(r"^(?P<days>[A-Za-z,\-]+)\s+(?P<hours>off|closed|\d.*)$")
_SPAN = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


class OpeningHoursError(ValueError):
    def at(self, file: str, line: int) -> BadOpeningHours:
        return BadOpeningHours(file, line, f"horaires_accueil: {self}",
                               "write OpenStreetMap hours such as 'Mo-Fr 09:00-12:30,13:30-17:00; Sa 09:00-12:00'.")


@dataclass(frozen=True, slots=True)
class DayHours:
    day: int
    """0 = Monday."""
    spans: tuple[tuple[str, str], ...]
    """Empty means closed."""


def _days(text: str) -> list[int]:
    days: list[int] = []
    for part in text.split(","):
        if "-" in part:
            first, _, last = part.partition("-")
            if first not in DAYS or last not in DAYS:
                raise OpeningHoursError(f"'{part}' is not a day range like Mo-Fr")
            a, b = DAYS.index(first), DAYS.index(last)
            if a > b:
                raise OpeningHoursError(f"'{part}' goes backwards; write the first day first")
            days.extend(range(a, b + 1))
        elif part in DAYS:
            days.append(DAYS.index(part))
        else:
            raise OpeningHoursError(f"'{part}' is not a day (use Mo Tu We Th Fr Sa Su)")
    return days


def _span(text: str) -> tuple[str, str]:
    match = _SPAN.match(text.strip())
    if not match:
        raise OpeningHoursError(f"'{text}' is not a time span like 09:00-12:30")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if not (h1 < 24 and h2 <= 24 and m1 < 60 and m2 < 60) or (h1, m1) >= (h2, m2):
        raise OpeningHoursError(f"'{text}' is not a valid span (the end must come after the start)")
    return f"{h1:02d}:{m1:02d}", f"{h2:02d}:{m2:02d}"


def parse_opening_hours(text: str) -> tuple[DayHours, ...]:
    """Parse into one entry per day mentioned, Monday first; later rules override earlier ones, as in OSM."""
    week: dict[int, tuple[tuple[str, str], ...]] = {}
    rules = [r.strip() for r in text.split(";") if r.strip()]
    if not rules:
        raise OpeningHoursError("empty hours")
    for rule in rules:
        match = _RULE.match(rule)
        if not match:
            raise OpeningHoursError(f"'{rule}' is not 'DAYS HH:MM-HH:MM' nor 'DAYS off'")
        spans: tuple[tuple[str, str], ...] = ()
        if match["hours"] not in ("off", "closed"):
            spans = tuple(_span(s) for s in match["hours"].split(","))
        for day in _days(match["days"]):
            week[day] = spans
    return tuple(DayHours(day, week[day]) for day in sorted(week))
