"""Engine outputs → Telegram messages in HTML, every dynamic value escaped.

Texts come from YAML and translations, so even the bot's own words may hold '<', '&' or quotes: nothing is
written into HTML without html.escape. Tags never span a line, so a long message can be cut between lines.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote_plus

from ...content.phones import tappable
from ...engine import Ask, CardLine, Output, Place, Say, ShowCard
from ...i18n import Translations
from . import texts as TT

MAX_TEXT = 4096
"""Telegram's limit for one message (counted after parsing: HTML length is a safe upper bound)."""
MAP_SEARCH = "https://www.openstreetmap.org/search?query="
_BIDI = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def escape(text: str) -> str:
    return html.escape(text, quote=True)


def said_html(text: str, isolate: Callable[[str], str] = str) -> str:
    """What the bot says, escaped, every phone number in international form so that Telegram makes it
    tappable ('01 43 93 93 93' → '+33143939393'). A short number (3949) stays as it is. ``isolate`` keeps the
    number's '+' on the left in a right-to-left line (Translations.isolate)."""
    return escape(tappable(text, isolate))


@dataclass(frozen=True, slots=True)
class TextMessage:
    html: str
    ask: Ask | None = None
    """The question this message asks: it gets the inline keyboard and becomes the chat's live question."""


@dataclass(frozen=True, slots=True)
class VenueMessage:
    place: Place


Outgoing = TextMessage | VenueMessage


def render_outputs(outputs: Sequence[Output], t: Translations, lang: str | None) -> list[Outgoing]:
    """Consecutive sentences become one message; each card and the question get their own.

    Only the last question of a turn keeps its buttons (an earlier one is already answered by the engine).
    """
    last_ask = max((i for i, o in enumerate(outputs) if isinstance(o, Ask)), default=-1)
    messages: list[Outgoing] = []
    said: list[str] = []

    def flush() -> None:
        if said:
            messages.extend(TextMessage(part) for part in split_html("\n\n".join(said)))
            said.clear()

    def isolate(value: str) -> str:
        return t.isolate(lang, value)

    for index, output in enumerate(outputs):
        if isinstance(output, Say):
            if output.text.strip():
                said.append(said_html(output.text, isolate))
        elif isinstance(output, Ask):
            if index != last_ask:
                said.append(said_html(output.text, isolate))
                continue
            flush()
            messages.append(TextMessage(question_html(output, isolate), output))
        elif isinstance(output, ShowCard):
            flush()
            messages.extend(TextMessage(part) for part in split_html(card_html(output, t, lang)))
            if output.place is not None and output.place.has_coordinates:
                messages.append(VenueMessage(output.place))
    flush()
    return messages


def question_html(ask: Ask, isolate: Callable[[str], str] = str) -> str:
    return split_html(said_html(ask.text, isolate))[0]


def answered_html(question: str, answer: str) -> str:
    """The question as it stays in the history once answered: '🗣️ Vous parlez français ?\\n→ 🤏 Un peu'."""
    return f"{question}\n→ <b>{escape(answer)}</b>"


def card_html(card: ShowCard, t: Translations, lang: str | None) -> str:
    """Title, summary, then how to reach the place (tappable phone, address with a map link), next step, source."""
    def isolate(value: str) -> str:
        return t.isolate(lang, value)

    lines = [f"<b>{escape(card.title)}</b>", said_html(card.summary, isolate), ""]
    separator = " : " if (lang or "fr").split("-")[0] == "fr" else ": "
    for line in card.lines:
        lines.append(_card_line(line, separator, isolate))
        if line.kind == "address" and line.target and not (card.place and card.place.has_coordinates):
            lines.append(f"🗺️ {map_link(line.target, t.gettext(lang, TT.MAP_LINK))}")
    return "\n".join(lines)


def _card_line(line: CardLine, separator: str, isolate: Callable[[str], str]) -> str:
    if line.kind == "phone" and line.target and line.target.startswith("+"):
        value = escape(isolate(line.target))  # the international form is what Telegram makes tappable
    else:
        value = said_html(line.value, isolate)
    if line.note:
        value = f"{value} ({escape(line.note)})"
    body = f"<b>{escape(line.label)}</b>{separator}{value}" if line.label else value
    if line.kind == "source":
        body = f"<i>{body}</i>"
    return f"{escape(line.icon)} {body}".strip()


def map_link(address: str, label: str) -> str:
    """A map search for a street address (never for a description: the map would find nothing)."""
    query = quote_plus(_BIDI.sub("", address).strip())
    return f'<a href="{escape(MAP_SEARCH + query)}">{escape(label)}</a>'


def split_html(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Cut between lines so each part fits one message; a single overlong line is cut outside any entity."""
    parts: list[str] = []
    current = ""
    for line in _short_lines(text.split("\n"), limit):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current.strip() or not parts:
        parts.append(current)
    return [p for p in parts if p.strip()] or [text[:limit]]


def _short_lines(lines: Iterable[str], limit: int) -> Iterable[str]:
    for line in lines:
        while len(line) > limit:
            cut = limit
            amp = line.rfind("&", max(0, cut - 10), cut)
            if amp >= 0 and ";" not in line[amp:cut]:
                cut = amp
            yield line[:cut]
            line = line[cut:]
        yield line
