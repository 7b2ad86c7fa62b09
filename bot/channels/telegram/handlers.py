"""Private conversations: each update becomes one engine event, and its outputs become messages.

The question message with live buttons is remembered per chat (records.py). Pressing one of its buttons
answers the callback, edits the question to show the answer, and moves on; any other button — from an older
message, an older version, a forged one — gets a short notice and the current question again (a double tap
just gets the notice). Typing instead of pressing removes the previous question's buttons.
"""

from __future__ import annotations

import logging

from telegram import (
    Bot,
    CallbackQuery,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
    User,
)
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from ...content import Content
from ...deeplink import parse_payload
from ...engine import Ask, Command, Event, Output, Press, Say, Start, State
from ...engine import texts as engine_texts
from ...i18n import SOURCE_LANGUAGE, Translations
from ...service import Conversations, Profile
from ...store import StoreUnavailable
from . import callback
from . import texts as TT
from .admin import ADMIN_COMMANDS, AdminDesk
from .groups import GroupGreeter
from .incoming import SlashCommand, TooLong, engine_command, parse_command, read_message
from .keyboards import adapter_keyboard, button_list, question_keyboard
from .records import ChatRecord, Question, load_record, save_record
from .render import VenueMessage, answered_html, escape, render_outputs
from .sender import ChatSender, answer_query
from .staff import StaffRoom

log = logging.getLogger(__name__)
CHAT_PREFIX = "telegram:"
FORGET_TOKEN = "!forget"
RESUME = Command("resume")
"""Shows the current question again without changing anything."""


def chat_key(chat_id: int) -> str:
    return f"{CHAT_PREFIX}{chat_id}"


def share_keyboard(ask: Ask) -> ReplyKeyboardMarkup:
    """Telegram's « share my number » button: it sends the person's own, verified number."""
    button = next(b for b in ask.buttons if b.kind == "contact")
    return ReplyKeyboardMarkup([[KeyboardButton(button.text, request_contact=True)]], resize_keyboard=True,
                               one_time_keyboard=True)


class TelegramAdapter:
    """Turns Telegram updates into engine events and engine outputs into Telegram messages."""

    def __init__(self, conversations: Conversations, admin: AdminDesk | None = None,
                 staff: StaffRoom | None = None) -> None:
        self.conversations = conversations
        self.admin = admin
        self.staff = staff
        """The teams' groups (requests to be contacted); None: the bot sends no requests."""
        self.groups = GroupGreeter(lambda: self.t)

    @property
    def t(self) -> Translations:
        """The catalogs of the engine now serving (a content reload replaces both at once)."""
        return self.conversations.engine.t

    @property
    def content(self) -> Content:
        return self.conversations.engine.content

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        if chat.type != ChatType.PRIVATE:
            if self.staff is None or not await self.staff.on_update(update, context.bot):
                await self.groups.on_update(update, context.bot)
            return
        session = ChatSession(self, context.bot, chat.id, update.effective_user)
        try:
            if update.callback_query is not None:
                await session.press(update.callback_query)
            elif update.message is not None and await self._admin_command(update, context):
                return
            elif update.edited_message is not None:
                await session.notice_then_current(TT.EDITED)
            elif update.message is not None:
                await session.message(update.message)
        except StoreUnavailable as error:
            await session.unavailable(error, update.callback_query)

    async def _admin_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
        """An admin's /stats, /gaps, /version, /reload is answered apart from the conversation (nothing of it is
        stored); anyone else's is read like an unknown command."""
        message, user = update.message, update.effective_user
        if message is None or message.text is None or self.admin is None:
            return False
        command = parse_command(message.text)
        if command is None or command.name not in ADMIN_COMMANDS or not self.admin.is_admin(user.id if user else None):
            return False
        await self.admin.command(context.bot, message.chat_id, command.name, command.argument)
        return True

    async def apologise(self, update: Update, bot: Bot) -> None:
        """After an error: a polite word and the current question (nothing is changed)."""
        chat = update.effective_chat
        if chat is None or chat.type != ChatType.PRIVATE:
            return
        session = ChatSession(self, bot, chat.id, update.effective_user)
        if update.callback_query is not None:
            await answer_query(update.callback_query)
        await session.apologise()


class ChatSession:
    """One update of one private chat (updates of a chat never run at the same time: see ordering.py)."""

    def __init__(self, adapter: TelegramAdapter, bot: Bot, chat_id: int, user: User | None) -> None:
        self.adapter = adapter
        self.conversations = adapter.conversations
        self.t = adapter.t
        self.key = chat_key(chat_id)
        self.sender = ChatSender(bot, chat_id)
        self.lang_hint = user.language_code if user else None
        self.profile = Profile(user.first_name if user else None)
        """Telegram's first name: only ever sent to a team with the person's yes (the request screen)."""
        self.seen: State | None = None
        """The conversation as last read or written in this update: its language, when the store fails."""
        self.answered = False
        """The button's spinner was stopped (a query is answered once)."""

    def lang(self, state: State | None) -> str:
        if state is not None and state.lang:
            return state.lang
        return self.t.negotiate(self.lang_hint) or SOURCE_LANGUAGE

    def tr(self, state: State | None, message: str) -> str:
        return self.t.gettext(self.lang(state), message)

    async def load(self) -> State | None:
        state = await self.conversations.load(self.key)
        self.seen = state or self.seen
        return state

    async def answer(self, query: CallbackQuery, toast: str | None = None) -> None:
        self.answered = True
        await answer_query(query, toast)

    # ---- messages --------------------------------------------------------------------------------------------
    async def message(self, message: Message) -> None:
        incoming = read_message(message)
        state = await self.load()
        if isinstance(incoming, SlashCommand):
            if incoming.name == "oubli":
                await self.ask_forget(state)
                return
            if incoming.name == "confidentialite":
                await self.privacy(state)
                return
            if incoming.name == "start":
                payload = parse_payload(incoming.argument, self.adapter.content, self.t)
                await self.step(Start(payload, lang_hint=self.lang_hint))
                return
            event: Event | None = engine_command(incoming)
            await self.step(event or RESUME, state=state)
        elif isinstance(incoming, TooLong):
            await self.step(RESUME, notes=[self.tr(state, TT.TOO_LONG)], state=state)
        else:
            await self.step(incoming, state=state)

    async def notice_then_current(self, notice: str) -> None:
        state = await self.load()
        await self.step(RESUME, notes=[self.tr(state, notice)], state=state)

    # ---- buttons ------------------------------------------------------------------------------------------
    async def press(self, query: CallbackQuery) -> None:
        record = await load_record(self.conversations.store, self.key)
        question = record.question
        data = callback.decode(query.data)
        message_id = query.message.message_id if query.message is not None else None
        if (data is not None and question is not None and message_id == question.message_id
                and data.token_hash == callback.token_hash(question.token) and data.index < len(question.buttons)):
            await self.answer(query)
            value, text = question.buttons[data.index]
            if question.token == FORGET_TOKEN:
                await self.forget_answered(question, value, text)
            else:
                await self.step(Press(question.token, value), answered=(question, text))
            return
        state = await self.load()
        unnoted = self.unnoted_question(state, question, data, message_id)
        if unnoted is not None and data is not None:
            await self.answer(query)
            if question is not None:  # the question before it keeps no buttons
                await self.sender.remove_keyboard(question.message_id)
            value, text = unnoted.buttons[data.index]
            await self.step(Press(unnoted.token, value), answered=(unnoted, text))
            return
        if message_id is not None and message_id == record.answered_id:  # a double tap: already moved on
            await self.answer(query, self.tr(state, TT.ALREADY_ANSWERED))
            return
        if state is None:  # nothing to go back to (erased, or never started): start only when asked
            await self.answer(query, self.tr(state, TT.FORGET_AGAIN))
            if message_id is not None:
                await self.sender.remove_keyboard(message_id)
            return
        await self.answer(query, self.tr(state, engine_texts.OLD_BUTTON))
        if message_id is not None and (question is None or message_id != question.message_id):
            await self.sender.remove_keyboard(message_id)
        await self.step(RESUME, state=state)

    def unnoted_question(self, state: State | None, noted: Question | None, data: callback.ButtonData | None,
                         message_id: int | None) -> Question | None:
        """The current question, when the press names one of its buttons but the chat's record still holds an
        earlier question: the bot was stopped (kill -9, a crash) after sending the current one and before noting
        it (records.py). The press answers the question the person sees, instead of being refused as old."""
        if state is None or data is None or message_id is None:
            return None
        asks = [o for o in self.conversations.engine.current(state) if isinstance(o, Ask)]
        if not asks or question_keyboard(ask := asks[-1]) is None:
            return None
        buttons = button_list(ask)
        if (noted is not None and noted.token == ask.token) or data.token_hash != callback.token_hash(ask.token) \
                or data.index >= len(buttons):
            return None
        html = next(item.html for item in render_outputs([ask], self.t, state.lang)
                    if not isinstance(item, VenueMessage) and item.ask is ask)
        return Question(message_id, ask.token, html, buttons)

    # ---- one engine step -------------------------------------------------------------------------------------
    async def step(self, event: Event, *, notes: list[str] | None = None, state: State | None = None,
                   answered: tuple[Question, str] | None = None) -> None:
        """Run one event through the engine (committed), tidy the previous question, send the outputs.

        ``state`` is the saved conversation the caller loaded: when there is none, the person starts one,
        whatever they sent, in their phone's language (a press on a live button always has one).
        """
        if state is None and not isinstance(event, Start) and answered is None:
            event, notes = Start(lang_hint=self.lang_hint), None
        reply = await self.conversations.handle(self.key, event, self.profile)
        self.seen = reply.state
        record = await load_record(self.conversations.store, self.key)
        await self.tidy(record, answered)
        outputs: list[Output] = [Say(note) for note in notes or ()]
        await self.show([*outputs, *reply.outputs], reply.state.lang,
                        answered_id=answered[0].message_id if answered else None,
                        contact_keyboard=record.contact_keyboard, echo=answered[1] if answered else None)

    async def tell(self, event: Event) -> bool:
        """Something staff did (took the request, wrote to the person), as a step of the conversation; False when
        there is no conversation any more (erased)."""
        state = await self.load()
        if state is None:
            return False
        await self.step(event, state=state)
        return True

    async def tidy(self, record: ChatRecord, answered: tuple[Question, str] | None) -> None:
        if answered is not None:
            question, text = answered
            await self.sender.edit(question.message_id, answered_html(question.html, text))
        elif record.question is not None:
            await self.sender.remove_keyboard(record.question.message_id)

    async def show(self, outputs: list[Output], lang: str | None, *, answered_id: int | None = None,
                   contact_keyboard: bool = False, echo: str | None = None) -> None:
        """Send the outputs in order; the question with buttons becomes the chat's live question.

        « Share my number » is a keyboard of its own under the text field (Telegram has no inline button that
        asks for a contact): it comes in a second message under the question, and goes with the first message
        that has no inline buttons once the question is answered (if there is none, the chosen answer is echoed
        to carry it away)."""
        live: Question | None = None
        items = render_outputs(outputs, self.t, lang)
        sharing = next((item.ask for item in items if not isinstance(item, VenueMessage) and item.ask is not None
                        and any(b.kind == "contact" for b in item.ask.buttons)), None)
        remove = contact_keyboard and sharing is None
        if remove and all(isinstance(i, VenueMessage) or i.ask is not None for i in items):
            await self.sender.send(escape(echo or "👌"), ReplyKeyboardRemove())
            remove = False
        for item in items:
            if isinstance(item, VenueMessage):
                await self.sender.venue(item.place)
                continue
            keyboard = question_keyboard(item.ask) if item.ask is not None else None
            if remove and keyboard is None:
                await self.sender.send(item.html, ReplyKeyboardRemove())
                remove = False
                continue
            sent = await self.sender.send(item.html, keyboard)
            if sent is not None and item.ask is not None and keyboard is not None:
                live = Question(sent.message_id, item.ask.token, item.html, button_list(item.ask))
            if self.sender.blocked:
                break
        if sharing is not None:
            await self.sender.send(escape(self.t.gettext(lang, TT.SHARE_BELOW)), share_keyboard(sharing))
        await self.remember(ChatRecord(live, answered_id, contact_keyboard=sharing is not None))

    async def remember(self, record: ChatRecord) -> None:
        await save_record(self.conversations.store, self.key, record, self.conversations.clock())

    async def send_text(self, html: str) -> None:
        await self.sender.send(html)

    # ---- /oubli, /confidentialite, errors ------------------------------------------------------------------------
    async def ask_forget(self, state: State | None) -> None:
        if state is None:
            await self.send_text(escape(self.tr(state, TT.FORGET_NOTHING)))
            return
        record = await load_record(self.conversations.store, self.key)
        await self.tidy(record, None)
        html = escape(f"{self.tr(state, TT.FORGET_ASK)}\n{self.tr(state, TT.FORGET_ASK_NOTE)}")
        buttons = (("forget", f"🗑️ {self.tr(state, TT.FORGET_YES)}"), ("keep", f"↩️ {self.tr(state, TT.FORGET_NO)}"))
        sent = await self.sender.send(html, adapter_keyboard(FORGET_TOKEN, buttons))
        if sent is not None:
            await self.remember(ChatRecord(Question(sent.message_id, FORGET_TOKEN, html, buttons)))

    async def forget_answered(self, question: Question, value: str, text: str) -> None:
        state = await self.load()
        if value != "forget":
            await self.step(RESUME, notes=[self.tr(state, TT.FORGET_KEPT)], state=state, answered=(question, text))
            return
        lang = self.lang(state)  # read before the language is erased with everything else
        await self.sender.edit(question.message_id, answered_html(question.html, text))
        open_request = await self.conversations.store.open_request(self.key)
        await self.conversations.forget(self.key)
        log.info("a person erased their conversation")
        lines = [self.t.gettext(lang, TT.FORGET_DONE)]
        if open_request is not None:  # the team is told (the outbox), and the request is erased with the rest
            lines.append(self.t.format(lang, TT.FORGET_WITHDRAWN, ref=open_request.ref))
        lines.append(self.t.gettext(lang, TT.FORGET_AGAIN))
        await self.send_text(escape("\n".join(lines)))

    async def privacy(self, state: State | None) -> None:
        lang = self.lang(state)
        days = {TT.PRIVACY_REQUEST: self.conversations.request_days, TT.PRIVACY_IDLE: self.conversations.session_days}
        lines = [self.tr(state, TT.PRIVACY_TITLE)]
        lines += [f"• {self.tr(state, line)}" for line in TT.PRIVACY_LINES]
        lines += [self.t.format(lang, line, days=days[line]) if line in days else self.tr(state, line)
                  for line in TT.PRIVACY_NOTES]
        text = "\n".join(lines)
        if state is None:  # not a reason to start a conversation (and store something)
            await self.send_text(escape(text))
            return
        await self.step(RESUME, notes=[text], state=state)

    async def unavailable(self, error: StoreUnavailable, query: CallbackQuery | None) -> None:
        """The database said « not now » (locked, full, read-only): what the person did was not saved. Tell them
        to try again in a moment, in their language, without touching the store again (it would fail the same
        way); their screen stays as it was, so the same press or message works once the database is back."""
        log.warning("%s The person was asked to try again.", error)
        if query is not None and not self.answered:
            await self.answer(query)
        await self.send_text(escape(self.tr(self.seen, TT.TECH_PROBLEM)))

    async def apologise(self) -> None:
        try:
            reply = await self.conversations.current(self.key)
        except StoreUnavailable as error:
            await self.unavailable(error, None)
            return
        state = reply.state if reply else None
        if reply is None:
            await self.send_text(escape(self.tr(state, TT.ERROR)))
            return
        await self.tidy(await load_record(self.conversations.store, self.key), None)
        await self.show([Say(self.tr(state, TT.ERROR)), *reply.outputs], reply.state.lang)
