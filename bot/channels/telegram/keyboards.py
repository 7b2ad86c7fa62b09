"""Inline keyboards: choices with their emoji, long labels alone on a row, the navigation as one last row.

Every button's callback data is ``callback.encode(token, index)``; ``index`` points into ``button_list`` (the
choices, then the navigation), which the adapter keeps on the server with the question.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from ...engine import Ask, Button
from . import callback

SHORT = 12
"""A label up to this many characters may share a row (up to three per row) …"""
SHORT_IN_LIST = 20
"""… and in a long list (communes), up to this many, two per row."""
LONG_LIST = 6
NAV_FULL_WIDTH = 24
"""The navigation row shows labels when they fit on a phone, else only their emoji."""


def button_list(ask: Ask) -> tuple[tuple[str, str], ...]:
    """(value, visible text) of every button of a question, in callback-index order."""
    return tuple((b.value, b.text) for b in (*ask.buttons, *ask.nav))


def layout(texts: Sequence[str]) -> list[list[int]]:
    """Rows of indexes: short labels share rows, long ones stand alone, order kept."""
    limit, per_row = (SHORT_IN_LIST, 2) if len(texts) > LONG_LIST else (SHORT, 3)
    rows: list[list[int]] = []
    current: list[int] = []
    for index, text in enumerate(texts):
        if len(text) > limit:
            if current:
                rows.append(current)
                current = []
            rows.append([index])
            continue
        if len(current) == per_row:
            rows.append(current)
            current = []
        current.append(index)
    if current:
        rows.append(current)
    return rows


def nav_texts(nav: Sequence[Button]) -> list[str]:
    full = [b.text for b in nav]
    if sum(len(text) for text in full) <= NAV_FULL_WIDTH:
        return full
    return [b.emoji or b.label for b in nav]


def question_keyboard(ask: Ask) -> InlineKeyboardMarkup | None:
    """The inline keyboard of a question. A « share my number » button is not one of them: Telegram only asks
    for a contact from a reply keyboard (handlers.share_keyboard)."""
    inline = [index for index, b in enumerate(ask.buttons) if b.kind != "contact"]
    if not inline and not ask.nav:
        return None
    texts = [ask.buttons[i].text for i in inline]
    rows = [[InlineKeyboardButton(texts[i], callback_data=callback.encode(ask.token, inline[i])) for i in row]
            for row in layout(texts)]
    if ask.nav:
        first = len(ask.buttons)
        rows.append([InlineKeyboardButton(text, callback_data=callback.encode(ask.token, first + i))
                     for i, text in enumerate(nav_texts(ask.nav))])
    return InlineKeyboardMarkup(rows)


def adapter_keyboard(token: str, buttons: Sequence[tuple[str, str]]) -> InlineKeyboardMarkup:
    """Buttons of a question the adapter asks itself (/oubli), one per row."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, callback_data=callback.encode(token, i))]
                                 for i, (_, text) in enumerate(buttons)])


def link_keyboard(text: str, url: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, url=url)]])
