"""What a person can do: press a button, type text, use a command, or start (maybe through a link)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StartPayload:
    """What a referent's link presets. Every field may be missing."""

    referent: str | None = None
    lang: str | None = None
    theme: str | None = None


@dataclass(frozen=True, slots=True)
class Start:
    payload: StartPayload | None = None
    lang_hint: str | None = None
    """The device's language (Telegram's language_code), used when nothing better is known."""


@dataclass(frozen=True, slots=True)
class Press:
    token: str
    """The question the button belongs to (Ask.token): a button of an older question is refused."""
    value: str


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    """back, restart, help, human, language, resume."""


@dataclass(frozen=True, slots=True)
class Unsupported:
    """Something the bot cannot read (a photo, a sticker…)."""

    kind: str


@dataclass(frozen=True, slots=True)
class SharedLocation:
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class SharedContact:
    """A phone number shared with Telegram's 'share my number' button (``own``: the person's own contact)."""

    phone: str
    own: bool


@dataclass(frozen=True, slots=True)
class StaffReply:
    """A staff member answered the person's request in the team's chat: the text is relayed to the person."""

    ref: str
    text: str


@dataclass(frozen=True, slots=True)
class RequestUpdate:
    """Staff took or finished the person's request."""

    ref: str
    status: str
    """'taken' or 'closed'."""


Event = (Start | Press | Text | Command | Unsupported | SharedLocation | SharedContact | StaffReply
         | RequestUpdate)
