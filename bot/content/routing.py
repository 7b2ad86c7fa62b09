"""Where a request to be contacted goes (knowledge/routage.yaml), as frozen values, and the rule that picks one.

An ALI card, a commune or a territory maps to a destination; `default` catches the rest. A destination is a
Telegram group of the team and/or an e-mail address. With no destination at all, nobody is offered a request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from types import MappingProxyType

ROUTING_FILE = "routage.yaml"


@dataclass(frozen=True, slots=True)
class Destination:
    id: str
    nom: str
    """What the person is told, in French: « l'Agence locale d'insertion de Clichy-sous-Bois ». A name from
    routage.yaml is shown as written in every language (like the names of services); the default team of
    BOT_STAFF_CHAT has a catalog entry."""
    telegram_chat: int | None = None
    """A private group of the team the bot belongs to (a negative chat id)."""
    email: str | None = None

    @property
    def can_relay(self) -> bool:
        """Staff can answer through the bot ("Répondez-moi ici sur Telegram") only from a Telegram group."""
        return self.telegram_chat is not None


def _empty() -> MappingProxyType[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Routing:
    destinations: MappingProxyType[str, Destination] = field(default_factory=lambda: MappingProxyType({}))
    by_ali: MappingProxyType[str, str] = field(default_factory=_empty)
    """ALI card id → destination id."""
    by_commune: MappingProxyType[str, str] = field(default_factory=_empty)
    """INSEE code → destination id."""
    by_territory: MappingProxyType[str, str] = field(default_factory=_empty)
    """Territory id → destination id."""
    default: str | None = None

    @property
    def configured(self) -> bool:
        return bool(self.destinations)


def route(routing: Routing, commune_code: str | None, territory: str | None,
          ali_card_ids: Iterable[str] = ()) -> Destination | None:
    """The destination of a request: the person's ALI card first, then their commune, their territory, the
    default. None: nobody can receive it, so the bot does not offer it."""
    found = next((routing.by_ali[card] for card in ali_card_ids if card in routing.by_ali), None)
    if found is None and commune_code:
        found = routing.by_commune.get(commune_code)
    if found is None and territory:
        found = routing.by_territory.get(territory)
    if found is None:
        found = routing.default
    return routing.destinations.get(found) if found else None
