"""What a turn asks the world to do besides answering: the requests to staff (written in the step's transaction
by the service: the transactional outbox). The engine only describes them; it never sends anything."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class OpenRequest:
    """The person's open request, as the store has it (the store is the truth: staff change it too)."""

    ref: str
    status: str
    """'open' or 'taken'."""
    reach: str
    """'phone' or 'telegram'."""
    team: str
    """Who handles it, as the person was told ("l'Agence locale d'insertion de Clichy-sous-Bois")."""


@dataclass(frozen=True, slots=True)
class TurnContext:
    """What the channel and the store know, given to the engine with the event (it stays pure)."""

    reference: str = ""
    """A fresh request reference, used only if this turn sends a request."""
    first_name: str | None = None
    """The first name the channel knows (Telegram's), only ever sent with the person's yes."""
    request: OpenRequest | None = None
    request_days: int = 30
    """How long a finished request is kept (said on the consent screen)."""


@dataclass(frozen=True, slots=True)
class SendRequest:
    """The person said yes: send this request (everything in it was shown to them first)."""

    ref: str
    destination_id: str
    first_name: str | None
    lang: str
    french: str | None
    commune: str | None
    needs: tuple[str, ...]
    """In French, for staff ("Apprendre le français")."""
    referent: str | None
    health: str | None
    """The health answer, only when the person ticked it."""
    reach: Literal["phone", "telegram"]
    phone: str | None
    when: Literal["matin", "apres-midi", "indifferent"] | None


@dataclass(frozen=True, slots=True)
class EndRequest:
    ref: str
    status: Literal["cancelled", "closed"]
    """cancelled: the person cancelled it; closed: the person ended the discussion."""


@dataclass(frozen=True, slots=True)
class RelayToStaff:
    ref: str
    text: str


Effect = SendRequest | EndRequest | RelayToStaff
