"""Hypothesis strategies over the shapes of the Bot API's Update, and a player that sends them to the emulator.

A strategy draws an action; ``Player.play`` turns it into one Update, as Telegram would send it, and pushes it:
texts (commands for this bot and for @otherbot, forged /start payloads, 4,096 characters, emoji only, bidi
controls, HTML-like text), stickers, voice, photos, locations, contacts (one's own and someone else's), edited
messages, channel posts, inline queries, callback queries without a message or with another bot's data, changes of
the bot's membership, messages in other groups and in the staff chat (from members and outsiders, replies to the
bot's messages). Presses of real buttons are chosen when played, among the buttons the bot has just sent, so a
conversation goes deep (results, a request to be contacted, staff taking it).

Every tag-like text the fuzzer types holds MARKER, so a test can tell it from the bot's own markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from tests.auxil.botapi import JSON, BotApiEmulator
from tests.auxil.telegram import forged_press

MARKER = "ZQX"
"""Inside every HTML-like piece the fuzzer types: it never appears in the bot's own texts."""
HTML_LIKE = (
    f"<b>{MARKER}b</b>", f'<a href="https://evil.example/{MARKER}">{MARKER}a</a>', f"<i>{MARKER}i",
    f"</b>{MARKER}c", f"&amp;{MARKER}amp", f"&lt;b&gt;{MARKER}lt", f"<tg-spoiler>{MARKER}s</tg-spoiler>",
    f"<code>{MARKER}code</code>", f'<span class="tg-spoiler">{MARKER}span</span>', f"<{MARKER}>",
    f"<pre>{MARKER}pre", f"<blockquote>{MARKER}q</blockquote>", f"&#60;b&#62;{MARKER}num", "<", ">", "&", '"',
)
BIDI = ("\u202e", "\u202d", "\u202a", "\u202b", "\u202c", "\u2066", "\u2067", "\u2068", "\u2069", "\u200f",
        "\u200e", "\u061c")
"""Right-to-left and left-to-right overrides, embeddings and isolates, and the directional marks."""
EMOJI = ("👍", "🇫🇷", "👨‍👩‍👧", "❤️", "🙂", "🏳️‍🌈", "1️⃣", "🧑🏽‍💻", "🤷", "👋")
WORDS = ("Clichy-sous-Bois", "Bobigny", "saint denis", "93200", "Paris", "Montreuil", "oui", "non", "français",
         "je ne sais pas", "travail", "+33612345678", "0612345678", "R-7K3Q", "aide", "bonjour", "1", "2")
COMMANDS = ("start", "aide", "help", "recommencer", "restart", "retour", "back", "langue", "language", "contact",
            "annuler", "cancel", "oubli", "confidentialite", "stats", "gaps", "version", "reload", "inconnue")
"""The bot's commands, its admins' (refused: nobody is an admin here) and one it does not know."""
OTHER_BOT = "otherbot"
DATA_OF_OTHERS = ("like:42", "page=2", "menu", "r|take|", "r|done|R-0000", "r|take|R-7K3Q", "r|close|R-7K3Q",
                  "1|", "1|AAAAAA|0", "1|AAAAAA|999", "1|______|1", "2|abcdef|0", "0", "|", "🙂", "x" * 64,
                  "1|abc|-1", "r|take|R-7K3Q|x", "1|AAAAAA|01")
"""Callback data of other bots, garbage, and this bot's own shapes with forged hashes, indexes and references."""
SEEKERS = (0, 1)
"""The people (indexes in the pool) who, when they press, take the way to a request whenever it is offered, and
answer the team when it wrote to them: French speakers, so that the labels below are theirs. Without them few requests
and fewer threads reach the staff chat."""
SEEKING = ("Répondez-moi ici sur Telegram", "Oui, envoyer", "Être rappelé par une personne", "🧑")
"""The buttons a seeker prefers, best first: answered in Telegram, so the staff chat gets threads too."""
KINDS = ("sticker", "voice", "photo", "video", "video_note", "document", "audio", "animation", "dice", "poll")


def bidi_wrapped(core: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(st.sampled_from(BIDI), core, st.sampled_from(BIDI)).map("".join)


def short_texts() -> st.SearchStrategy[str]:
    piece = st.sampled_from(HTML_LIKE + BIDI + EMOJI + WORDS)
    return st.one_of(
        st.lists(piece, min_size=1, max_size=5).map(" ".join),
        st.text(min_size=1, max_size=30),
        st.lists(st.sampled_from(EMOJI), min_size=1, max_size=6).map("".join),
        bidi_wrapped(st.sampled_from(WORDS + HTML_LIKE)),
    ).filter(lambda text: bool(text.strip()))


def long_texts() -> st.SearchStrategy[str]:
    """4,096 characters (Telegram's longest message), of one repeated piece."""
    return st.sampled_from(("a", "é ", "👍", *BIDI, *HTML_LIKE, "Bobigny ")).map(lambda p: (p * 4096)[:4096])


def start_payloads() -> st.SearchStrategy[str]:
    good = st.from_regex(r"[A-Za-z0-9_-]{1,64}", fullmatch=True)
    shaped = st.tuples(st.sampled_from(("r-", "l-", "t-", "x-", "")),
                       st.sampled_from(("ALI93-07", "ar", "fr", "zz", "francais", "contact", "<b>", MARKER * 30,
                                        "", "-", "a" * 70, "\u202e93"))).map("".join)
    return st.one_of(good, shaped, st.lists(shaped, min_size=2, max_size=4).map("_".join), short_texts())


def commands() -> st.SearchStrategy[str]:
    name = st.sampled_from(COMMANDS)
    return st.one_of(
        name.map(lambda n: f"/{n}"),
        name.map(lambda n: f"/{n}@{OTHER_BOT}"),
        name.map(lambda n: f"/{n}@rsa93_test_bot"),
        start_payloads().map(lambda p: f"/start {p}"),
        st.tuples(name, short_texts()).map(lambda t: f"/{t[0]} {t[1]}"),
        st.sampled_from(("/", "//", "/ start", "/start@", "/@otherbot", "/START", "/Start@RSA93_test_bot")),
    )


def first_names() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(("Test", "Awa", "Samira", "Ибрагим", "سميرة", "李")),
                     bidi_wrapped(st.sampled_from(("Awa", "+33699999999", f"<b>{MARKER}</b>", "R-0000"))),
                     st.sampled_from(HTML_LIKE).map(lambda h: f"Sam{h}"), st.text(min_size=1, max_size=20))


# ---- actions ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Person:
    """One update in a person's private chat (``who``: the index of the person in the pool)."""

    who: int
    kind: str
    """text, edit, press, forged, media, contact, location"""
    text: str = ""
    pick: int = 0
    first_name: str = "Test"
    language_code: str = "fr"
    extra: JSON = field(default_factory=dict)


@dataclass(frozen=True)
class Staff:
    """One update in the staff chat: a member's or an outsider's press, reply, or message."""

    member: bool
    kind: str
    """press, reply, say, forged"""
    text: str = ""
    pick: int = 0
    first_name: str = "Awa"
    sticker: bool = False


@dataclass(frozen=True)
class Raw:
    """An update that carries no private chat: channel posts, inline queries, other groups, membership..."""

    update: JSON
    group_text: str | None = None
    """A message in another group (played through the emulator so that it has an id)."""


Action = Person | Staff | Raw


def person_actions(who: int) -> st.SearchStrategy[Person]:
    names = first_names()
    langs = st.just("fr") if who in SEEKERS else st.sampled_from(("fr", "fr", "ar", "en", "pt-BR", "zz", ""))

    def make(action: str, text: st.SearchStrategy[str] | None = None, **extra: st.SearchStrategy[Any]) -> Any:
        typed = st.just("") if text is None else text
        return st.builds(Person, st.just(who), st.just(action), typed, st.integers(0, 11), names, langs,
                         st.fixed_dictionaries(extra))

    towns = st.sampled_from(WORDS[:6])
    return st.one_of(
        make("press"), make("press"), make("press"), make("press"), make("press"), make("press"),
        make("text", st.one_of(short_texts(), towns, towns)), make("text", commands()),
        make("text", long_texts()), make("edit", short_texts()),
        make("forged", st.sampled_from(DATA_OF_OTHERS), message=st.booleans()),
        make("media", st.one_of(st.just(""), short_texts()), media=st.sampled_from(KINDS)),
        make("contact", st.sampled_from(("+33612345678", "0612345678", "+1 555 0100", "12", MARKER)),
             own=st.booleans()),
        make("location", latitude=st.floats(-90, 90), longitude=st.floats(-180, 180), near=st.booleans()),
    )


def staff_actions() -> st.SearchStrategy[Staff]:
    texts = st.one_of(short_texts(), long_texts())
    return st.one_of(
        st.builds(Staff, st.booleans(), st.just("press"), pick=st.integers(0, 11), first_name=first_names()),
        st.builds(Staff, st.just(True), st.just("press"), pick=st.integers(0, 11), first_name=first_names()),
        st.builds(Staff, st.booleans(), st.just("reply"), texts, st.integers(0, 11), first_names(), st.booleans()),
        st.builds(Staff, st.booleans(), st.sampled_from(("say", "forged")), texts, st.integers(0, 18)),
    )


CHANNEL, OTHER_GROUP = -1001234567890, -1005550000042


def raw_updates() -> st.SearchStrategy[Raw]:
    user = st.fixed_dictionaries({"id": st.integers(1, 2**40), "is_bot": st.booleans(), "first_name": first_names(),
                                  "language_code": st.sampled_from(("fr", "ar", "en"))})
    channel = {"id": CHANNEL, "type": "channel", "title": "Canal"}
    post = st.builds(lambda text, n: {"channel_post": {"message_id": n, "date": 0, "chat": channel,
                                                       "sender_chat": channel, "text": text}},
                     short_texts(), st.integers(1, 10**6))
    edited_post = post.map(lambda u: {"edited_channel_post": {**u["channel_post"], "edit_date": 1}})
    inline = st.builds(lambda u, q: {"inline_query": {"id": "77", "from": u, "query": q, "offset": ""}},
                       user, short_texts())
    no_message = st.builds(lambda u, d: {"callback_query": {"id": "78", "from": u, "chat_instance": "9",
                                                            "inline_message_id": "AAEAAQ", "data": d}},
                           user, st.sampled_from(DATA_OF_OTHERS))
    game = st.builds(lambda u: {"callback_query": {"id": "79", "from": u, "chat_instance": "9",
                                                   "inline_message_id": "AAEAAQ", "game_short_name": "jeu"}}, user)
    membership = st.builds(
        lambda u, chat, old, new: {"my_chat_member": {
            "chat": chat, "from": u, "date": 0,
            "old_chat_member": {"status": old, "user": {"id": 123456789, "is_bot": True, "first_name": "RSA93"}},
            "new_chat_member": {"status": new, "user": {"id": 123456789, "is_bot": True, "first_name": "RSA93"},
                                **({"until_date": 0} if new == "kicked" else {})}}},
        user, st.sampled_from(({"id": OTHER_GROUP, "type": "group", "title": "Groupe"}, channel,
                               {"id": 31337, "type": "private", "first_name": "Ex"})),
        st.sampled_from(("member", "left")), st.sampled_from(("member", "left", "kicked")))
    group = st.builds(Raw, st.just({}), st.one_of(commands(), short_texts(),
                                                  st.just("@rsa93_test_bot bonjour")))
    return st.one_of(post.map(Raw), edited_post.map(Raw), inline.map(Raw), no_message.map(Raw), game.map(Raw),
                     membership.map(Raw), group)


# ---- playing -----------------------------------------------------------------------------------------------------
def _entities(text: str) -> list[JSON]:
    if not text.startswith("/"):
        return []
    return [{"offset": 0, "length": len(text.split(maxsplit=1)[0].encode("utf-16-le")) // 2, "type": "bot_command"}]


def _buttons(message: JSON) -> list[str]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row if "callback_data" in b]


def _in_thread(message: JSON) -> bool:
    """The bot's question after a message of the team (« Vous pouvez répondre ici… »)."""
    return "Vous pouvez répondre ici" in str(message.get("text", ""))


def _sought(message: JSON) -> str | None:
    """The data of the button on the way to a request that a seeker presses on this message, if any."""
    buttons = [b for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row
               if "callback_data" in b]
    for label in SEEKING:
        for b in buttons:
            if label in b["text"]:
                return str(b["callback_data"])
    return None


class Player:
    """Pushes the actions' updates to the emulator, each with one id (what the bot must process)."""

    def __init__(self, api: BotApiEmulator, people: list[int], staff_chat: int, member: int, outsider: int) -> None:
        self.api, self.people, self.staff_chat = api, people, staff_chat
        self.member, self.outsider = member, outsider
        self.kinds: dict[str, int] = {}
        """How many updates of each kind were pushed."""

    def _count(self, kind: str) -> None:
        self.kinds[kind] = self.kinds.get(kind, 0) + 1

    def play(self, action: Action) -> int:
        if isinstance(action, Person):
            return self._person(action)
        if isinstance(action, Staff):
            return self._staff(action)
        if action.group_text is not None:
            self._count("group message")
            return self.api.user_sends_fields(OTHER_GROUP, {"text": action.group_text,
                                                            "entities": _entities(action.group_text)},
                                              user_id=5550042, chat_type="group")
        self._count(next(iter(action.update)))
        return self.api.push_update(action.update)

    def _person(self, a: Person) -> int:
        api, chat = self.api, self.people[a.who]
        sender: dict[str, Any] = {"first_name": a.first_name, "language_code": a.language_code}
        if a.kind == "press":
            keyed = [m for m in api.bot_messages(chat, 4) if _buttons(m)]
            if keyed:
                message = keyed[-1] if a.pick < 9 or len(keyed) == 1 else keyed[a.pick % len(keyed)]
                data = _buttons(message)
                choice = data[a.pick % len(data)]
                if a.who in SEEKERS and a.pick < 9:
                    if a.pick < 6 and _in_thread(keyed[-1]):  # the team wrote to them: they answer
                        return self._text(chat, f"Merci {HTML_LIKE[a.pick]} {a.first_name}", sender)
                    if sought := _sought(keyed[-1]):
                        message, choice = keyed[-1], sought
                self._count("callback_query (a real button)")
                return api.user_presses(chat, message["message_id"], choice, **sender)
            return self._text(chat, "/start", sender)
        if a.kind == "forged":
            self._count("callback_query (forged data)")
            last = api.bot_messages(chat, 1)
            if a.extra["message"] and last:  # on the bot's last message, as a modified client can send
                return forged_press(api, chat, last[0]["message_id"], a.text)
            return api.user_presses(chat, 10**6 + a.pick, a.text, **sender)  # an inaccessible message
        if a.kind == "edit":
            if (message_id := api.last_user_message(chat)) is not None:
                self._count("edited_message")
                return api.user_edits_text(chat, message_id, a.text)
            return self._text(chat, a.text, sender)
        if a.kind == "media":
            kind = a.extra["media"]
            self._count(f"message ({kind})")
            caption = {"caption": a.text} if a.text and kind not in ("sticker", "dice", "poll", "video_note") else {}
            extra = {"emoji": a.text[:2]} if kind == "sticker" and a.text else {}
            return api.user_sends(chat, kind, **caption, **extra, **sender)
        if a.kind == "contact":
            own = a.extra["own"]
            self._count("message (own contact)" if own else "message (someone else's contact)")
            contact = {"phone_number": a.text, "first_name": a.first_name,
                       **({"user_id": chat} if own else {"user_id": chat + 1} if a.pick % 2 else {})}
            return api.user_sends_fields(chat, {"contact": contact}, **sender)
        if a.kind == "location":
            self._count("message (location)")
            near = a.extra["near"]
            return api.user_sends(chat, "location", latitude=48.91 if near else a.extra["latitude"],
                                  longitude=2.45 if near else a.extra["longitude"], **sender)
        return self._text(chat, a.text, sender)

    def _text(self, chat: int, text: str, sender: dict[str, Any]) -> int:
        self._count("message (command)" if text.startswith("/") else
                    "message (4,096 characters)" if len(text) == 4096 else "message (text)")
        return self.api.user_sends_fields(chat, {"text": text, "entities": _entities(text)}, **sender)

    def _staff(self, a: Staff) -> int:
        api, chat = self.api, self.staff_chat
        sender: dict[str, Any] = {"user_id": self.member if a.member else self.outsider,
                                  "first_name": a.first_name, "chat_type": "supergroup"}
        recent = api.bot_messages(chat, 12)
        if a.kind == "press" and (keyed := [m for m in recent if _buttons(m)]):
            message = keyed[a.pick % len(keyed)]
            data = _buttons(message)
            self._count("staff chat: a real button")
            return api.user_presses(chat, message["message_id"], data[a.pick % len(data)], **sender)
        if a.kind == "forged":
            self._count("staff chat: forged data")
            data = DATA_OF_OTHERS[a.pick % len(DATA_OF_OTHERS)]
            return api.user_presses(chat, 10**6 + a.pick, data, **sender)
        reply_to = recent[a.pick % len(recent)]["message_id"] if a.kind in ("reply", "press") and recent else None
        if a.kind == "reply" and a.pick < 6 and (asks := [m for m in recent if "🔖" in m.get("text", "")]):
            reply_to = asks[-1]["message_id"]  # most often to the newest request: a thread with the person opens
        self._count("staff chat: a reply to the bot" if reply_to else "staff chat: a message")
        fields: JSON = {"sticker": {"file_id": "CAACAgIAAxkBAAE", "file_unique_id": "AgAD", "type": "regular",
                                    "width": 512, "height": 512, "is_animated": False, "is_video": False}} \
            if a.sticker else {"text": a.text or "ok", "entities": _entities(a.text)}
        return api.user_sends_fields(chat, fields, reply_to=reply_to, **sender)
