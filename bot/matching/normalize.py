"""Fold what people type into a comparable form, whatever the script.

Latin: case, accents, ligatures and punctuation go. Arabic: diacritics (harakat), tatweel and the variants
of alef, yeh and teh marbuta are unified; Persian yeh and keheh fold to the Arabic letters (people type either).
Other scripts keep their letters; digits of any script become ASCII.
"""

from __future__ import annotations

import re
import unicodedata

_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ئ": "ي", "ؤ": "و", "ة": "ه",
                               "ی": "ي", "ک": "ك", "ۀ": "ه"})  # Persian yeh, keheh, heh with yeh: same letters
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "’": " ", "'": " ", "ʼ": " "})
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def _strip_latin_marks(text: str) -> str:
    # Combining diacritics U+0300–U+036F decorate Latin/Greek/Cyrillic letters; marks of other scripts
    # (Tamil vowel signs, Devanagari…) carry meaning and stay.
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not "\u0300" <= ch <= "\u036f")


def _ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() else ch for ch in text)


def normalize(text: str) -> str:
    """Return a lowercase, accent-free, punctuation-free form with single spaces."""
    # Marks go before and after casefold(): casefold may itself produce one ("İ" → "i" + dot above).
    text = _strip_latin_marks(_strip_latin_marks(text).casefold())
    text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_FOLD)
    text = unicodedata.normalize("NFC", text).translate(_LIGATURES)
    text = _ascii_digits(text)
    return _NOT_WORD.sub(" ", text).strip()
