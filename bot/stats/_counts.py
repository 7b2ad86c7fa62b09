"""Counting, before any protection: pure functions over rows of (day, kind, name, territory, referent, lang, n).

A raw event is a row with n = 1 and the Paris day of its timestamp; a rolled-up day is a row with its count.
Both count the same, so figures do not move when a rollup runs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from ._time import Period, Window, period_of

Kind = Literal["started", "finished", "step", "orientation", "opened", "request", "request_taken"]
KINDS: tuple[Kind, ...] = ("started", "finished", "step", "orientation", "opened", "request", "request_taken")
Dimension = Literal["step", "card", "territory", "referent", "lang"]
DIMENSIONS: tuple[Dimension, ...] = ("step", "card", "territory", "referent", "lang")


@dataclass(frozen=True, slots=True)
class Count:
    """n events of one kind and name, on one Paris day, with the same territory, referent and language."""

    day: date
    kind: str
    name: str
    territory: str | None = None
    referent: str | None = None
    lang: str | None = None
    n: int = 1


def category(count: Count, dimension: Dimension) -> str:
    """The row a count belongs to along a dimension; '' when the event does not say (no territory, no code…)."""
    if dimension in ("step", "card"):
        return count.name
    value = {"territory": count.territory, "referent": count.referent, "lang": count.lang}[dimension]
    return value or ""


def of_kind(counts: Iterable[Count], kind: str, window: Window | None = None) -> list[Count]:
    return [c for c in counts if c.kind == kind and (window is None or c.day in window)]


def total(counts: Iterable[Count], kind: str, window: Window | None = None) -> int:
    """How many events of this kind (e.g. conversations started) in the window."""
    return sum(c.n for c in of_kind(counts, kind, window))


def by_category(counts: Iterable[Count], kind: str, dimension: Dimension,
                window: Window | None = None) -> Counter[str]:
    """Totals per category for the window, e.g. orientations per card."""
    result: Counter[str] = Counter()
    for c in of_kind(counts, kind, window):
        result[category(c, dimension)] += c.n
    return result


def per_period(counts: Iterable[Count], kind: str, per: Period, window: Window | None = None) -> Counter[str]:
    """Totals per day ('YYYY-MM-DD') or per ISO week ('YYYY-Www'), e.g. conversations started per week."""
    result: Counter[str] = Counter()
    for c in of_kind(counts, kind, window):
        result[period_of(c.day, per)] += c.n
    return result


def by_category_and_period(counts: Iterable[Count], kind: str, dimension: Dimension | None, per: Period,
                           window: Window | None = None) -> Counter[tuple[str, str]]:
    """Counts per (category, period); without a dimension every count is in the category ''."""
    result: Counter[tuple[str, str]] = Counter()
    for c in of_kind(counts, kind, window):
        row = category(c, dimension) if dimension else ""
        result[row, period_of(c.day, per)] += c.n
    return result


def funnel_order(order: Sequence[str], seen: Iterable[str]) -> list[str]:
    """The steps in flow order, then steps the content no longer has (by name): they go last."""
    known = list(dict.fromkeys(order))
    return known + sorted(set(seen) - set(known))


@dataclass(frozen=True, slots=True)
class FunnelStep:
    step: str
    reached: int
    """How many times a person reached this question (a person who goes back and returns counts again)."""


def funnel(counts: Iterable[Count], order: Sequence[str], window: Window | None = None) -> list[FunnelStep]:
    """Questions reached, in flow order: where people stop shows as a drop from one step to the next."""
    reached = by_category(counts, "step", "step", window)
    return [FunnelStep(step, reached[step]) for step in funnel_order(order, reached)]
