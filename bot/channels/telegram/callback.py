"""Callback data of inline buttons: compact, versioned, validated.

Format ``1|<hash>|<index>``: the format version, a short hash of the question's token (Ask.token), and the
button's position in that question. The values themselves stay on the server (see records.py), so the data
is always far below Telegram's 64 bytes and a forged payload can only name a button that was really shown.
Anything else — an old format, a button of another question, garbage — decodes to None and is treated as a
stale press.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass

VERSION = "1"
MAX_BYTES = 64
HASH_LENGTH = 6
_DATA = re.compile(r"1\|([A-Za-z0-9_-]{6})\|(0|[1-9][0-9]{0,2})")


@dataclass(frozen=True, slots=True)
class ButtonData:
    token_hash: str
    index: int


def token_hash(token: str) -> str:
    """Six URL-safe characters: enough to tell one question from the next, never to guess a token."""
    digest = hashlib.blake2b(token.encode("utf-8"), digest_size=6).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")[:HASH_LENGTH]


def encode(token: str, index: int) -> str:
    if not 0 <= index < 1000:
        raise ValueError(f"button index {index} out of range")
    return f"{VERSION}|{token_hash(token)}|{index}"


def decode(data: object) -> ButtonData | None:
    """The button a press names, or None for anything that is not current-format callback data."""
    if not isinstance(data, str) or len(data.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        return None
    match = _DATA.fullmatch(data)
    if match is None:
        return None
    return ButtonData(match[1], int(match[2]))
