"""What the engine asks a channel to show. Texts are already in the person's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

LineKind = Literal["text", "address", "phone", "email", "url", "hours", "list", "warning", "unknown", "source"]


@dataclass(frozen=True, slots=True)
class Button:
    value: str
    label: str
    emoji: str = ""

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


@dataclass(frozen=True, slots=True)
class Place:
    title: str
    address: str
    latitude: float | None = None
    longitude: float | None = None

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
