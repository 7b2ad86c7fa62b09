"""A small, faithful emulator of the Telegram Bot API HTTP interface, for end-to-end tests.

An aiohttp server on 127.0.0.1 runs in its own thread and event loop, so PTB's real HTTPXRequest stack can
talk to it from any loop: ``base_url=f"{emu.base_url}/bot"``, ``base_file_url=f"{emu.base_url}/file/bot"``.
Only parse_mode=HTML is interpreted (MarkdownV2 text is stored verbatim).
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from aiohttp import web

JSON = dict[str, Any]
T = TypeVar("T")
DEFAULT_TOKEN = "123456789:AAE-emulated_test_token_0123456789ab"
CONFLICT = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
WEBHOOK_SET = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
)
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the same as "
    "a current content and reply markup of the message"
)
HTML_TAGS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline", "ins": "underline",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough", "a": "text_link", "code": "code",
    "pre": "pre", "tg-spoiler": "spoiler", "span": "spoiler", "blockquote": "blockquote",
}
CHAT_ACTIONS = {
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice", "upload_document",
    "choose_sticker", "find_location", "record_video_note", "upload_video_note",
}
# Plain-string wire values that must not be JSON-decoded (a text "123" stays a string).
STRING_PARAMS = {"text", "caption", "title", "address", "parse_mode", "action", "callback_query_id", "url",
                 "language_code", "inline_message_id", "file_id", "photo", "document", "description"}
# kind -> (folder, suffix, fields) of the files a simulated user can send.
USER_MEDIA: dict[str, tuple[str, str, JSON]] = {
    "sticker": ("stickers", ".webp", {"type": "regular", "width": 512, "height": 512, "is_animated": False,
                                      "is_video": False, "emoji": "👍"}),
    "voice": ("voice", ".oga", {"duration": 3, "mime_type": "audio/ogg"}),
    "video": ("videos", ".mp4", {"width": 640, "height": 360, "duration": 5, "mime_type": "video/mp4"}),
    "video_note": ("video_notes", ".mp4", {"length": 240, "duration": 4}),
    "document": ("documents", ".pdf", {"file_name": "attestation.pdf", "mime_type": "application/pdf"}),
    "audio": ("music", ".mp3", {"duration": 30, "mime_type": "audio/mpeg", "title": "Audio"}),
    "animation": ("animations", ".mp4", {"width": 320, "height": 240, "duration": 2,
                                         "file_name": "animation.mp4", "mime_type": "video/mp4"}),
}
_CHARS = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TEXT = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,6}|#x[0-9a-fA-F]{1,5});|[^<&]+|&")
_START, _END = re.compile(r"<([^\s>]*)"), re.compile(r"</([^\s>]*)\s*>")
_HREF = re.compile(r"""href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_LANG = re.compile(r"""class\s*=\s*["']?language-([\w+-]+)""")


class ApiError(Exception):
    """A Telegram error response body."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.body: JSON = {"ok": False, "error_code": code, "description": description}
        if retry_after is not None:
            self.body["parameters"] = {"retry_after": retry_after}


@dataclass(frozen=True)
class Upload:
    """A file received as a multipart/form-data part."""

    filename: str
    content: bytes
    content_type: str


def _bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _unescape(name: str) -> str:
    return _CHARS.get(name) or chr(int(name[2:], 16) if name.startswith("#x") else int(name[1:]))


def _entities_error(message: str) -> ApiError:
    return _bad(f"can't parse entities: {message}")


def parse_html(src: str) -> tuple[str, list[JSON]]:
    """Telegram HTML -> (text, entities with UTF-16 offsets), raising tdlib's errors."""
    out: list[str] = []
    stack: list[tuple[str, JSON]] = []
    entities: list[JSON] = []  # in opening order; "length" is set when the tag closes
    pos = i = 0
    while i < len(src):
        if src[i] != "<":
            text = _TEXT.match(src, i)
            assert text is not None
            piece = _unescape(text[1]) if text[1] else text[0]
            out.append(piece)
            pos, i = pos + _utf16(piece), text.end()
            continue
        offset = len(src[:i].encode())
        if src.startswith("</", i):
            if not stack:
                raise _entities_error(f"Unexpected end tag at byte offset {offset}")
            if (end := _END.match(src, i)) is None:
                raise _entities_error(f"Unclosed end tag at byte offset {offset}")
            tag, entity = stack.pop()
            if end[1] and end[1].lower() != tag:
                found = f'expected "</{tag}>", found "</{end[1]}>"'
                raise _entities_error(f"Unmatched end tag at byte offset {offset}, {found}")
            if entity:
                entity["length"] = pos - entity["offset"]
            i = end.end()
            continue
        start = _START.match(src, i)
        assert start is not None
        tag, close = start[1].lower(), src.find(">", start.end())
        if start.end() == len(src):
            raise _entities_error(f"Unclosed start tag at byte offset {offset}")
        if tag not in HTML_TAGS:
            raise _entities_error(f'Unsupported start tag "{tag}" at byte offset {offset}')
        if close < 0:
            raise _entities_error(f"Unclosed start tag at byte offset {offset}")
        attrs, i = src[start.end() : close], close + 1
        entity = {"type": HTML_TAGS[tag], "offset": pos}
        if tag == "a":  # an <a> without href is plain text
            href = _HREF.search(attrs)
            url = next((g for g in href.groups() if g), "") if href else ""
            entity = {"type": "text_link", "offset": pos, "url": url} if url else {}
        elif tag == "span" and not re.search(r"""class\s*=\s*["']?tg-spoiler""", attrs):
            raise _entities_error(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
        elif tag == "code" and stack and stack[-1][0] == "pre" and (lang := _LANG.search(attrs)):
            stack[-1][1]["language"], entity = lang[1], {}  # <pre><code class="language-x"> is one "pre"
        elif tag == "blockquote" and "expandable" in attrs:
            entity["type"] = "expandable_blockquote"
        stack.append((tag, entity))
        entities += [entity] if entity else []
    if stack:
        raise _entities_error(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    return "".join(out), sorted((e for e in entities if e["length"]), key=lambda e: (e["offset"], -e["length"]))


def format_text(raw: object, parse_mode: object, entities: object, *, caption: bool = False) -> tuple[str, list[JSON]]:
    """Apply parse_mode, trim like Telegram, check emptiness and length; return (text, entities)."""
    text, ents = str(raw or ""), list(entities) if isinstance(entities, list) else []
    if str(parse_mode).lower() == "html":
        text, ents = parse_html(text)
    stripped = text.strip()
    shift, size, clipped = _utf16(text[: len(text) - len(text.lstrip())]), _utf16(stripped), []
    for ent in ents:
        start, end = max(ent["offset"] - shift, 0), min(ent["offset"] + ent["length"] - shift, size)
        clipped += [{**ent, "offset": start, "length": end - start}] if end > start else []
    if not stripped and not caption:
        raise _bad("message text is empty")
    if len(stripped) > (1024 if caption else 4096):
        raise _bad("message caption is too long" if caption else "message is too long")
    return stripped, clipped


def _decode(key: str, value: Any) -> Any:
    """PTB sends every non-string parameter JSON-encoded in a form field (reply_markup, chat_id...)."""
    if not isinstance(value, str) or key in STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


async def _read_params(request: web.Request) -> JSON:
    raw: JSON = dict(request.query)
    if request.content_type == "application/json" and request.body_exists:
        raw.update(await request.json())
    elif request.body_exists:  # application/x-www-form-urlencoded or multipart/form-data
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                raw[key] = Upload(value.filename, value.file.read(), value.content_type)
            else:
                raw[key] = value
    return {key: _decode(key, value) for key, value in raw.items()}


def _reply(body: JSON) -> web.Response:
    return web.json_response(body, status=200 if body["ok"] else body["error_code"])


def _inline(p: JSON) -> JSON | None:
    """The reply_markup echoed back in messages (inline keyboards only), after Telegram's checks."""
    markup = p.get("reply_markup")
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        return None
    for button in (b for row in markup["inline_keyboard"] for b in row):
        if "callback_data" in button and not 1 <= len(str(button["callback_data"]).encode()) <= 64:
            raise _bad("BUTTON_DATA_INVALID")
    return markup


def _command_key(scope: object, language_code: object) -> tuple[str, str]:
    return json.dumps(scope or {"type": "default"}, sort_keys=True), str(language_code or "")


class BotApiEmulator:
    """Telegram Bot API over HTTP on 127.0.0.1, served from a private thread and event loop."""

    def __init__(self, token: str | Iterable[str] = DEFAULT_TOKEN, *, username: str = "rsa93_test_bot") -> None:
        self.tokens = [token] if isinstance(token, str) else list(token)
        bot_id = self.tokens[0].partition(":")[0]
        self.bot_user = {"id": int(bot_id) if bot_id.isdigit() else 1, "is_bot": True, "first_name": "RSA93",
                         "username": username}
        self._lock = threading.RLock()
        self._update_ids, self._ids = itertools.count(1), itertools.count(1)
        self._updates: list[JSON] = []
        self._last_delivered, self._poll_generation, self._webhook = 0, 0, ""
        self._chats: dict[int | str, JSON] = {}
        self._store: dict[int | str, dict[int, JSON]] = {}  # chat -> message_id -> message (both sides)
        self._last_ids: dict[int | str, int] = {}
        self._calls: list[JSON] = []
        self._faults: dict[str, list[ApiError]] = {}
        self._blocked: set[int | str] = set()
        self._commands: dict[tuple[str, str], list[JSON]] = {}
        self._files: dict[str, JSON] = {}  # file_id -> File
        self._contents: dict[str, bytes] = {}  # file_path -> bytes
        self._callbacks: dict[str, int | str] = {}  # callback query id -> chat id
        self._answered: list[str] = []
        self._members: dict[int | str, set[int]] = {}  # group chat id -> user ids (getChatMember)
        self._last_activity = time.monotonic()
        self._methods = {n[5:].lower(): (n[5:], getattr(self, n)) for n in dir(self) if n.startswith("_api_")}
        self._port, self._closing = 0, False
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wakeup = self._stopping = asyncio.Event()  # replaced inside the server loop

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    def start(self) -> BotApiEmulator:
        if self._thread is not None:
            raise RuntimeError("BotApiEmulator already started")
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self._port, self._closing, ready = sock.getsockname()[1], False, threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(sock, ready), name="botapi-emulator", daemon=True)
        self._thread.start()
        if not ready.wait(10) or self._loop is None:
            self.stop()
            raise RuntimeError("BotApiEmulator failed to start")
        return self

    def stop(self) -> None:
        """Answer pending long polls, close the server and join its thread (idempotent)."""
        thread, loop, self._thread = self._thread, self._loop, None
        if loop is not None:
            with contextlib.suppress(RuntimeError):  # loop already closed
                loop.call_soon_threadsafe(self._begin_stop)
        if thread is not None:
            thread.join(10)

    def __enter__(self) -> BotApiEmulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _serve(self, sock: socket.socket, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        try:
            runner = loop.run_until_complete(self._startup(sock))
            self._loop = loop
            ready.set()
            loop.run_until_complete(self._stopping.wait())
            loop.run_until_complete(runner.cleanup())
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            self._loop = None
            sock.close()
            loop.close()
            ready.set()

    async def _startup(self, sock: socket.socket) -> web.AppRunner:
        self._wakeup, self._stopping = asyncio.Event(), asyncio.Event()
        app = web.Application(client_max_size=64 * 2**20)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        runner = web.AppRunner(app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0)
        await runner.setup()
        await web.SockSite(runner, sock).start()
        return runner

    def _begin_stop(self) -> None:
        self._closing = True
        self._pulse()
        self._stopping.set()

    def _pulse(self) -> None:
        """Wake every pending long poll (server loop only)."""
        self._wakeup.set()
        self._wakeup = asyncio.Event()

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] not in self.tokens:
            return _reply(ApiError(401, "Unauthorized").body)
        params = await _read_params(request)
        method = request.match_info["method"].lower()  # Telegram method names are case-insensitive
        if (early := await self.before_call(method, params)) is not None:
            return early
        if method == "getupdates":
            return _reply(await self._get_updates(params))
        if method not in self._methods:
            return _reply(ApiError(404, "Not Found: method not found").body)
        with self._lock:
            return _reply(self._call(*self._methods[method], params))

    async def before_call(self, method: str, params: JSON) -> web.Response | None:
        """A hook for tests: runs before each call is handled; a response returned is sent instead (the call then
        never happened)."""
        return None

    async def _download(self, request: web.Request) -> web.Response:
        with self._lock:
            content = self._contents.get(request.match_info["path"])
        if request.match_info["token"] not in self.tokens or content is None:
            return _reply(ApiError(404, "Not Found").body)
        return web.Response(body=content, content_type="application/octet-stream")

    def _call(self, name: str, handler: Callable[[JSON], Any], params: JSON) -> JSON:
        chat_id = params.get("chat_id", self._callbacks.get(str(params.get("callback_query_id"))))
        try:
            if faults := self._faults.get(name.lower()):
                raise faults.pop(0)
            if "chat_id" in params and chat_id in self._blocked:
                group = isinstance(chat_id, int) and chat_id < 0
                reason = "kicked from the group chat" if group else "blocked by the user"
                raise ApiError(403, f"Forbidden: bot was {reason}")
            body = {"ok": True, "result": handler(params)}
        except ApiError as exc:
            body = exc.body
        except (KeyError, TypeError, ValueError) as exc:
            body = _bad(f"invalid parameters: {exc!r}").body
        message_id = body["result"].get("message_id") if isinstance(body.get("result"), dict) else None
        self._calls.append({"method": name, "params": params, "chat_id": chat_id, "message_id": message_id,
                            "ok": body["ok"], "response": copy.deepcopy(body)})
        self._last_activity = time.monotonic()
        return body

    async def _get_updates(self, params: JSON) -> JSON:
        """Long polling; a newer getUpdates terminates an older pending one with 409, like Telegram."""
        with self._lock:
            if faults := self._faults.get("getupdates"):
                return faults.pop(0).body
            if self._webhook:
                return ApiError(409, WEBHOOK_SET).body
            self._poll_generation += 1
            generation, offset = self._poll_generation, int(params.get("offset", 0))
            if offset > 0:  # confirms every update below offset
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            elif offset < 0:  # keeps only the last -offset updates
                self._updates = self._updates[offset:]
        self._pulse()
        limit, loop = min(max(int(params.get("limit", 100)), 1), 100), asyncio.get_running_loop()
        deadline = loop.time() + min(max(float(params.get("timeout", 0)), 0.0), 50.0)
        while True:
            wakeup = self._wakeup
            with self._lock:
                if generation != self._poll_generation:
                    return ApiError(409, CONFLICT).body
                if batch := copy.deepcopy(self._updates[:limit]):
                    self._last_delivered = max(self._last_delivered, batch[-1]["update_id"])
                    self._last_activity = time.monotonic()
                if batch or self._closing or loop.time() >= deadline:
                    return {"ok": True, "result": batch}
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wakeup.wait(), deadline - loop.time())

    # Bot API methods, called with the lock held; discovered by their "_api_" prefix.
    def _api_getMe(self, p: JSON) -> JSON:
        return {**self.bot_user, "can_join_groups": True, "can_read_all_group_messages": False,
                "supports_inline_queries": False}

    def _api_setWebhook(self, p: JSON) -> bool:
        self._webhook = str(p["url"])
        self._updates = [] if p.get("drop_pending_updates") else self._updates
        return True

    def _api_deleteWebhook(self, p: JSON) -> bool:
        return self._api_setWebhook({**p, "url": ""})

    def _api_getWebhookInfo(self, p: JSON) -> JSON:
        return {"url": self._webhook, "has_custom_certificate": False, "pending_update_count": len(self._updates)}

    def _api_logOut(self, p: JSON) -> bool:
        return True

    _api_close = _api_logOut

    def _api_sendMessage(self, p: JSON) -> JSON:
        text, entities = format_text(p.get("text"), p.get("parse_mode"), p.get("entities"))
        return self._send(p, {"text": text, **({"entities": entities} if entities else {})})

    def _api_editMessageText(self, p: JSON) -> JSON | bool:
        text, entities = format_text(p.get("text"), p.get("parse_mode"), p.get("entities"))
        return self._edit(p, {"text": text, "entities": entities or None, "reply_markup": _inline(p)})

    def _api_editMessageReplyMarkup(self, p: JSON) -> JSON | bool:
        return self._edit(p, {"reply_markup": _inline(p)})

    def _api_deleteMessage(self, p: JSON) -> bool:
        if self._store.get(self._chat(p)["id"], {}).pop(p["message_id"], None) is None:
            raise _bad("message to delete not found")
        return True

    def _api_answerCallbackQuery(self, p: JSON) -> bool:
        if (query_id := str(p.get("callback_query_id"))) not in self._callbacks or query_id in self._answered:
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        self._answered.append(query_id)
        return True

    def _api_sendChatAction(self, p: JSON) -> bool:
        self._chat(p)
        if p.get("action") not in CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        return True

    def _api_sendLocation(self, p: JSON) -> JSON:
        return self._send(p, {"location": {"latitude": float(p["latitude"]), "longitude": float(p["longitude"])}})

    def _api_sendVenue(self, p: JSON) -> JSON:
        location = {"latitude": float(p["latitude"]), "longitude": float(p["longitude"])}
        venue = {"location": location, "title": str(p["title"]), "address": str(p["address"])}
        return self._send(p, {"location": location, "venue": venue})

    def _api_sendPhoto(self, p: JSON) -> JSON:
        return self._send(p, {"photo": self._photo(self._file_param(p, "photo")), **self._caption(p)})

    def _api_sendDocument(self, p: JSON) -> JSON:
        document = self._register("documents", self._file_param(p, "document"), "")
        if isinstance(upload := p["document"], Upload):
            document.update(file_name=upload.filename, mime_type=upload.content_type)
        return self._send(p, {"document": document, **self._caption(p)})

    def _api_getFile(self, p: JSON) -> JSON:
        if (file := self._files.get(str(p.get("file_id")))) is None:
            raise _bad("invalid file_id")
        return dict(file)

    def _api_getChatMember(self, p: JSON) -> JSON:
        chat = self._chat(p)
        user_id = int(p["user_id"])
        user = {"id": user_id, "is_bot": False, "first_name": "Test"}
        if chat["type"] == "private":
            return {"status": "member", "user": user}
        return {"status": "member" if user_id in self._members.get(chat["id"], set()) else "left", "user": user}

    def _api_setMyCommands(self, p: JSON) -> bool:
        commands = [{"command": c["command"], "description": c["description"]} for c in p["commands"]]
        if any(not re.fullmatch(r"[a-z0-9_]{1,32}", c["command"]) for c in commands):
            raise _bad("BOT_COMMAND_INVALID")
        if any(not 1 <= len(c["description"].strip()) <= 256 for c in commands):
            raise _bad("command description is empty or too long")
        self._commands[_command_key(p.get("scope"), p.get("language_code"))] = commands
        return True

    def _api_getMyCommands(self, p: JSON) -> list[JSON]:
        return copy.deepcopy(self._commands.get(_command_key(p.get("scope"), p.get("language_code")), []))

    def _api_deleteMyCommands(self, p: JSON) -> bool:
        self._commands.pop(_command_key(p.get("scope"), p.get("language_code")), None)
        return True

    def _chat(self, p: JSON) -> JSON:
        chat_id = p.get("chat_id")
        if chat_id not in self._chats and isinstance(chat_id, int):
            private = chat_id > 0
            self._chats[chat_id] = {"id": chat_id, "type": "private" if private else "group",
                                    **({"first_name": "Test"} if private else {"title": "Test group"})}
        if chat_id not in self._chats:
            raise _bad("chat_id is empty" if chat_id in (None, "") else "chat not found")
        return self._chats[chat_id]

    def _store_message(self, chat: JSON, sender: JSON, fields: JSON) -> JSON:
        store = self._store.setdefault(chat["id"], {})
        message_id = self._last_ids[chat["id"]] = self._last_ids.get(chat["id"], 0) + 1  # shared by both sides
        store[message_id] = {"message_id": message_id, "from": dict(sender), "chat": dict(chat),
                             "date": int(time.time()), **fields}
        return store[message_id]

    def _send(self, p: JSON, fields: JSON) -> JSON:
        chat = self._chat(p)
        if markup := _inline(p):
            fields["reply_markup"] = markup
        reply = p.get("reply_parameters") or {"message_id": p.get("reply_to_message_id")}
        target = self._store.get(chat["id"], {}).get(reply["message_id"])
        if reply["message_id"] is not None and target is None and not reply.get("allow_sending_without_reply"):
            raise _bad("message to be replied not found")
        if target is not None:
            fields["reply_to_message"] = {k: v for k, v in target.items() if k != "reply_to_message"}
        return self._store_message(chat, self.bot_user, fields)

    def _edit(self, p: JSON, changes: JSON) -> JSON | bool:
        if p.get("inline_message_id"):
            return True
        message = self._store.get(self._chat(p)["id"], {}).get(p.get("message_id"))  # type: ignore[arg-type]
        if message is None:
            raise _bad("message to edit not found")
        if message["from"]["id"] != self.bot_user["id"]:
            raise _bad("message can't be edited")
        if "text" in changes and "text" not in message:
            raise _bad("there is no text in the message to edit")
        if all(message.get(key) == value for key, value in changes.items()):
            raise _bad(NOT_MODIFIED)
        message.update({k: v for k, v in changes.items() if v is not None}, edit_date=int(time.time()))
        for key in (k for k, v in changes.items() if v is None):
            message.pop(key, None)
        return message

    def _caption(self, p: JSON) -> JSON:
        if p.get("caption") is None:
            return {}
        caption, entities = format_text(p["caption"], p.get("parse_mode"), p.get("caption_entities"), caption=True)
        return {"caption": caption, **({"caption_entities": entities} if entities else {})}

    def _file_param(self, p: JSON, key: str) -> bytes:
        if isinstance(value := p.get(key), Upload):
            return value.content
        if isinstance(value, str) and value in self._files:
            return self._contents[self._files[value]["file_path"]]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return b"downloaded from " + value.encode()
        raise _bad(f"there is no {key} in the request" if value is None else "wrong file identifier/HTTP URL specified")

    def _register(self, folder: str, content: bytes, suffix: str) -> JSON:
        n = next(self._ids)
        path = f"{folder}/file_{n}{suffix}"
        file: JSON = {"file_id": f"BQACAgQAAxkB{n:010d}", "file_unique_id": f"AgAD{n:06d}", "file_size": len(content)}
        self._files[file["file_id"]], self._contents[path] = {**file, "file_path": path}, content
        return file

    def _photo(self, content: bytes) -> list[JSON]:
        sizes = ((90, 68), (800, 600))
        return [{**self._register("photos", content, ".jpg"), "width": w, "height": h} for w, h in sizes]

    def _user(self, chat_id: int, user_id: int | None, language_code: str, first_name: str, chat_type: str) -> JSON:
        private = chat_type == "private"
        self._chats[chat_id] = {"id": chat_id, "type": chat_type,
                                **({"first_name": first_name} if private else {"title": "Test group"})}
        uid = user_id if user_id is not None else (chat_id if chat_id > 0 else 4242)
        return {"id": uid, "is_bot": False, "first_name": first_name, "language_code": language_code}

    # Test control: simulated users. Each returns the update_id.
    def push_update(self, update: JSON) -> int:
        """Queue a raw update (update_id assigned unless given) and wake pending long polls."""
        with self._lock:
            update = {"update_id": next(self._update_ids), **copy.deepcopy(update)}
            self._updates.append(update)
        if (loop := self._loop) is not None:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._pulse)
        return int(update["update_id"])

    def add_member(self, chat_id: int, user_id: int) -> None:
        """Make ``user_id`` a member of the group ``chat_id`` (as getChatMember then says)."""
        with self._lock:
            self._members.setdefault(chat_id, set()).add(user_id)

    def user_sends_text(
        self, chat_id: int, text: str, *, user_id: int | None = None, language_code: str = "fr",
        first_name: str = "Test", chat_type: str = "private", reply_to: int | None = None,
    ) -> int:
        """``reply_to``: the message id the user answers (a Telegram reply)."""
        fields: JSON = {"text": text}
        if text.startswith("/"):
            fields["entities"] = [{"offset": 0, "length": _utf16(text.split(maxsplit=1)[0]), "type": "bot_command"}]
        with self._lock:
            sender = self._user(chat_id, user_id, language_code, first_name, chat_type)
            if reply_to is not None:
                target = self._store.get(chat_id, {}).get(reply_to)
                if target is None:
                    raise ValueError(f"no message {reply_to} in chat {chat_id} to reply to")
                fields["reply_to_message"] = {k: v for k, v in target.items() if k != "reply_to_message"}
            return self.push_update({"message": self._store_message(self._chats[chat_id], sender, fields)})

    def user_sends(
        self, chat_id: int, kind: str, *, caption: str | None = None, content: bytes | None = None,
        user_id: int | None = None, language_code: str = "fr", first_name: str = "Test",
        chat_type: str = "private", **overrides: Any,
    ) -> int:
        """kind: photo, sticker, voice, video, video_note, document, audio, contact, location, animation,
        poll or dice; ``overrides`` update its payload (e.g. latitude=48.9); ``content`` backs getFile."""
        with self._lock:
            sender = self._user(chat_id, user_id, language_code, first_name, chat_type)
            data = content if content is not None else f"fake {kind} bytes".encode()
            fields: JSON = {}
            if kind == "photo":
                fields[kind] = self._photo(data)
                fields[kind][-1].update(overrides)
            elif kind in USER_MEDIA:
                folder, suffix, extra = USER_MEDIA[kind]
                fields[kind] = {**self._register(folder, data, suffix), **extra, **overrides}
                if kind == "animation":  # Telegram sends animations as documents too
                    keep = ("file_id", "file_unique_id", "file_size", "file_name", "mime_type")
                    fields["document"] = {k: v for k, v in fields[kind].items() if k in keep}
            else:
                fields[kind] = {**self._simple_payload(kind, sender), **overrides}
            fields.update({"caption": caption} if caption is not None else {})
            return self.push_update({"message": self._store_message(self._chats[chat_id], sender, fields)})

    def _simple_payload(self, kind: str, sender: JSON) -> JSON:
        if kind == "poll":
            options = [{"persistent_id": str(n), "text": t, "voter_count": 0} for n, t in enumerate(["Oui", "Non"])]
            return {"id": str(5_000_000_000 + next(self._ids)), "question": "Question ?", "options": options,
                    "total_voter_count": 0, "is_closed": False, "is_anonymous": True, "type": "regular",
                    "allows_multiple_answers": False, "allows_revoting": False, "members_only": False}
        payloads = {
            "contact": {"phone_number": "+33612345678", "first_name": sender["first_name"], "user_id": sender["id"]},
            "location": {"latitude": 48.9362, "longitude": 2.3574},
            "dice": {"emoji": "🎲", "value": 4},
        }
        if kind not in payloads:
            raise ValueError(f"unsupported message kind {kind!r}")
        return payloads[kind]

    def user_sends_fields(
        self, chat_id: int, fields: JSON, *, user_id: int | None = None, language_code: str = "fr",
        first_name: str = "Test", chat_type: str = "private", reply_to: int | None = None, key: str = "message",
    ) -> int:
        """Any message content as Telegram would send it (``fields``: text, entities, sticker, contact...);
        ``key``: message, or channel_post for a channel; ``reply_to`` a message of that chat, if it exists."""
        with self._lock:
            sender = self._user(chat_id, user_id, language_code, first_name, chat_type)
            fields = copy.deepcopy(fields)
            target = self._store.get(chat_id, {}).get(reply_to) if reply_to is not None else None
            if target is not None:
                fields["reply_to_message"] = {k: v for k, v in target.items() if k != "reply_to_message"}
            message = self._store_message(self._chats[chat_id], sender, fields)
            if key == "channel_post":
                message = {k: v for k, v in message.items() if k != "from"}
                message["sender_chat"] = dict(self._chats[chat_id])
            return self.push_update({key: message})

    def bot_messages(self, chat_id: int | str, last: int) -> list[JSON]:
        """The bot's ``last`` messages in one chat, oldest first (cheap on a long chat, unlike ``messages``)."""
        with self._lock:
            store = self._store.get(chat_id, {})
            found: list[JSON] = []
            for message_id in reversed(store):
                if len(found) == last:
                    break
                if store[message_id]["from"]["id"] == self.bot_user["id"]:
                    found.append(copy.deepcopy(store[message_id]))
            return found[::-1]

    def last_user_message(self, chat_id: int | str) -> int | None:
        """The id of the newest message a user sent with a text in one chat."""
        with self._lock:
            store = self._store.get(chat_id, {})
            return next((i for i in reversed(store) if not store[i]["from"]["is_bot"] and "text" in store[i]), None)

    def user_edits_text(self, chat_id: int, message_id: int, text: str) -> int:
        with self._lock:
            message = self._store.get(chat_id, {}).get(message_id)
            if message is None or message["from"]["is_bot"]:
                raise ValueError(f"no user message {message_id} in chat {chat_id}")
            message.update(text=text, edit_date=int(time.time()))
            return self.push_update({"edited_message": message})

    def user_presses(
        self, chat_id: int, message_id: int, callback_data: str, *, user_id: int | None = None,
        language_code: str = "fr", first_name: str = "Test", chat_type: str = "private",
    ) -> int:
        """Press an inline button; an unknown message is sent as inaccessible (date 0), like Telegram."""
        with self._lock:
            sender = self._user(chat_id, user_id, language_code, first_name, chat_type)
            message = self._store.get(chat_id, {}).get(message_id)
            rows = message.get("reply_markup", {}).get("inline_keyboard", []) if message else []
            if message and callback_data not in (data := [b.get("callback_data") for row in rows for b in row]):
                raise ValueError(f"message {message_id} has no button {callback_data!r}; buttons: {data}")
            query_id = str(4_300_000_000_000_000 + next(self._ids))
            self._callbacks[query_id] = chat_id
            return self.push_update({"callback_query": {
                "id": query_id, "from": sender, "chat_instance": str(-(abs(chat_id) * 2654435761 % 10**19)),
                "message": message or {"chat": self._chats[chat_id], "message_id": message_id, "date": 0},
                "data": callback_data,
            }})

    # Test control: inspection, faults, waiting.
    def calls(self, method: str | None = None) -> list[JSON]:
        """Recorded calls except getUpdates: method, params, chat_id, message_id, ok, response."""
        with self._lock:
            wanted = [c for c in self._calls if method is None or c["method"].lower() == method.lower()]
            return copy.deepcopy(wanted)

    def sent(self, chat_id: int | str) -> list[JSON]:
        """Successful calls aimed at one chat, in order."""
        return [c for c in self.calls() if c["ok"] and c["chat_id"] == chat_id]

    def messages(self, chat_id: int | str) -> list[JSON]:
        """Current state (after edits and deletions) of the bot's messages in one chat."""
        with self._lock:
            store = self._store.get(chat_id, {})
            return [copy.deepcopy(m) for _, m in sorted(store.items()) if m["from"]["id"] == self.bot_user["id"]]

    @property
    def answered_callbacks(self) -> list[str]:
        with self._lock:
            return list(self._answered)

    def commands(self, scope: JSON | None = None, language_code: str = "") -> list[JSON]:
        with self._lock:
            return copy.deepcopy(self._commands.get(_command_key(scope, language_code), []))

    def fail_next(
        self, method: str, error_code: int = 429, *, retry_after: int = 1, description: str | None = None,
        count: int = 1,
    ) -> None:
        """Make the next ``count`` calls of ``method`` fail with a Telegram error (429, 500, 502...)."""
        defaults = {429: f"Too Many Requests: retry after {retry_after}", 500: "Internal Server Error",
                    502: "Bad Gateway", 400: "Bad Request", 403: "Forbidden"}
        error = ApiError(error_code, description or defaults.get(error_code, "Error"),
                         retry_after if error_code == 429 else None)
        with self._lock:
            self._faults.setdefault(method.lower(), []).extend([error] * count)

    def block_chat(self, chat_id: int | str) -> None:
        with self._lock:
            self._blocked.add(chat_id)

    def unblock_chat(self, chat_id: int | str) -> None:
        with self._lock:
            self._blocked.discard(chat_id)

    async def wait_for(self, predicate: Callable[[], T], timeout: float = 5.0, what: str = "") -> T:  # noqa: ASYNC109
        """Poll ``predicate`` until truthy and return its value; AssertionError with a dump on timeout."""
        deadline = time.monotonic() + timeout
        while not (result := predicate()):
            if time.monotonic() >= deadline:
                raise AssertionError(f"timed out after {timeout}s waiting for {what or predicate}\n{self.dump()}")
            await asyncio.sleep(0.01)
        return result

    async def wait_until_idle(self, timeout: float = 5.0, quiet: float = 0.1) -> None:  # noqa: ASYNC109
        """Wait until every pushed update was fetched and no call happened for ``quiet`` seconds."""

        def idle() -> bool:
            with self._lock:
                fetched = all(u["update_id"] <= self._last_delivered for u in self._updates)
                return fetched and time.monotonic() - self._last_activity >= quiet

        await self.wait_for(idle, timeout, f"idle (all updates fetched, {quiet}s without calls)")

    def dump(self, last: int = 25) -> str:
        with self._lock:
            lines = [f"  {c['method']}({json.dumps(c['params'], default=repr, ensure_ascii=False)[:300]}) -> "
                     f"{'ok' if c['ok'] else c['response']['description']}" for c in self._calls[-last:]]
            pending = [u["update_id"] for u in self._updates]
            return "\n".join(["Bot API calls (oldest first):", *lines, f"unconfirmed update ids: {pending}"])
