"""From counts to the tables staff see: categories × periods with their totals, every table protected.

Each kind of event appears in exactly one table of a publication, so two tables never give the same total in
two ways (one hidden, one shown). Rows are every category the content knows (a place never shown is listed
too, as "< 5": its absence would say 0); referent codes are the exception, being open-ended: a code with fewer
than 5 events in the window joins "Autres codes" instead of being named.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from ..content import Content
from ._counts import Count, Dimension, Kind, by_category, by_category_and_period, funnel_order
from ._protect import SMALL, Figure, protect
from ._time import Period, Window

HEADLINE: tuple[Kind, ...] = ("started", "finished", "orientation", "opened", "request", "request_taken")
TITLES: Mapping[str, str] = MappingProxyType({
    "started": "Conversations commencées",
    "finished": "Conversations terminées",
    "step": "Questions atteintes",
    "orientation": "Lieux montrés",
    "opened": "Fiches de lieu ouvertes",
    "request": "Demandes de contact",
    "request_taken": "Demandes prises en charge",
})
DETAIL: Mapping[Dimension, tuple[Kind, ...]] = MappingProxyType({
    "step": ("step",),
    "card": ("orientation", "opened"),
    "territory": ("orientation",),
    "referent": ("orientation",),
    "lang": ("orientation",),
})
BY_LABELS: Mapping[Dimension, str] = MappingProxyType({
    "step": "par question, dans l'ordre du parcours",
    "card": "par lieu",
    "territory": "par territoire",
    "referent": "par code de référent",
    "lang": "par langue",
})
NOT_GIVEN: Mapping[Dimension, str] = MappingProxyType({
    "territory": "Commune non donnée ou hors territoire",
    "referent": "Sans code de référent",
    "lang": "Langue non choisie",
})
OTHER_CODES = "Autres codes (moins de 5 chacun)"
RESULT = "Les lieux proposés (résultat)"
OTHER_KEY = "*"
LANGUAGE_NAMES: Mapping[str, str] = MappingProxyType({
    "fr": "français", "ar": "arabe", "en": "anglais", "fa": "persan", "pt": "portugais", "tr": "turc",
    "zh": "chinois",
})


@dataclass(frozen=True, slots=True)
class Catalog:
    """What the content knows: the rows to list, in order, and their French labels."""

    steps: tuple[str, ...] = ()
    """Question steps in flow order (the funnel's order)."""
    labels: Mapping[Dimension, Mapping[str, str]] = field(default_factory=dict)

    @classmethod
    def from_content(cls, content: Content | None, languages: Iterable[str] = ()) -> Catalog:
        languages = tuple(languages)
        lang_labels = {code: LANGUAGE_NAMES.get(code, code) for code in languages}
        if content is None:
            return cls(labels={"lang": lang_labels})
        flows = [content.flows[content.entry.split(":")[0]], *content.flows.values()]
        steps = tuple(dict.fromkeys(key for flow in flows for key in flow.steps
                                    if content.steps[key].waits_for_answer))
        return cls(steps=steps, labels={
            "step": {key: _question(content.steps[key].text, key, content.steps[key].kind) for key in steps},
            "card": {card.id: card.nom for card in content.cards.values()},
            "territory": {t.id: t.nom for t in content.territories.values()},
            "lang": lang_labels,
        })

    def rows(self, dimension: Dimension, seen: Iterable[str]) -> list[str]:
        known = self.steps if dimension == "step" else tuple(self.labels.get(dimension, {}))
        if dimension in NOT_GIVEN:
            known = (*known, "")
        return funnel_order(known, seen)

    def label(self, dimension: Dimension, key: str) -> str:
        if key == "" and dimension in NOT_GIVEN:
            return NOT_GIVEN[dimension]
        if key == OTHER_KEY and dimension == "referent":
            return OTHER_CODES
        return self.labels.get(dimension, {}).get(key, key)


def _question(text: str | None, key: str, kind: str) -> str:
    """The first sentence of a question: short enough for a table row."""
    if kind == "result":
        return RESULT
    if not text:
        return key
    first = text.split("?")[0].strip()
    return f"{first} ?" if "?" in text else first


@dataclass(frozen=True, slots=True)
class Row:
    key: str
    """The category ('' when the events do not say, '*' for referent codes grouped together)."""
    label: str
    periods: tuple[Figure, ...]
    total: Figure


@dataclass(frozen=True, slots=True)
class Table:
    kind: Kind
    by: Dimension | None
    """None for a table of one row (a headline figure per period)."""
    title: str
    periods: tuple[str, ...]
    rows: tuple[Row, ...]
    period_totals: tuple[Figure, ...]
    total: Figure


@dataclass(frozen=True, slots=True)
class Publication:
    window: Window
    per: Period
    by: Dimension
    referent: str | None
    tables: tuple[Table, ...]

    def table(self, kind: Kind) -> Table:
        for table in self.tables:
            if table.kind == kind:
                return table
        raise KeyError(f"no table of {kind!r} in this publication (by {self.by!r})")

    def headline(self) -> list[Table]:
        """The tables whose totals are the figures of the window (conversations, places shown, requests…)."""
        return [self.table(kind) for kind in HEADLINE]

    @property
    def details(self) -> tuple[Table, ...]:
        return tuple(t for t in self.tables if t.by is not None)


def publish(counts: Iterable[Count], window: Window, *, by: Dimension = "card", per: Period = "week",
            catalog: Catalog | None = None, referent: str | None = None) -> Publication:
    """The protected tables for a window; with a referent, only that referent's events count."""
    if by not in DETAIL or per not in ("day", "week"):
        raise ValueError(f"by must be one of {', '.join(DETAIL)} and per 'day' or 'week', not {by!r} and {per!r}")
    catalog = catalog or Catalog()
    rows = [c for c in counts if c.day in window and (referent is None or c.referent == referent)]
    periods = window.periods(per)
    tables = [_table(rows, kind, by, per, periods, catalog, referent) for kind in DETAIL[by]]
    tables += [_table(rows, kind, None, per, periods, catalog, referent) for kind in HEADLINE
               if kind not in DETAIL[by]]
    return Publication(window, per, by, referent, tuple(tables))


def _table(counts: Sequence[Count], kind: Kind, by: Dimension | None, per: Period, periods: list[str],
           catalog: Catalog, referent: str | None) -> Table:
    cells = by_category_and_period(counts, kind, by, per)
    if by is None:
        keys, labels = [""], [TITLES[kind]]
    else:
        keys = _rows(counts, kind, by, catalog, referent)
        if OTHER_KEY in keys:
            cells = _group_small_codes(cells, set(keys))
        labels = [catalog.label(by, key) for key in keys]
    grid = protect([[cells[key, period] for period in periods] for key in keys], len(periods))
    rows = tuple(Row(key, label, figures, total)
                 for key, label, figures, total in zip(keys, labels, grid.cells, grid.row_totals, strict=True))
    return Table(kind, by, TITLES[kind], tuple(periods), rows, grid.column_totals, grid.total)


def _rows(counts: Sequence[Count], kind: Kind, by: Dimension, catalog: Catalog, referent: str | None) -> list[str]:
    seen = by_category(counts, kind, by)
    if by != "referent":
        return catalog.rows(by, seen)
    if referent is not None:
        return [referent]
    named = sorted(code for code, n in seen.items() if code and n >= SMALL)
    others = [OTHER_KEY] if any(code and n < SMALL for code, n in seen.items()) else []
    return ["", *named, *others]


def _group_small_codes(cells: Counter[tuple[str, str]], named: set[str]) -> Counter[tuple[str, str]]:
    grouped: Counter[tuple[str, str]] = Counter()
    for (key, period), n in cells.items():
        grouped[key if key in named else OTHER_KEY, period] += n
    return grouped

