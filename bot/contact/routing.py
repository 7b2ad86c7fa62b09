"""The routing the bot runs with: knowledge/routage.yaml, plus BOT_STAFF_CHAT as the default for a quick start."""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

from ..content.models import Content
from ..content.routing import Destination, Routing, route
from ..i18n import N_

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
