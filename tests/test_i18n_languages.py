"""Translations: negotiation of the device language, what the runtime accepts from a catalog, right-to-left."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from hypothesis import given
from hypothesis import strategies as st

from bot.i18n import N_, SOURCE_LANGUAGE, Translations, language_info
from bot.i18n.text import FSI, PDI, first_strong, isolate, placeholders

SHIPPED = Translations()


@pytest.mark.parametrize(("device", "expected"), [
    ("pt-BR", "pt"), ("pt-br", "pt"), ("pt_BR", "pt"), ("pt", "pt"), ("ar-MA", "ar"), ("ar", "ar"),
    ("ar-DZ", "ar"), ("en-US", "en"), ("fr-FR", "fr"), ("fr", "fr"), ("fa-IR", "fa"), ("tr", "tr"),
    ("zh-hans", "zh"), ("de", None), ("de-DE", None), ("", None), (None, None), ("  ", None),
])
def test_negotiate_device_language(device: str | None, expected: str | None) -> None:
    assert SHIPPED.negotiate(device) == expected


@given(st.text(max_size=12))
def test_negotiate_never_raises_and_gives_a_shipped_language(code: str) -> None:
    assert SHIPPED.negotiate(code) in (None, *SHIPPED.codes)


def test_shipped_languages() -> None:
    assert SHIPPED.codes[0] == SOURCE_LANGUAGE
    assert {"fr", "ar", "en", "pt"} <= set(SHIPPED.codes)
    assert len(SHIPPED.codes) >= 6
    assert SHIPPED.info("ar") == language_info("ar")
    assert SHIPPED.info("ar").rtl and SHIPPED.info("ar").name == "العربية"
    assert not SHIPPED.info("pt").rtl
    assert language_info("xx-nonsense").code == "xx-nonsense"


def test_a_language_is_found_by_its_name_in_any_shipped_language() -> None:
    names = {name.casefold() for name in SHIPPED.names("ar")}
    assert {"ar", "arabe", "arabic", "العربية", "árabe"} <= names


def _catalog(tmp_path: Path, entries: list[tuple[str, str, bool]]) -> Path:
    catalog = Catalog(locale="ar")
    for msgid, msgstr, fuzzy in entries:
        catalog.add(msgid, msgstr, flags=["fuzzy"] if fuzzy else [])
    path = tmp_path / "ar" / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    with path.open("wb") as handle:
        write_po(handle, catalog)
    return tmp_path


def test_runtime_ignores_fuzzy_empty_and_broken_placeholders(tmp_path: Path) -> None:
    locales = _catalog(tmp_path, [
        ("Oui", "نعم", False),
        ("Non", "لا", True),  # fuzzy: a guess of pybabel update, never shown
        ("Retour", "", False),
        ("C'est noté : {commune}.", "تم التسجيل: {ville}.", False),  # would crash format()
    ])
    t = Translations(locales)
    assert t.codes == ("fr", "ar")
    assert t.gettext("ar", "Oui") == "نعم"
    assert t.gettext("ar", "Non") == "Non"
    assert t.gettext("ar", "Retour") == "Retour"
    assert t.format("ar", "C'est noté : {commune}.", commune="Bondy") == f"C'est noté : {FSI}Bondy{PDI}."
    assert t.gettext(None, "Oui") == "Oui"
    assert t.gettext("xx", "Oui") == "Oui"
    assert t.has("fr", "anything") and t.has("ar", "Oui") and not t.has("ar", "Non")


def test_a_translation_that_cannot_be_filled_falls_back_to_french(tmp_path: Path) -> None:
    t = Translations(_catalog(tmp_path, [("vérifié le {date}", "تم التحقق في {date!z}", False)]))
    assert t.format("ar", "vérifié le {date}", date="26 novembre") == f"vérifié le {isolate('26 novembre')}"


def test_only_loads_the_wanted_languages() -> None:
    assert Translations(only=["ar"]).codes == ("fr", "ar")


def test_values_are_isolated_in_right_to_left_languages_only() -> None:
    message = N_("C'est noté : {commune}.")
    arabic = SHIPPED.format("ar", message, commune="Rosny-sous-Bois")
    assert f"{FSI}Rosny-sous-Bois{PDI}" in arabic
    assert first_strong(arabic) == "R"
    assert SHIPPED.format("en", message, commune="Rosny-sous-Bois") == "Noted: Rosny-sous-Bois."
    assert SHIPPED.format("fr", message, commune="Bondy") == "C'est noté : Bondy."
    assert SHIPPED.isolate("fa", "01 23 45 67 89") == isolate("01 23 45 67 89")
    assert SHIPPED.isolate("tr", "01 23") == "01 23"


def test_first_strong_skips_isolated_values() -> None:
    assert first_strong("🌍 Choose") == "L"
    assert first_strong("👉 اختر") == "R"
    assert first_strong(f"{isolate('Bondy')} مدينة") == "R"
    assert first_strong("93140 !") is None


def test_placeholders() -> None:
    assert placeholders("{old} fait partie de {new} depuis 2025.") == ("new", "old")
    assert placeholders("Bonjour") == ()
    assert placeholders("{oops") is None
