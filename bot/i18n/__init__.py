"""Translations: French is the source; other languages come from gettext catalogs in locales/.

Python strings are marked with N_() where they are defined and translated when a reply is built, in the
person's language. YAML texts are msgids too (see extract.py). Catalogs are read from the .po files with
Babel at start-up, so a fresh clone needs no compile step and a stale .mo can never be served
(``pybabel compile`` still works for tools that want .mo files). See docs/translations.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel import Locale, UnknownLocaleError, negotiate_locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from .text import isolate, placeholders

SOURCE_LANGUAGE = "fr"
DOMAIN = "messages"
LOCALES_DIR = Path(__file__).resolve().parent.parent.parent / "locales"

__all__ = [
    "COMMUNE_CONTEXT", "CONTEXT_SEPARATOR", "DOMAIN", "LOCALES_DIR", "N_", "SOURCE_LANGUAGE", "Language",
    "Translations", "language_info", "message_key", "read_catalog", "split_key",
]

COMMUNE_CONTEXT = "commune"
"""msgctxt of the commune names: their translations are the spellings people type in their script (never shown)."""
CONTEXT_SEPARATOR = "\x04"
"""A msgid with a msgctxt is keyed context + "\\x04" + msgid, as in compiled gettext catalogs (.mo)."""


def message_key(msgid: str, context: str | None = None) -> str:
    """The key of an entry: its msgid, or context + "\\x04" + msgid when it has a msgctxt ("commune")."""
    return f"{context}{CONTEXT_SEPARATOR}{msgid}" if context else msgid


def split_key(key: str) -> tuple[str | None, str]:
    """message_key() undone: (context or None, msgid)."""
    context, sep, msgid = key.partition(CONTEXT_SEPARATOR)
    return (context, msgid) if sep else (None, key)


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
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return Language(code, code, False)
    name = locale.get_display_name(locale) or code
    return Language(code, name[:1].upper() + name[1:], locale.character_order == "right-to-left")


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, domain=DOMAIN)


def catalog_paths(locales_dir: Path) -> dict[str, Path]:
    """Language code → its messages.po, for every language folder in locales/ (French, the source, has none)."""
    return {po.parent.parent.name: po for po in sorted(locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
            if po.parent.parent.name != SOURCE_LANGUAGE}


def usable(msgid: str, msgstr: str) -> bool:
    """A translation the bot can show: not empty and with the same {placeholders} (else format() would fail)."""
    return bool(msgstr) and placeholders(msgstr) == placeholders(msgid)


class Translations:
    """Every shipped language's messages, loaded once.

    Fuzzy entries (a guess by ``pybabel update``) and entries whose placeholders differ from the French are
    left out: the person reads the French instead, and ``python -m bot check`` reports them.
    """

    def __init__(self, locales_dir: Path | None = None, only: Iterable[str] | None = None) -> None:
        self.locales_dir = locales_dir or LOCALES_DIR
        self._messages: dict[str, dict[str, str]] = {SOURCE_LANGUAGE: {}}
        wanted = set(only) if only is not None else None
        for code, po in catalog_paths(self.locales_dir).items():
            if wanted is not None and code not in wanted:
                continue
            catalog = read_catalog(po)
            self._messages[code] = {
                message_key(m.id, m.context): m.string for m in catalog
                if m.id and isinstance(m.id, str) and isinstance(m.string, str) and not m.fuzzy
                and usable(m.id, m.string)
            }
        self.languages: tuple[Language, ...] = tuple(
            language_info(code) for code in [SOURCE_LANGUAGE, *sorted(c for c in self._messages if c != "fr")])
        self._rtl = {lang.code for lang in self.languages if lang.rtl}

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)

    def gettext(self, lang: str | None, message: str) -> str:
        if not message:
            return message
        table = self._messages.get(lang or SOURCE_LANGUAGE)
        return table.get(message, message) if table else message

    def pgettext(self, lang: str | None, context: str, message: str) -> str:
        """The translation of ``message`` in ``context`` (msgctxt), or ``message`` itself."""
        translated = self.gettext(lang, message_key(message, context))
        return message if translated == message_key(message, context) else translated

    def spellings(self, lang: str | None, context: str, message: str) -> list[str]:
        """The '|'-separated words a synonym-like entry gives in ``lang``, when its translation differs from the
        French (a Latin-script language copies town names unchanged: nothing to add)."""
        translated = self.pgettext(lang, context, message)
        if translated == message:
            return []
        return list(dict.fromkeys(w.strip() for w in translated.split("|") if w.strip()))

    def format(self, lang: str | None, message: str, /, **values: object) -> str:
        """Translate ``message`` and fill its placeholders; in a right-to-left language each value is isolated,
        so a Latin town name or a number keeps its order inside Arabic text."""
        if self.is_rtl(lang):
            values = {name: isolate(str(value)) for name, value in values.items()}
        try:
            return self.gettext(lang, message).format(**values)
        except (KeyError, IndexError, ValueError):  # a broken translation never stops a conversation
            return message.format(**values)

    def isolate(self, lang: str | None, value: str) -> str:
        """A value shown inside a line of text (address, phone, title): isolated in right-to-left languages."""
        return isolate(value) if self.is_rtl(lang) else value

    def is_rtl(self, lang: str | None) -> bool:
        return lang in self._rtl

    def has(self, lang: str, message: str) -> bool:
        return lang == SOURCE_LANGUAGE or message in self._messages.get(lang, {})

    def negotiate(self, code: str | None) -> str | None:
        """Telegram's language_code ('pt-br', 'ar') → a shipped language, or None when unsure.

        'pt-BR' → 'pt', 'ar-MA' → 'ar', 'zh-hans' → 'zh'; a language not shipped ('de') → None, and the bot
        asks."""
        if not code:
            return None
        wanted = code.strip().replace("_", "-").lower()
        if not wanted:
            return None
        found = negotiate_locale([wanted, wanted.split("-")[0]], list(self.codes), sep="-")
        # Babel answers in the case it was asked ('FA'); give back the shipped code itself.
        return next((c for c in self.codes if found and c.lower() == found.lower()), None)

    def names(self, code: str) -> tuple[str, ...]:
        """Ways a person may type a language: its code and its name in every shipped language ('ar', 'arabe',
        'Arabic', 'العربية', …)."""
        found = [code, self.info(code).name]
        try:
            locale = Locale.parse(code.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            return tuple(found)
        for other in self.codes:
            try:
                name = locale.get_display_name(Locale.parse(other.replace("-", "_")))
            except (ValueError, UnknownLocaleError):
                continue
            if name:
                found.append(name)
        return tuple(dict.fromkeys(found))

    def info(self, code: str) -> Language:
        return next((lang for lang in self.languages if lang.code == code), language_info(code))
