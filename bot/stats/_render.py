"""A publication as text for staff (French), JSON and CSV for tools. Only published figures reach here."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from ._protect import SMALL, Figure, Mark
from ._publish import BY_LABELS, Publication, Table
from ._time import Window

LABEL_WIDTH = 46
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
LEGEND = (f"« {Mark.SMALL.value} » : moins de {SMALL}. "
          f"« {Mark.HIDDEN.value} » : {SMALL} ou plus, caché pour protéger un petit nombre.")
TOTAL_KEY = "(total)"


def fr_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def period_label(period: str, window: Window) -> str:
    """'2026-W19' → 'semaine du 04/05/2026' (+ ' (en partie)' when the window cuts it); a day → 'lundi 04/05/2026'."""
    if "-W" not in period:
        day = date.fromisoformat(period)
        return f"{WEEKDAYS[day.weekday()]} {fr_date(day)}"
    year, week = period.split("-W")
    monday = date.fromisocalendar(int(year), int(week), 1)
    sunday = date.fromisocalendar(int(year), int(week), 7)
    partial = " (en partie)" if monday < window.first or sunday > window.last else ""
    return f"semaine du {fr_date(monday)}{partial}"


def _cut(label: str, width: int = LABEL_WIDTH) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def _lines(rows: Sequence[tuple[str, ...]], indent: str = "  ") -> list[str]:
    """Left-aligned label, right-aligned figures."""
    width = max((len(r[0]) for r in rows), default=0)
    columns = max((len(r) for r in rows), default=1) - 1
    widths = [max((len(r[k + 1]) for r in rows if len(r) > k + 1), default=0) for k in range(columns)]
    return [indent + r[0].ljust(width) + "".join("  " + v.rjust(w) for v, w in zip(r[1:], widths, strict=False))
            for r in rows]


def share(part: Figure, whole: Figure) -> str:
    """A percentage of two shown figures; '–' when either is protected (a share would reveal it)."""
    if not (part.shown and whole.shown) or not whole.value or part.value is None:
        return "–"
    return f"{round(100 * part.value / whole.value)} %"


def text_lines(publication: Publication) -> list[str]:
    window = publication.window
    days = "dernier jour" if window.days == 1 else f"{window.days} derniers jours"
    lines = [f"Statistiques de l'assistant RSA 93 : {days}, du {fr_date(window.first)} au {fr_date(window.last)}."]
    if publication.referent is not None:
        lines.append(f"Code de référent {publication.referent} : seulement les personnes venues par ce code.")
    lines += [LEGEND, ""]
    lines += _lines([(t.title, str(t.total)) for t in publication.headline()], indent="")
    for table in publication.details:
        lines += ["", *_detail(table)]
    started = publication.table("started")
    per = "par semaine" if publication.per == "week" else "par jour"
    lines += ["", f"{started.title}, {per}"]
    lines += _lines([(period_label(p, window), str(f)) for p, f in zip(started.periods, started.rows[0].periods,
                                                                         strict=True)])
    return lines


def _detail(table: Table) -> list[str]:
    assert table.by is not None
    title = f"{table.title}, {BY_LABELS[table.by]}"
    if table.by == "step":
        first = table.rows[0].total if table.rows else Figure(None, Mark.SMALL)
        funnel = [("", "fois", "% de la 1re question")]
        funnel += [(_cut(r.label), str(r.total), share(r.total, first)) for r in table.rows]
        return [title, *_lines(funnel)]
    rows = [(_cut(r.label), str(r.total)) for r in table.rows] + [("Total", str(table.total))]
    return [title, *_lines(rows)]


def as_json(publication: Publication) -> dict[str, Any]:
    """Protected figures are the strings '< 5' or 'caché', shown ones are numbers."""
    window = publication.window
    return {
        "window": {"first": window.first.isoformat(), "last": window.last.isoformat(), "days": window.days},
        "per": publication.per,
        "by": publication.by,
        "referent": publication.referent,
        "protection": {"threshold": SMALL, "small": Mark.SMALL.value, "hidden": Mark.HIDDEN.value},
        "headline": {t.kind: t.total.json() for t in publication.headline()},
        "tables": [_table_json(t) for t in publication.tables],
    }


def _table_json(table: Table) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "kind": table.kind, "by": table.by, "title": table.title, "periods": list(table.periods),
        "rows": [{"key": r.key, "label": r.label, "total": r.total.json(), "periods": [f.json() for f in r.periods]}
                 for r in table.rows],
        "total": table.total.json(),
    }
    if table.by is not None:
        doc["period_totals"] = [f.json() for f in table.period_totals]
    return doc


def as_json_text(publication: Publication) -> str:
    return json.dumps(as_json(publication), ensure_ascii=False, indent=2) + "\n"


def as_csv(publication: Publication) -> str:
    """One published figure per line: table, by, row, label, period, value ('(total)' marks totals)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["table", "by", "row", "label", "period", "value"])
    for table in publication.tables:
        by = table.by or ""
        for row in table.rows:
            for period, figure in zip(table.periods, row.periods, strict=True):
                writer.writerow([table.kind, by, row.key, row.label, period, str(figure)])
            writer.writerow([table.kind, by, row.key, row.label, TOTAL_KEY, str(row.total)])
        if table.by is not None:
            for period, figure in zip(table.periods, table.period_totals, strict=True):
                writer.writerow([table.kind, by, TOTAL_KEY, "Total", period, str(figure)])
            writer.writerow([table.kind, by, TOTAL_KEY, "Total", TOTAL_KEY, str(table.total)])
    return out.getvalue()
