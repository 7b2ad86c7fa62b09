"""What a Telegram message means for the conversation: a command, a text, a place, or something unreadable."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Message

from ...engine import Command, Event, SharedContact, SharedLocation, Text, Unsupported

MAX_TEXT = 500
"""Longer texts are not an answer to any question (a town, a choice): the person gets a kind word instead."""
COMMANDS = {
    "aide": "help", "help": "help", "recommencer": "restart", "restart": "restart", "retour": "back",
    "back": "back", "langue": "language", "language": "language", "contact": "human", "annuler": "cancel",
    "cancel": "cancel",
}
"""Commands the engine answers; /start, /oubli and /confidentialite are the adapter's."""
ADAPTER_COMMANDS = frozenset({"start", "oubli", "confidentialite"})
KINDS = ("animation", "photo", "sticker", "voice", "video_note", "video", "audio", "document", "contact",
         "poll", "dice", "game", "story", "invoice", "paid_media", "giveaway")
"""Message contents the bot cannot read, most specific first (an animation is also a document)."""


@dataclass(frozen=True, slots=True)
class SlashCommand:
    name: str
    argument: str
    addressed_to: str | None
    """The bot named after '@' ('/aide@rsa93_bot'), if any."""


@dataclass(frozen=True, slots=True)
class TooLong:
    """A text too long to be an answer."""


Incoming = Event | SlashCommand | TooLong


def parse_command(text: str) -> SlashCommand | None:
    if not text.startswith("/") or len(text) < 2:
        return None
    head, _, argument = text[1:].partition(" ")
    name, _, bot = head.partition("@")
    if not name or not name.replace("_", "").isalnum():
        return None
    return SlashCommand(name.lower(), argument.strip(), bot or None)


def read_message(message: Message) -> Incoming:
    """The event a private message stands for."""
    if message.text is not None:
        command = parse_command(message.text)
        if command is not None and (command.name in COMMANDS or command.name in ADAPTER_COMMANDS):
            return command
        if len(message.text) > MAX_TEXT:
            return TooLong()
        return Text(message.text)
    location = message.location or (message.venue.location if message.venue else None)
    if location is not None:
        return SharedLocation(location.latitude, location.longitude)
    contact = message.contact
    if contact is not None and contact.phone_number:  # « share my number », or someone else's contact card
        own = contact.user_id is not None and message.from_user is not None and contact.user_id == message.from_user.id
        return SharedContact(contact.phone_number, own)
    kind = next((k for k in KINDS if getattr(message, k, None)), "other")
    return Unsupported(kind)


def engine_command(command: SlashCommand) -> Event | None:
    name = COMMANDS.get(command.name)
    return Command(name) if name else None


def addresses_bot(message: Message, username: str | None, bot_id: int) -> bool:
    """In a group: a command, a mention of the bot, a reply to it, or the bot being added."""
    text = message.text or message.caption or ""
    if text.startswith("/"):
        command = parse_command(text)
        return command is not None and (command.addressed_to is None
                                        or (username is not None and command.addressed_to.lower() == username.lower()))
    if username and f"@{username.lower()}" in text.lower():
        return True
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
        return True
    return any(member.id == bot_id for member in message.new_chat_members or ())
