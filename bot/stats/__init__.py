"""Anonymous usage figures that protect people.

Counts are read from raw events and daily counts alike (read_counts), aggregated by pure functions, then
published as tables whose small figures are protected (publish; see _protect for the rule), and rendered as
text, JSON, CSV or a PNG. summarize() does it all for a channel; rollup() moves old raw events into daily counts.
"""

from ._chart import chart_png, draw
from ._counts import (
    DIMENSIONS,
    KINDS,
    Count,
    Dimension,
    FunnelStep,
    Kind,
    by_category,
    by_category_and_period,
    funnel,
    funnel_order,
    per_period,
    total,
)
from ._database import Database, Rollup, has_events, read_counts, rollup
from ._protect import SMALL, Figure, Mark, ProtectedGrid, protect
from ._publish import Catalog, Publication, Row, Table, publish
from ._render import as_csv, as_json, as_json_text, text_lines
from ._summary import EMPTY, Summary, summarize
from ._time import PARIS, Period, Window, day_of, parse_since, week_of

__all__ = [
    "DIMENSIONS", "EMPTY", "KINDS", "PARIS", "SMALL", "Catalog", "Count", "Database", "Dimension", "Figure",
    "FunnelStep", "Kind", "Mark", "Period", "ProtectedGrid", "Publication", "Rollup", "Row", "Summary", "Table",
    "Window", "as_csv", "as_json", "as_json_text", "by_category", "by_category_and_period", "chart_png", "day_of",
    "draw", "funnel", "funnel_order", "has_events", "parse_since", "per_period", "protect", "publish", "read_counts",
    "rollup", "summarize", "text_lines", "total", "week_of",
]
