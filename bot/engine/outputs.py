"""What the engine asks a channel to show. Texts are already in the person's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

LineKind = Literal["text", "address", "place", "phone", "email", "url", "hours", "status", "list", "warning", "next",
                   "unknown", "source"]


@dataclass(frozen=True, slots=True)
class Button:
    value: str
    label: str
    emoji: str = ""
    kind: Literal["choice", "contact"] = "choice"
    """contact: Telegram's "share my number" button (a channel without one shows it as a plain choice)."""

    @property
    def text(self) -> str:
        return f"{self.emoji} {self.label}".strip()


@dataclass(frozen=True, slots=True)
class Say:
    text: str


@dataclass(frozen=True, slots=True)
class Ask:
    text: str
    buttons: tuple[Button, ...]
    token: str
    nav: tuple[Button, ...] = ()
    free_text: bool = False
    """True when typing is the main way to answer (a commune)."""


@dataclass(frozen=True, slots=True)
class CardLine:
    icon: str
    label: str
    value: str
    kind: LineKind = "text"
    target: str | None = None
    """What a channel links the line to: the number a phone dials (+33143939393), the street a map searches,
    the web address."""
    note: str = ""
    """Said after the value, in brackets: 'information de 2014, à vérifier' for a fact from an old source."""

    @property
    def text(self) -> str:
        return f"{self.value} ({self.note})" if self.note else self.value


@dataclass(frozen=True, slots=True)
class Place:
    title: str
    address: str
    latitude: float | None = None
    longitude: float | None = None
    street: str | None = None
    """A real street address (French, for a map search); None when the card only describes the place."""

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True, slots=True)
class ShowCard:
    card_id: str
    title: str
    summary: str
    lines: tuple[CardLine, ...]
    place: Place | None = None


@dataclass(frozen=True, slots=True)
class Finished:
    pass


Output = Say | Ask | ShowCard | Finished
