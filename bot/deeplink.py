"""Referent links: t.me/<bot>?start=<payload>, payload = 1–64 of A–Z a–z 0–9 _ -.

Format: fields separated by '_' — 'r-<code>' referent, 'l-<lang>' language, 't-<theme>' theme, e.g.
'r-ALI93-07_l-ar_t-francais'. Referent codes use letters, digits and '-' only. Unknown parts are ignored: a
broken link still starts the bot normally.
"""

from __future__ import annotations

import re

from .content import Content
from .engine import StartPayload
from .i18n import Translations

PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
CODE = re.compile(r"^[A-Za-z0-9-]{1,40}$")


class LinkError(ValueError):
    """A link that cannot be made; the message says why and what to do."""


def make_payload(referent: str | None, lang: str | None, theme: str | None) -> str:
    parts = []
    if referent is not None:
        if not CODE.match(referent):
            raise LinkError(f"the referent code '{referent}' may use only letters, digits and '-' (40 at most)")
        parts.append(f"r-{referent}")
    if lang:
        parts.append(f"l-{lang}")
    if theme:
        parts.append(f"t-{theme}")
    payload = "_".join(parts)
    if not payload:
        return ""
    if not PAYLOAD.match(payload):
        raise LinkError(f"the link payload '{payload}' is longer than Telegram's 64 characters; use a shorter code")
    return payload


def parse_payload(payload: str | None, content: Content, translations: Translations) -> StartPayload | None:
    if not payload or not PAYLOAD.match(payload):
        return None
    referent = lang = theme = None
    for part in payload.split("_"):
        key, _, value = part.partition("-")
        if key == "r" and CODE.match(value):
            referent = value
        elif key == "l" and value in translations.codes:
            lang = value
        elif key == "t" and value in content.themes:
            theme = value
    if referent is None and lang is None and theme is None:
        return None
    return StartPayload(referent=referent, lang=lang, theme=theme)
