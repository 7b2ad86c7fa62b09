"""Opening hours in OpenStreetMap's opening_hours syntax (the data·inclusion field horaires_accueil).

Read by opening-hours-py, the OpenStreetMap community's parser (the Rust `opening-hours` crate), in Europe/Paris
time with the French public holidays: "open now", "opens Monday at 9h" and the usual week all come from it.
A value it refuses is a content error, never half-understood: wrong hours send people to a closed door.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import opening_hours as osm

from .errors import BadOpeningHours

PARIS = ZoneInfo("Europe/Paris")
WEEK = 7


class OpeningHoursError(ValueError):
    def at(self, file: str, line: int) -> BadOpeningHours:
        return BadOpeningHours(file, line, f"horaires_accueil: {self}",
                               "write OpenStreetMap hours such as 'Mo-Fr 09:00-12:30,13:30-17:00; Sa 09:00-12:00; "
                               "PH off' (https://wiki.openstreetmap.org/wiki/Key:opening_hours).")


@dataclass(frozen=True, slots=True)
class DayHours:
    day: int
    """0 = Monday."""
    spans: tuple[tuple[time, time], ...]
    """Opening spans of that day; empty means closed. An end of 00:00 means midnight."""


@dataclass(frozen=True, slots=True)
class OpenStatus:
    open: bool
    until: datetime | None = None
    """When it closes (if open)."""
    opens: datetime | None = None
    """When it opens next (if closed), within a few weeks."""
    unknown: bool = False
    """The value says "unknown" or only a comment for now: say nothing."""


@lru_cache(maxsize=512)
def _parse(text: str, holidays: bool) -> osm.OpeningHours:
    try:
        return osm.OpeningHours(text, timezone=PARIS, country="FR" if holidays else None)
    except Exception as exc:  # the parser raises its own ParserError (and SyntaxError on odd input)
        first = str(exc).strip().splitlines()[-1].strip(" =") if str(exc).strip() else "not understood"
        raise OpeningHoursError(f"'{text}' is not OpenStreetMap opening hours ({first})") from None


def parse_opening_hours(text: str) -> tuple[DayHours, ...]:
    """Validate and give the usual week (public holidays aside), Monday first."""
    if not text.strip():
        raise OpeningHoursError("empty hours")
    return usual_week(text)


def usual_week(text: str, around: date | None = None) -> tuple[DayHours, ...]:
    """The hours of each day of an ordinary week (the one of ``around``, public holidays not applied)."""
    hours = _parse(text, holidays=False)
    day = around or date(2026, 1, 5)
    monday = datetime.combine(day - timedelta(days=day.weekday()), time(0), PARIS)
    end = monday + timedelta(days=WEEK)
    spans: dict[int, list[tuple[time, time]]] = {d: [] for d in range(WEEK)}
    for start, stop, state, _comment in hours.intervals(monday, end):
        if state != osm.State.OPEN:
            continue
        start, stop = start.astimezone(PARIS), min(stop, end).astimezone(PARIS)
        while start < stop:
            midnight = datetime.combine(start.date() + timedelta(days=1), time(0), PARIS)
            piece_end = min(stop, midnight)
            spans[start.weekday()].append((start.time(), piece_end.time()))
            start = piece_end
    return tuple(DayHours(d, tuple(spans[d])) for d in range(WEEK))


def open_status(text: str, now: datetime) -> OpenStatus:
    """Open or closed at ``now`` (French public holidays count), and until or from when."""
    hours = _parse(text, holidays=True)
    now = now.astimezone(PARIS)
    state = hours.state(now)[0]
    change = hours.next_change(now)
    change = change.astimezone(PARIS) if change is not None else None
    if state == osm.State.OPEN:
        return OpenStatus(True, until=change)
    if state == osm.State.UNKNOWN:
        return OpenStatus(False, unknown=True)
    horizon = now + timedelta(days=5 * WEEK)
    while change is not None and change < horizon and hours.state(change)[0] != osm.State.OPEN:
        following = hours.next_change(change)
        change = following.astimezone(PARIS) if following is not None else None
    return OpenStatus(False, opens=change if change is not None and change < horizon else None)
