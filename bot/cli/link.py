"""`python -m bot link`: a referent's link (t.me/<bot>?start=<payload>) and its QR code for a poster."""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import sys
from pathlib import Path

from ..config import ConfigError
from ..deeplink import LinkError, make_payload
from .common import content_dir, load_or_explain

QR_FORMATS = (".png", ".svg")


async def username_from_telegram() -> str:
    """Ask Telegram (getMe) with TELEGRAM_BOT_TOKEN, at TELEGRAM_API_URL if set."""
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    from telegram import Bot

    from ..channels.telegram import TelegramSettings

    settings = TelegramSettings.from_env()
    async with Bot(settings.token, base_url=settings.base_url, base_file_url=settings.base_file_url) as bot:
        return str(bot.username)


def bot_username(args: argparse.Namespace) -> str:
    from ..channels.telegram import clean_username

    given = args.username or os.environ.get("BOT_USERNAME", "").strip()
    if given:
        return clean_username(given)
    if not os.environ.get("TELEGRAM_BOT_TOKEN", "").strip():
        raise ConfigError("Give the bot's username with --username or BOT_USERNAME (or set TELEGRAM_BOT_TOKEN to "
                          "ask Telegram).")
    from telegram.error import TelegramError

    try:
        return asyncio.run(username_from_telegram())
    except TelegramError as exc:
        raise ConfigError(f"Telegram did not give the bot's username ({type(exc).__name__}): check "
                          f"TELEGRAM_BOT_TOKEN, or give --username.") from None


def run_link(args: argparse.Namespace) -> int:
    content = load_or_explain(content_dir(args.content))
    if content is None:
        return 1
    from ..i18n import Translations

    codes = Translations().codes
    try:
        if args.lang is not None and args.lang not in codes:
            raise LinkError(f"unknown language '{args.lang}'; shipped languages: {', '.join(codes)}")
        if args.theme is not None and args.theme not in content.themes:
            raise LinkError(f"unknown theme '{args.theme}'; themes: {', '.join(sorted(content.themes))}")
        qr = Path(args.qr) if args.qr else None
        if qr is not None and qr.suffix.lower() not in QR_FORMATS:
            raise LinkError(f"the QR code file must end with .png or .svg, not '{qr.name}'")
        payload = make_payload(args.referent, args.lang, args.theme)
    except LinkError as exc:
        print(f"Cannot make the link: {exc}.", file=sys.stderr)
        return 2
    try:
        username = bot_username(args)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    link = f"https://t.me/{username}?start={payload}"
    print(link)
    if qr is not None:
        import segno

        try:
            qr.parent.mkdir(parents=True, exist_ok=True)
            segno.make(link, error="m").save(str(qr), scale=10, border=4)
        except OSError as exc:
            print(f"Cannot write the QR code to {qr} ({exc.strerror}).", file=sys.stderr)
            return 1
        print(f"QR code written to {qr}", file=sys.stderr)
    print(f"Figures of this code only (anonymous, small counts hidden): python -m bot stats --referent "
          f"{shlex.quote(args.referent)}", file=sys.stderr)
    return 0
