"""Where a request to be contacted goes (knowledge/routage.yaml), as frozen values, and the rule that picks one.

An ALI card, a commune or a territory maps to a destination; `default` catches the rest. A destination is a
Telegram group of the team and/or an e-mail address. With no destination at all, nobody is offered a request.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from ..i18n import N_

if TYPE_CHECKING:
    from .models import Content

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


STAFF_CHAT_ID = "BOT_STAFF_CHAT"
"""The id of the destination BOT_STAFF_CHAT makes (upper case: no id of routage.yaml can take it)."""
# TRANSLATORS: the team a request to be contacted goes to, inside a sentence: lowercase, with its article.
STAFF_TEAM = N_("l'équipe RSA du Département")
"""What the person is told when the request goes to BOT_STAFF_CHAT (translated: it has a catalog entry)."""


def with_staff_chat(routing: Routing, staff_chat: int | None) -> Routing:
    """routage.yaml as it is when it has a default; otherwise BOT_STAFF_CHAT (if set) becomes the default."""
    if staff_chat is None or routing.default is not None:
        return routing
    team = Destination(STAFF_CHAT_ID, STAFF_TEAM, telegram_chat=staff_chat)
    return dataclasses.replace(routing, destinations=MappingProxyType({**routing.destinations, team.id: team}),
                               default=team.id)


def ali_cards_of(content: Content, commune_code: str | None, ali_tag: str = "ali") -> tuple[str, ...]:
    """The ALI cards that serve this commune (not the département-wide ones), for route()."""
    if not commune_code:
        return ()
    return tuple(sorted(card.id for card in content.cards.values() if ali_tag in card.tags
                        and not card.is_department_wide and commune_code in card.zone_communes))


def destination_for(content: Content, routing: Routing, answers: dict[str, str]) -> Destination | None:
    """Where this person's request goes, from their answers ('commune', 'territoire'); None: do not offer it."""
    commune = answers.get("commune")
    return route(routing, commune, answers.get("territoire"), ali_cards_of(content, commune))
