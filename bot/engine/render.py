"""Turn a Card into what a person reads, in their language: short lines, icons, honest gaps."""

from __future__ import annotations

from datetime import date, time

from babel.dates import format_date, format_time, get_day_names
from babel.lists import format_list

from ..content.models import Card, Content
from ..content.opening_hours import parse_opening_hours
from ..i18n import N_, Translations
from .outputs import CardLine, Place, ShowCard

L_FOR_WHOM = N_("Pour qui")
L_ADDRESS = N_("Adresse")
L_HOURS = N_("Horaires")
L_PHONE = N_("Téléphone")
L_EMAIL = N_("Courriel")
L_WEBSITE = N_("Site internet")
L_BRING = N_("À apporter")
L_NEXT = N_("Ce que vous pouvez faire")
L_UNKNOWN = N_("Pas encore connu")
L_SOURCE = N_("Source")
# TRANSLATORS: after a day name in opening hours ("Mon: closed").
L_CLOSED = N_("fermé")
T_ZONE_UNSURE = N_("Nous ne savons pas encore si ce lieu couvre votre quartier. Demandez à votre référent.")
# TRANSLATORS: {date} is a date written for your language ("26 November 2026").
T_CHECKED = N_("vérifié le {date}")


def babel_locale(lang: str | None) -> str:
    return (lang or "fr").replace("-", "_")


def format_day(day: date, lang: str | None) -> str:
    return format_date(day, format="long", locale=babel_locale(lang))


def format_hours(text: str, lang: str | None, t: Translations) -> str:
    locale = babel_locale(lang)
    names = get_day_names("abbreviated", locale=locale)
    parts = []
    for entry in parse_opening_hours(text):
        if not entry.spans:
            parts.append(f"{names[entry.day]} : {t.gettext(lang, L_CLOSED)}")
            continue
        spans = ", ".join(
            f"{_time(a, locale)}–{_time(b, locale)}" for a, b in entry.spans)
        parts.append(f"{names[entry.day]} {spans}")
    return " · ".join(parts)


def _time(text: str, locale: str) -> str:
    hour, minute = (int(x) for x in text.split(":"))
    # French administrative writing (État charter, FALC) says "14h" and "9h30", not CLDR's "14:00".
    pattern = ("H'h'" if minute == 0 else "H'h'mm") if locale.partition("_")[0] == "fr" else "short"
    return format_time(time(hour % 24, minute), format=pattern, locale=locale)


def card_address(card: Card, content: Content, lieu: str | None = None) -> str | None:
    """The address as one line; `lieu` replaces the card's place description (e.g. translated)."""
    parts = [p for p in (lieu or card.lieu, card.adresse, card.complement_adresse) if p]
    known = content.commune(card.code_insee)
    town = card.commune or (known.nom if known else None)
    if town:
        parts.append(f"{card.code_postal} {town}".strip() if card.code_postal else town)
    return ", ".join(parts) if parts and (card.lieu or card.adresse) else None


def render_card(card: Card, content: Content, lang: str | None, t: Translations) -> ShowCard:
    def tr(message: str) -> str:
        return t.gettext(lang, message)

    def data(value: str) -> str:
        # An address, a phone number or a French title inside an Arabic line: isolated (FSI…PDI), else the bidi
        # algorithm reorders its numbers and words. E-mails and web addresses have no spaces: never reordered.
        return t.isolate(lang, value)

    lines: list[CardLine] = [CardLine("👥", tr(L_FOR_WHOM), tr(card.pour_qui))]
    unknown: list[str] = []
    address = card_address(card, content)  # French, as map searches need it
    if address:
        shown = card_address(card, content, tr(card.lieu) if card.lieu else None) or address
        lines.append(CardLine("📍", tr(L_ADDRESS), data(shown), "address"))
    else:
        unknown.append(tr(L_ADDRESS))
    if card.horaires_accueil:
        lines.append(CardLine("🕒", tr(L_HOURS), format_hours(card.horaires_accueil, lang, t), "hours"))
    else:
        unknown.append(tr(L_HOURS))
    if card.telephone:
        lines.append(CardLine("📞", tr(L_PHONE), data(card.telephone), "phone"))
    else:
        unknown.append(tr(L_PHONE))
    if card.courriel:
        lines.append(CardLine("✉️", tr(L_EMAIL), card.courriel, "email"))
    if card.site_web:
        lines.append(CardLine("🌐", tr(L_WEBSITE), card.site_web, "url"))
    if card.a_apporter:
        lines.append(CardLine("🎒", tr(L_BRING), " · ".join(tr(item) for item in card.a_apporter), "list"))
    else:
        unknown.append(tr(L_BRING))
    if unknown:
        lines.append(CardLine("❔", tr(L_UNKNOWN), format_list(unknown, locale=babel_locale(lang)), "unknown"))
    if not card.zone_confirmee:
        lines.append(CardLine("⚠️", "", tr(T_ZONE_UNSURE), "warning"))
    lines.append(CardLine("👉", tr(L_NEXT), tr(card.prochaine_etape)))
    checked = t.format(lang, T_CHECKED, date=format_day(card.verifie_le, lang))
    sources = " · ".join(data(s.titre) for s in card.sources)
    lines.append(CardLine("🔎", tr(L_SOURCE), f"{sources} ({checked})", "source"))
    place = None
    if address or card.latitude is not None:
        place = Place(card.nom, address or "", card.latitude, card.longitude)
    return ShowCard(card.id, tr(card.nom), tr(card.texte), tuple(lines), place)
