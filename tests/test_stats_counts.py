"""Counting before protection: Paris days, ISO weeks, windows, the funnel in flow order, naive recounts."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content import Content
from bot.stats import (
    Catalog,
    Count,
    Window,
    by_category,
    day_of,
    funnel,
    parse_since,
    per_period,
    total,
    week_of,
)
from tests.auxil.events import at

ORDER = ["accueil:francais", "accueil:lecture", "accueil:numerique", "accueil:commune"]


def test_a_night_in_paris_belongs_to_the_paris_day_not_the_utc_one() -> None:
    assert day_of(at("2026-06-06", 0)) == date(2026, 6, 6)  # 22:00 UTC the day before
    assert day_of(at("2026-06-06", 23)) == date(2026, 6, 6)
    assert day_of(at("2026-12-31", 23) + 3599) == date(2026, 12, 31)


def test_days_are_right_on_both_sides_of_the_clock_changes() -> None:
    assert day_of(at("2026-03-29", 0)) == date(2026, 3, 29)  # the night clocks go forward
    assert day_of(at("2026-03-29", 4)) == date(2026, 3, 29)
    assert day_of(at("2026-10-25", 0)) == date(2026, 10, 25)  # the night clocks go back
    assert day_of(at("2026-10-25", 23) + 3599) == date(2026, 10, 25)
    assert Window(date(2026, 10, 25), date(2026, 10, 25)).epoch_bounds == (at("2026-10-25", 0), at("2026-10-26", 0))
    assert at("2026-10-26", 0) - at("2026-10-25", 0) == 25 * 3600


def test_weeks_are_iso_weeks_with_their_iso_year() -> None:
    assert week_of(date(2026, 3, 2)) == "2026-W10"
    assert week_of(date(2026, 3, 8)) == "2026-W10"  # Sunday ends the week
    assert week_of(date(2025, 12, 29)) == "2026-W01"
    assert week_of(date(2027, 1, 3)) == "2026-W53"


def test_a_window_is_the_last_days_today_included() -> None:
    window = Window.last_days(7, at("2026-06-06", 10))
    assert (window.first, window.last, window.days) == (date(2026, 5, 31), date(2026, 6, 6), 7)
    assert window.periods("week") == ["2026-W22", "2026-W23"]
    assert len(window.periods("day")) == 7


@pytest.mark.parametrize(("text", "days"), [("7d", 7), ("30d", 30), ("365d", 365), (" 12d ", 12)])
def test_since_reads_a_number_of_days(text: str, days: int) -> None:
    assert parse_since(text) == days


@pytest.mark.parametrize("text", ["30", "0d", "-3d", "1w", "99999d", "d", "3 d"])
def test_since_refuses_anything_else_and_says_what_it_accepts(text: str) -> None:
    with pytest.raises(ValueError, match=r"e\.g\. 7d, 30d, 365d"):
        parse_since(text)


def test_funnel_follows_the_flow_and_puts_steps_the_content_lost_last() -> None:
    day = date(2026, 6, 1)
    counts = [Count(day, "step", "accueil:commune", n=40), Count(day, "step", "accueil:francais", n=60),
              Count(day, "step", "ancien:question", n=2), Count(day, "step", "accueil:numerique", n=50)]
    steps = funnel(counts, ORDER)
    assert [(s.step, s.reached) for s in steps] == [
        ("accueil:francais", 60), ("accueil:lecture", 0), ("accueil:numerique", 50), ("accueil:commune", 40),
        ("ancien:question", 2)]


def test_the_shipped_content_gives_its_questions_in_flow_order(content: Content) -> None:
    catalog = Catalog.from_content(content)
    flow = content.flows[content.entry.split(":")[0]]
    assert catalog.steps == tuple(key for key in flow.steps if content.steps[key].waits_for_answer)
    assert "accueil:bonjour" not in catalog.steps  # a message, not a question: nobody can stop there
    assert "accueil:commune" in catalog.steps
    assert catalog.label("step", "accueil:commune") == "Dans quelle ville habitez-vous ?"
    results = [key for key in catalog.steps if content.steps[key].kind == "result"]
    assert all(catalog.label("step", key) == "Les lieux proposés (résultat)" for key in results)
    assert catalog.label("card", "platin") == "Plat'In"
    assert catalog.label("territory", "") == "Commune non donnée ou hors territoire"


def test_totals_count_a_window_only() -> None:
    counts = [Count(date(2026, 6, 1), "started", "accueil", n=3), Count(date(2026, 6, 8), "started", "accueil"),
              Count(date(2026, 6, 8), "finished", "accueil:fin")]
    assert total(counts, "started") == 4
    assert total(counts, "started", Window(date(2026, 6, 2), date(2026, 6, 8))) == 1
    assert per_period(counts, "started", "week") == {"2026-W23": 3, "2026-W24": 1}
    assert per_period(counts, "started", "day") == {"2026-06-01": 3, "2026-06-08": 1}


kinds = st.sampled_from(["started", "finished", "step", "orientation", "opened", "request", "request_taken"])
rows = st.lists(st.tuples(st.integers(0, 40), kinds, st.sampled_from([*ORDER, "vieille:etape", "platin"]),
                          st.sampled_from(["plaine-commune", None]), st.sampled_from(["R-1", None]),
                          st.integers(1, 9)), max_size=60)


@settings(max_examples=150, deadline=None)
@given(rows)
def test_every_aggregate_is_a_naive_recount(events: list[tuple[int, str, str, str | None, str | None, int]]) -> None:
    start = date(2026, 5, 1)
    counts = [Count(start + timedelta(days=d), k, name, t, r, "fr", n) for d, k, name, t, r, n in events]
    window = Window(start + timedelta(days=5), start + timedelta(days=30))
    inside = [(start + timedelta(days=d), k, name, t, r, n) for d, k, name, t, r, n in events
              if 5 <= d <= 30]
    for kind in ("started", "orientation", "request"):
        assert total(counts, kind, window) == sum(n for _, k, *_, n in inside if k == kind)
        by_territory = Counter[str]()
        for _, k, _, t, _, n in inside:
            if k == kind:
                by_territory[t or ""] += n
        assert by_category(counts, kind, "territory", window) == by_territory
        weeks = Counter[str]()
        for day, k, *_, n in inside:
            if k == kind:
                weeks[week_of(day)] += n
        assert per_period(counts, kind, "week", window) == weeks
    reached = Counter[str]()
    for _, k, name, *_, n in inside:
        if k == "step":
            reached[name] += n
    steps = funnel(counts, ORDER, window)
    assert {s.step: s.reached for s in steps if s.reached} == reached
    assert [s.step for s in steps][: len(ORDER)] == ORDER
    assert [s.step for s in steps][len(ORDER):] == sorted(set(reached) - set(ORDER))
