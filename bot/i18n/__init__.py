"""Translations: French is the source; other languages come from gettext catalogs in locales/.

Python strings are marked with N_() where they are defined and translated when a reply is built, in the
person's language. YAML texts are msgids too (see extract.py). Catalogs are read from the .po files with
Babel at start-up, so a fresh clone needs no compile step and a stale .mo can never be served.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel import Locale, negotiate_locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

SOURCE_LANGUAGE = "fr"
DOMAIN = "messages"
LOCALES_DIR = Path(__file__).resolve().parent.parent.parent / "locales"


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated later, in the person's language."""
    return message


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    name: str
    """Its own name, in its own script ("العربية")."""
    rtl: bool


def language_info(code: str) -> Language:
    locale = Locale.parse(code)
    name = locale.get_display_name(locale) or code
    return Language(code, name[:1].upper() + name[1:], locale.character_order == "right-to-left")


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, domain=DOMAIN)


class Translations:
    """Every shipped language's messages, loaded once."""

    def __init__(self, locales_dir: Path | None = None, only: Iterable[str] | None = None) -> None:
        self.locales_dir = locales_dir or LOCALES_DIR
        self._messages: dict[str, dict[str, str]] = {SOURCE_LANGUAGE: {}}
        wanted = set(only) if only is not None else None
        for po in sorted(self.locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
            code = po.parent.parent.name
            if code == SOURCE_LANGUAGE or (wanted is not None and code not in wanted):
                continue
            catalog = read_catalog(po)
            self._messages[code] = {
                str(m.id): str(m.string) for m in catalog
                if m.id and isinstance(m.id, str) and m.string and not m.fuzzy
            }
        self.languages: tuple[Language, ...] = tuple(
            language_info(code) for code in [SOURCE_LANGUAGE, *sorted(c for c in self._messages if c != "fr")])

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)

    def gettext(self, lang: str | None, message: str) -> str:
        if not message:
            return message
        table = self._messages.get(lang or SOURCE_LANGUAGE)
        return table.get(message, message) if table else message

    def has(self, lang: str, message: str) -> bool:
        return lang == SOURCE_LANGUAGE or message in self._messages.get(lang, {})

    def negotiate(self, code: str | None) -> str | None:
        """Telegram's language_code ('pt-br', 'ar') → a shipped language, or None when unsure."""
        if not code:
            return None
        wanted = code.replace("_", "-")
        return negotiate_locale([wanted, wanted.split("-")[0]], list(self.codes), sep="-")

    def info(self, code: str) -> Language:
        return next((lang for lang in self.languages if lang.code == code), language_info(code))
