"""Short references people and staff can read aloud on the phone: R-7K3Q.

Four symbols from 28 (no 0/O, 1/I, and no vowel at all, so that no reference spells a word): 614,656 of them,
drawn with `secrets`, and never one the store still holds.
"""

from __future__ import annotations

import re
import secrets

from ..store import Store

ALPHABET = "23456789BCDFGHJKLMNPQRSTVWXZ"
LENGTH = 4
PREFIX = "R-"
_FOUND = re.compile(rf"(?<![A-Za-z0-9])R-([{ALPHABET}{ALPHABET.lower()}]{{{LENGTH}}})(?![A-Za-z0-9])", re.IGNORECASE)


class NoFreeReference(RuntimeError):
    """Every draw was already in use: the store holds far too many requests (purge_requests)."""


def make_reference() -> str:
    return PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def find_reference(text: str | None) -> str | None:
    """The first reference written in a text ('r-7k3q', 'R-7K3Q'), upper-cased; None when there is none."""
    found = _FOUND.search(text or "")
    return PREFIX + found[1].upper() if found else None


async def new_reference(store: Store, tries: int = 50) -> str:
    """A reference no request and no outbox item of the store carries (the store's save still refuses a clash)."""
    for _ in range(tries):
        ref = make_reference()
        if not await store.reference_in_use(ref):
            return ref
    raise NoFreeReference(f"no free reference after {tries} draws")
