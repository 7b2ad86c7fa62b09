"""The teams' Telegram groups: the buttons under a request (« Je m'en occupe », « Terminé ») and the replies
that staff write to a request, passed to the person.

Only a member of the request's own group may act: the button must be pressed in the group the request was sent
to, and Telegram must say that the person who pressed is a member of it (getChatMember), so a forwarded message
or a former member changes nothing. In a staff group the bot never greets: it only answers these.

Staff-facing words are French (the Département's teams read French), never translated, and every value in them
is escaped.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from html import escape

from telegram import (
    Bot,
    CallbackQuery,
    ChatMember,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyParameters,
    Update,
    User,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError

from ...contact import RequestDesk, RequestRecord, find_reference, relay_to_person, staff_buttons
from ...i18n.text import strip_bidi
from ...service import Conversations
from .sender import answer_query

log = logging.getLogger(__name__)
STAFF_DATA = re.compile(r"r\|(take|done)\|([A-Z0-9-]{3,20})")
"""Callback data of a request's buttons: ``r|take|R-7K3Q`` (the reference names the request, so a button of a
message sent twice still works)."""
MEMBERS = frozenset({ChatMember.OWNER, ChatMember.ADMINISTRATOR, ChatMember.MEMBER})
MAX_RELAY = 3500
"""A staff reply longer than this is cut (the person's message also carries a short heading)."""

NOT_MEMBER = "Réservé aux membres de l'équipe qui a reçu cette demande."
TAKEN = "C'est noté : vous vous occupez de cette demande."
DONE = "C'est noté : la demande est terminée."
REFUSED = {
    "already-taken": "Cette demande est déjà prise en charge{by}.",
    "finished": "Cette demande est déjà terminée.",
    "unknown": "Cette demande n'existe plus : la personne l'a effacée, ou le délai de conservation est passé.",
}
RELAYED = "✉️ Transmis à la personne."
NOT_RELAYED = "Cette demande est terminée : ce message n'est pas transmis à la personne."
TEXT_ONLY = "Seul le texte est transmis à la personne : écrivez votre réponse."


def staff_data(action: str, ref: str) -> str:
    return f"r|{action}|{ref}"


def staff_keyboard(record: RequestRecord) -> InlineKeyboardMarkup | None:
    """The buttons a request has now: both while open, « Terminé » once taken, none once finished."""
    buttons = [InlineKeyboardButton(label, callback_data=staff_data(action, record.ref))
               for action, label in staff_buttons(record)]
    return InlineKeyboardMarkup([buttons]) if buttons else None


def staff_name(user: User) -> str:
    """How a request says who took it: the first name and the initial of the last name (« Fatima B. »)."""
    first, last = strip_bidi(user.first_name).strip(), strip_bidi(user.last_name or "").strip()
    initial = f" {last[:1]}." if last else ""
    return f"{first[:40]}{initial}" or "un membre de l'équipe"


async def is_member(bot: Bot, chat_id: int, user_id: int) -> bool:
    try:
        member = await bot.get_chat_member(chat_id, user_id)
    except TelegramError as error:  # not found, or Telegram unreachable: refuse, the person can press again
        log.info("membership not confirmed: %s", type(error).__name__)
        return False
    if member.status in MEMBERS:
        return True
    return member.status == ChatMember.RESTRICTED and bool(getattr(member, "is_member", False))


class StaffRoom:
    """What the bot does in the groups of the teams that receive requests (routage.yaml, BOT_STAFF_CHAT)."""

    def __init__(self, conversations: Conversations, wake: Callable[[], None] = lambda: None) -> None:
        self.conversations = conversations
        self.wake = wake
        self.desk = RequestDesk(conversations.store, conversations.clock, self._wake)

    def _wake(self) -> None:
        self.wake()

    def staff_chats(self) -> frozenset[int]:
        routing = self.conversations.engine.handoff.routing
        return frozenset(d.telegram_chat for d in routing.destinations.values() if d.telegram_chat is not None)

    async def on_update(self, update: Update, bot: Bot) -> bool:
        """True when the update was for the staff room (then nothing else answers it)."""
        query = update.callback_query
        if query is not None and isinstance(query.data, str) and query.data.startswith("r|"):
            await self.press(query, bot)
            return True
        chat = update.effective_chat
        if chat is None or chat.id not in self.staff_chats():
            return False
        message = update.message
        replied = message.reply_to_message if message is not None else None
        if message is not None and replied is not None and replied.from_user is not None \
                and replied.from_user.id == bot.id:
            await self.reply(message, replied, bot)
        elif query is not None:
            await answer_query(query)
        return True

    async def press(self, query: CallbackQuery, bot: Bot) -> None:
        match = STAFF_DATA.fullmatch(str(query.data))
        message = query.message
        if match is None or message is None:
            await answer_query(query)
            return
        action, ref = match[1], match[2]
        record = await self.desk.get(ref)
        chat_id = message.chat.id
        if record is None:
            await answer_query(query, REFUSED["unknown"])
            return
        if record.destination.telegram_chat != chat_id or not await is_member(bot, chat_id, query.from_user.id):
            log.warning("a request button was pressed by someone who is not a member of its team's group")
            await answer_query(query, NOT_MEMBER)
            return
        name = staff_name(query.from_user)
        outcome = await (self.desk.take(ref, name) if action == "take" else self.desk.close(ref, name))
        if outcome.done:
            log.info("request %s %s by staff", ref, "taken" if action == "take" else "closed")
            await answer_query(query, TAKEN if action == "take" else DONE)
            return
        taken_by = outcome.record.taken_by if outcome.record else None
        await answer_query(query, REFUSED[outcome.refused or "unknown"].format(
            by=f" par {taken_by}" if taken_by else ""))

    async def reply(self, message: Message, replied: Message, bot: Bot) -> None:
        """A staff member answered the request's message (or a message of its thread): pass it to the person."""
        chat_id = message.chat.id
        record = await self.desk.by_staff_message(chat_id, replied.message_id)
        if record is None:  # a message the sender has not recorded yet (it is being marked delivered): its text
            ref = find_reference(replied.text)  # names the request
            record = await self.desk.get(ref) if ref else None
        if record is None or record.destination.telegram_chat != chat_id:
            return  # a reply to another message of the bot
        if not record.active:
            answer = NOT_RELAYED
        elif not message.text:
            answer = TEXT_ONLY
        else:
            store = self.conversations.store
            item = relay_to_person(record, message.text[:MAX_RELAY], f"{chat_id}:{message.message_id}")
            await store.queue([item], self.conversations.clock())
            self.wake()
            log.info("a staff reply to request %s is queued for the person", record.ref)
            answer = RELAYED
        reply = ReplyParameters(message.message_id, allow_sending_without_reply=True)
        try:
            await bot.send_message(chat_id, escape(answer), parse_mode=ParseMode.HTML, reply_parameters=reply)
        except TelegramError as error:
            log.warning("the staff group was not answered: %s", type(error).__name__)

