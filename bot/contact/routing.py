"""The routing the bot runs with: knowledge/routage.yaml, plus BOT_STAFF_CHAT as the default for a quick start.

The rules live in bot/content/routing.py (pure, so that the engine can use them); this is the contact package's door.
"""

from ..content.routing import STAFF_CHAT_ID, STAFF_TEAM, ali_cards_of, destination_for, with_staff_chat

__all__ = ["STAFF_CHAT_ID", "STAFF_TEAM", "ali_cards_of", "destination_for", "with_staff_chat"]
