"""A PNG for staff: the chosen dimension as bars, conversations per period as a line.

Drawn with matplotlib's Agg canvas and no pyplot (no screen, no global state: safe in a worker thread). A
protected figure is a hatched bar of fixed length marked "< 5" or "caché": its length never says its value.
"""

from __future__ import annotations

import io
import math
import textwrap
from typing import TYPE_CHECKING

from ._protect import SMALL, Figure, Mark
from ._publish import BY_LABELS, Publication, Table
from ._render import LEGEND, period_label

SHOWN = "#2a6f97"
PROTECTED = "#9aa5b1"
MAX_TICKS = 14
TITLE_WIDTH = 52

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure as Drawing


def draw(publication: Publication) -> Drawing:
    """The figure, for a PNG or for a test to look at (imports matplotlib only now: `import bot.stats` stays light)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as Drawing

    table = publication.details[0]
    started = publication.table("started")
    height = 3.2 + 0.32 * max(len(table.rows), 3)
    drawing = Drawing(figsize=(9, height), dpi=100, layout="constrained")
    FigureCanvasAgg(drawing)
    bars, line = drawing.subplots(2, 1, height_ratios=[max(len(table.rows), 3) * 0.32, 2.6])
    days = publication.window.days
    window = f"{days} dernier jour" if days == 1 else f"{days} derniers jours"
    code = f", code {publication.referent}" if publication.referent else ""
    _bars(bars, table, f"{table.title}, {BY_LABELS[table.by or 'card']} ({window}{code})")
    per = "par semaine (* : semaine en partie dans la période)" if publication.per == "week" else "par jour"
    _line(line, started, publication, f"{started.title}, {per}")
    drawing.supxlabel(LEGEND, fontsize=8, color="#444444", x=0.01, ha="left")
    return drawing


def _bar(figure: Figure) -> tuple[float, str]:
    """(length, text) of a bar: its value when shown, the threshold's length when protected."""
    if figure.shown and figure.value is not None:
        return float(figure.value), str(figure.value)
    return float(SMALL), str(figure)


def _bars(ax: Axes, table: Table, title: str) -> None:
    labels = [r.label if len(r.label) <= 46 else r.label[:45] + "…" for r in table.rows]
    positions = list(range(len(table.rows)))
    longest = max([float(r.total.value or 0) for r in table.rows if r.total.shown] + [float(SMALL)])
    for y, row in zip(positions, table.rows, strict=True):
        length, text = _bar(row.total)
        if row.total.shown:
            ax.barh(y, length, color=SHOWN)
        else:
            ax.barh(y, length, color="white", edgecolor=PROTECTED, hatch="///")
        ax.text(length + longest * 0.01, y, text, va="center", fontsize=9)
    ax.set_yticks(positions, labels, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, longest * 1.15)
    ax.set_title(textwrap.fill(title, TITLE_WIDTH), fontsize=11, loc="left")
    ax.spines[["top", "right"]].set_visible(False)


def _line(ax: Axes, table: Table, publication: Publication, title: str) -> None:
    figures = table.rows[0].periods
    xs = list(range(len(figures)))
    ys = [float(f.value) if f.shown and f.value is not None else math.nan for f in figures]
    for x, figure in zip(xs, figures, strict=True):
        if not figure.shown:
            ax.bar(x, SMALL, width=0.7, color="white", edgecolor=PROTECTED, hatch="///")
            ax.text(x, SMALL, str(figure), ha="center", va="bottom", fontsize=8,
                    rotation=90 if figure.mark is Mark.HIDDEN else 0)
    ax.plot(xs, ys, color=SHOWN, marker="o", markersize=4)
    for x, y in zip(xs, ys, strict=True):
        if not math.isnan(y):
            ax.text(x, y, f" {int(y)}", fontsize=8, va="bottom")
    step = max(1, math.ceil(len(xs) / MAX_TICKS))
    ticks = xs[::step]
    ax.set_xticks(ticks, [_short(table.periods[i], publication) for i in ticks], fontsize=8)
    top = max([y for y in ys if not math.isnan(y)] + [float(SMALL)])
    ax.set_ylim(0, top * 1.2 + 1)
    ax.set_title(textwrap.fill(title, TITLE_WIDTH), fontsize=11, loc="left")
    ax.spines[["top", "right"]].set_visible(False)


def _short(period: str, publication: Publication) -> str:
    """'04/05' (the day, or the Monday of a week; '*' when the window cuts the week)."""
    label = period_label(period, publication.window)
    day = next(word for word in label.split(" ") if word.count("/") == 2)
    return day[:5] + ("*" if label.endswith("(en partie)") else "")


def chart_png(publication: Publication) -> bytes:
    out = io.BytesIO()
    draw(publication).savefig(out, format="png")
    return out.getvalue()
