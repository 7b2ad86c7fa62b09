"""Chat with the engine in a terminal: same engine, same store, choices numbered."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterable
from typing import TextIO
from urllib.parse import quote_plus

from ..engine import Ask, Button, Command, Event, Finished, Output, Press, Say, ShowCard, Start, StartPayload, Text
from ..service import Conversations

MAP_SEARCH = "https://www.openstreetmap.org/search?query="

COMMANDS = {
    "/start": "start", "/aide": "help", "/help": "help", "/recommencer": "restart", "/retour": "back",
    "/langue": "language", "/contact": "human", "/annuler": "cancel",
}


def render(outputs: Iterable[Output]) -> tuple[str, Ask | None]:
    """Plain text for a terminal, and the question waiting for an answer (if any)."""
    lines: list[str] = []
    ask: Ask | None = None
    for output in outputs:
        if isinstance(output, Say):
            lines.append(output.text)
        elif isinstance(output, ShowCard):
            lines.append("┌─ " + output.title)
            lines.append("│ " + output.summary)
            for line in output.lines:
                label = f"{line.label} : " if line.label else ""
                lines.append(f"│ {line.icon} {label}{line.text}")
                if line.kind == "address" and line.target:
                    lines.append(f"│ 🗺️ {MAP_SEARCH}{quote_plus(line.target)}")
            place = output.place
            if place is not None and place.latitude is not None and place.longitude is not None:
                lines.append(f"│ 📌 {place.latitude:.5f}, {place.longitude:.5f} "
                             f"https://www.openstreetmap.org/?mlat={place.latitude}&mlon={place.longitude}")
            lines.append("└─")
        elif isinstance(output, Ask):
            ask = output
            lines.append(output.text)
            for number, button in enumerate(choices(output), start=1):
                lines.append(f"  {number}. {button.text}")
            if output.nav:
                lines.append("  " + "   ".join(f"[{b.text}]" for b in output.nav))
        elif isinstance(output, Finished):
            lines.append("—")
    return "\n".join(lines), ask


def choices(ask: Ask) -> list[Button]:
    """The numbered answers: a terminal cannot share a phone number (Telegram's contact button), so it is left
    out (the person types the number instead)."""
    return [b for b in ask.buttons if b.kind != "contact"]


def parse_line(line: str, ask: Ask | None) -> Event:
    text = line.strip()
    if text.isdigit() and ask and 1 <= int(text) <= len(choices(ask)):
        return Press(ask.token, choices(ask)[int(text) - 1].value)
    word = text.split()[0].lower() if text.startswith("/") and text.split() else ""
    if word == "/start":
        return Start()
    if word in COMMANDS:
        return Command(COMMANDS[word])
    return Text(text)


async def run_terminal(conversations: Conversations, chat_key: str, *, lang: str | None,
                       payload: StartPayload | None, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    interactive = stdin.isatty()
    reply = await conversations.current(chat_key)
    if reply is None or payload is not None:
        reply = await conversations.handle(chat_key, Start(payload or StartPayload(lang=lang), lang_hint=lang))
    text, ask = render(reply.outputs)
    print(text, file=stdout, flush=True)
    while True:
        if interactive:
            print("> ", end="", file=stdout, flush=True)
        line = await asyncio.to_thread(stdin.readline)  # the loop stays free: a content reload can run meanwhile
        if not line:
            return 0
        if not interactive:
            print(f"> {line.rstrip()}", file=stdout)
        reply = await conversations.handle(chat_key, parse_line(line, ask))
        text, new_ask = render(reply.outputs)
        ask = new_ask or ask
        print(text, file=stdout, flush=True)
