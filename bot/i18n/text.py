"""What a translation must keep from its French source, and how mixed-direction text is kept readable.

Placeholders: a translation must name exactly the ``{town}``-style fields of its msgid, else ``str.format``
would fail or drop a value.

Direction: Telegram lays out each line of a message in the direction of its first strong letter. A Latin
address or a phone number inside Arabic text is reordered by the Unicode bidi algorithm ("2 rue X" shows as
"rue X 2", "01 23 45" as "45 23 01") unless it is isolated: FSI … PDI makes it one block laid out on its own.
"""

from __future__ import annotations

import string
import unicodedata

FSI = "\u2068"
"""FIRST STRONG ISOLATE: the enclosed text takes its own direction and moves as one block."""
PDI = "\u2069"
"""POP DIRECTIONAL ISOLATE: ends the isolate."""
BIDI_CONTROLS = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def placeholders(text: str) -> tuple[str, ...] | None:
    """The sorted field names of ``text`` ('{town} …' → ('town',)); None when its braces are broken."""
    try:
        return tuple(sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None))
    except ValueError:
        return None


def isolate(text: str) -> str:
    """Wrap a value (address, phone, name) so that the text around it cannot reorder it."""
    return f"{FSI}{text}{PDI}" if text else text


def strip_bidi(text: str) -> str:
    return "".join(ch for ch in text if ch not in BIDI_CONTROLS)


def first_strong(text: str) -> str | None:
    """'L' or 'R' for the first letter that sets a line's direction, skipping isolated values; None if none."""
    depth = 0
    for ch in text:
        if ch in "\u2066\u2067\u2068":
            depth += 1
        elif ch == PDI:
            depth = max(0, depth - 1)
        elif depth == 0:
            kind = unicodedata.bidirectional(ch)
            if kind == "L":
                return "L"
            if kind in ("R", "AL"):
                return "R"
    return None
