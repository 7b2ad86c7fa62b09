"""Days and weeks as the Département lives them: Europe/Paris calendar days, ISO weeks, windows of whole days.

A window is made of whole days so that a figure is the same whether its events are still raw (timestamps) or
already rolled up into daily counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
Period = Literal["day", "week"]
SINCE = re.compile(r"^([1-9][0-9]{0,3})d$")
MAX_DAYS = 3660


@lru_cache(maxsize=65536)
def day_of_hour(hour: int) -> date:
    """The Paris day of a whole UTC hour since the epoch. Paris changes day only on a whole UTC hour, so every
    instant of that hour has this day: raw events can be counted per hour in SQL and dated here."""
    return datetime.fromtimestamp(hour * 3600, PARIS).date()


def day_of(epoch: float) -> date:
    return day_of_hour(int(epoch // 3600))


def start_of(day: date) -> float:
    """The epoch second at which a Paris day begins (midnight always exists in Paris: clocks change at 2 or 3)."""
    return datetime.combine(day, time(0), tzinfo=PARIS).timestamp()


def week_of(day: date) -> str:
    """The ISO week, 'YYYY-Www' (the ISO year: 29 December 2025 is in 2026-W01)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def period_of(day: date, per: Period) -> str:
    return day.isoformat() if per == "day" else week_of(day)


def parse_since(text: str) -> int:
    """'30d' → 30. Raises ValueError with a sentence that says what is accepted."""
    match = SINCE.match(text.strip())
    if match is None or int(match.group(1)) > MAX_DAYS:
        raise ValueError(f"'{text}' is not a window: write a number of days followed by d, from 1d to "
                         f"{MAX_DAYS}d (e.g. 7d, 30d, 365d)")
    return int(match.group(1))


@dataclass(frozen=True, slots=True)
class Window:
    """The Paris days from first to last, both included."""

    first: date
    last: date

    @classmethod
    def ending(cls, today: date, days: int) -> Window:
        """The last `days` days, today included."""
        return cls(today - timedelta(days=days - 1), today)

    @classmethod
    def last_days(cls, days: int, now: float) -> Window:
        return cls.ending(day_of(now), days)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last

    def each_day(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range(self.days)]

    def periods(self, per: Period) -> list[str]:
        """Every period of the window in order, empty ones too (a week cut by the window's edge included)."""
        return list(dict.fromkeys(period_of(day, per) for day in self.each_day()))

    @property
    def epoch_bounds(self) -> tuple[float, float]:
        """[start, end) in epoch seconds: from the first midnight to the midnight after the last day."""
        return start_of(self.first), start_of(self.last + timedelta(days=1))
