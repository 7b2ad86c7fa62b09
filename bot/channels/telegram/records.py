"""What the adapter remembers about a chat beside the conversation: the question message with live buttons.

Kept in the store (``channel_data``), so a button pressed after a restart of the bot still works, and erased
with the conversation by /oubli. It holds the bot's own words only, never what the person typed.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from ...store import Store

log = logging.getLogger(__name__)
RECORD_FORMAT = 1


@dataclass(frozen=True, slots=True)
class Question:
    """A message whose inline keyboard is the current way to answer."""

    message_id: int
    token: str
    """Ask.token, or an adapter token starting with '!' ('!forget')."""
    html: str
    """The message as sent, to show the chosen answer under it."""
    buttons: tuple[tuple[str, str], ...]
    """(value, visible text) of every button, in callback-index order."""


@dataclass(frozen=True, slots=True)
class ChatRecord:
    question: Question | None = None
    answered_id: int | None = None
    """The question answered by the last press: a second tap on it (a double tap) is ignored quietly."""
    contact_keyboard: bool = False
    """« Share my number » is on the person's screen (a reply keyboard): the next answer takes it away."""

    def to_json(self) -> str:
        question = self.question
        return json.dumps({
            "format": RECORD_FORMAT,
            "question": None if question is None else {
                "message_id": question.message_id, "token": question.token, "html": question.html,
                "buttons": [list(b) for b in question.buttons]},
            "answered_id": self.answered_id,
            **({"contact_keyboard": True} if self.contact_keyboard else {}),
        }, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | None) -> ChatRecord:
        """Anything unreadable is an empty record: the next press is stale, nothing crashes."""
        if not text:
            return cls()
        try:
            raw = json.loads(text)
            if raw.get("format") != RECORD_FORMAT:
                return cls()
            q = raw.get("question")
            question = None if q is None else Question(
                int(q["message_id"]), str(q["token"]), str(q["html"]),
                tuple((str(v), str(t)) for v, t in q["buttons"]))
            answered = raw.get("answered_id")
            return cls(question, int(answered) if answered is not None else None,
                       contact_keyboard=raw.get("contact_keyboard") is True)
        except (ValueError, TypeError, KeyError, AttributeError):
            log.warning("unreadable Telegram chat record ignored")
            return cls()


async def load_record(store: Store, chat_key: str) -> ChatRecord:
    return ChatRecord.from_json(await store.load_channel_data(chat_key))


async def save_record(store: Store, chat_key: str, record: ChatRecord, now: float) -> None:
    await store.save_channel_data(chat_key, record.to_json(), now)
