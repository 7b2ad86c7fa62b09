"""Turn a Card into what a person reads, in their language: how to reach the place first, then the next step,
then the source with its date, then one short line of what is not known yet."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time

from babel.dates import format_date, format_skeleton, format_time, get_day_names
from babel.lists import format_list

from ..content.gaps import old_fact_year
from ..content.models import Card, Content, Phrase
from ..content.opening_hours import PARIS, DayHours, open_status, usual_week
from ..content.phones import parse_phone
from ..content.street import is_street_address
from ..i18n import N_, Translations
from .outputs import CardLine, Place, ShowCard

L_FOR_WHOM = N_("Pour qui")
L_ADDRESS = N_("Adresse")
L_PLACE = N_("Lieu")
L_HOURS = N_("Horaires")
L_PHONE = N_("Téléphone")
L_EMAIL = N_("Courriel")
L_WEBSITE = N_("Site internet")
L_BRING = N_("À apporter")
L_NEXT = N_("Ce que vous pouvez faire")
L_UNKNOWN = N_("Pas encore connu")
# TRANSLATORS: in the line "Not known yet: phone, address and opening hours" (lowercase inside a sentence).
U_PHONE = N_("le téléphone")
# TRANSLATORS: in the line "Not known yet: phone, address and opening hours" (lowercase inside a sentence).
U_ADDRESS = N_("l'adresse")
# TRANSLATORS: in the line "Not known yet: phone, address and opening hours" (lowercase inside a sentence).
U_HOURS = N_("les horaires")
MAX_SOURCES = 2
L_SOURCE = N_("Source")
# TRANSLATORS: after a day name in opening hours ("Mon: closed").
L_CLOSED = N_("fermé")
T_ZONE_UNSURE = N_("Nous ne savons pas encore si ce lieu reçoit les habitants de votre quartier.")
# TRANSLATORS: {date} is a date written for your language ("26 November 2026").
T_CHECKED = N_("vérifié le {date}")
# TRANSLATORS: after a phone number or an address taken from an old source; {year} is like 2014.
T_FROM_YEAR = N_("information de {year}, à vérifier")
# TRANSLATORS: {time} is an hour written for your language ("17h", "5:00 PM").
T_OPEN_UNTIL = N_("Ouvert maintenant, jusqu'à {time}.")
T_OPEN_NOW = N_("Ouvert maintenant.")
# TRANSLATORS: {time} is an hour ("9h").
T_OPENS_TODAY = N_("Fermé maintenant. Ouvre aujourd'hui à {time}.")
T_OPENS_TOMORROW = N_("Fermé maintenant. Ouvre demain à {time}.")
# TRANSLATORS: {day} is a day of the week ("lundi"), {time} an hour ("9h").
T_OPENS_DAY = N_("Fermé maintenant. Ouvre {day} à {time}.")
# TRANSLATORS: {date} is a day and month ("5 janvier"), {time} an hour ("9h").
T_OPENS_DATE = N_("Fermé maintenant. Ouvre le {date} à {time}.")
T_CLOSED_NOW = N_("Fermé maintenant.")
CONTACT_FIELDS = ("telephone", "adresse", "horaires_accueil")
"""What a person needs to go there today; a missing one is said once, in the last line."""


def babel_locale(lang: str | None) -> str:
    return (lang or "fr").replace("-", "_")


def format_day(day: date, lang: str | None) -> str:
    return format_date(day, format="long", locale=babel_locale(lang))


def format_clock(value: time, lang: str | None) -> str:
    locale = babel_locale(lang)
    # French administrative writing (État charter, FALC) says "14h" and "9h30", not CLDR's "14:00".
    if locale.partition("_")[0] == "fr":
        pattern = "H'h'" if value.minute == 0 else "H'h'mm"
        return format_time(value, format=pattern, locale=locale)
    return format_time(value, format="short", locale=locale)


def format_hours(text: str, lang: str | None, t: Translations, around: date | None = None) -> str:
    """The usual week, days with the same hours grouped: 'lun.–ven. 9h–12h30, 13h30–17h · sam. fermé'."""
    names = get_day_names("abbreviated", locale=babel_locale(lang))
    week = usual_week(text, around)
    groups: list[list[DayHours]] = []
    for day in week:
        if groups and groups[-1][-1].spans == day.spans:
            groups[-1].append(day)
        else:
            groups.append([day])
    parts = []
    for group in groups:
        days = names[group[0].day] if len(group) == 1 else f"{names[group[0].day]}–{names[group[-1].day]}"
        spans = group[0].spans
        if not spans:
            if group[-1].day == 6 or len(groups) > 1:  # "closed on Sunday" is worth saying once, at the end
                parts.append(f"{days} {t.gettext(lang, L_CLOSED)}")
            continue
        hours = ", ".join(f"{format_clock(a, lang)}–{format_clock(b, lang)}" for a, b in spans)
        parts.append(f"{days} {hours}")
    return " · ".join(parts)


def format_status(text: str, now: datetime, lang: str | None, t: Translations) -> tuple[str, str] | None:
    """('🟢', 'Ouvert maintenant, jusqu'à 17h.') or ('🔴', 'Fermé maintenant. Ouvre lundi à 9h.'), in Paris time."""
    status = open_status(text, now)
    if status.unknown:
        return None
    if status.open:
        if status.until is None:
            return "🟢", t.gettext(lang, T_OPEN_NOW)
        return "🟢", t.format(lang, T_OPEN_UNTIL, time=format_clock(status.until.time(), lang))
    if status.opens is None:
        return "🔴", t.gettext(lang, T_CLOSED_NOW)
    local = now.astimezone(PARIS)
    opens = status.opens.astimezone(PARIS)
    at = format_clock(opens.time(), lang)
    days = (opens.date() - local.date()).days
    if days == 0:
        return "🔴", t.format(lang, T_OPENS_TODAY, time=at)
    if days == 1:
        return "🔴", t.format(lang, T_OPENS_TOMORROW, time=at)
    if days < 7:
        day = format_date(opens.date(), format="EEEE", locale=babel_locale(lang))
        return "🔴", t.format(lang, T_OPENS_DAY, day=day, time=at)
    day_month = format_skeleton("dMMMM", datetime.combine(opens.date(), time(12)), locale=babel_locale(lang))
    return "🔴", t.format(lang, T_OPENS_DATE, date=day_month, time=at)


def street_line(card: Card, content: Content) -> str | None:
    """The street address for a map search, in French: '20 bis rue Gabriel-Péri, Saint-Denis'. None without one."""
    if not card.adresse or not is_street_address(card.adresse):
        return None
    known = content.commune(card.code_insee)
    town = card.commune or (known.nom if known else None)
    parts = [card.adresse]
    if town:
        parts.append(f"{card.code_postal} {town}" if card.code_postal else town)
    return ", ".join(parts)


def place_line(card: Card, content: Content, lieu: str | None) -> str | None:
    """Where it is, as people read it: the place described in words, the street, the town."""
    known = content.commune(card.code_insee)
    town = card.commune or (known.nom if known else None)
    parts = [p for p in (lieu, card.adresse, card.complement_adresse) if p]
    if not parts:
        return None
    if town and card.adresse:  # a street always ends with its town, as on a letter
        parts.append(f"{card.code_postal} {town}" if card.code_postal else town)
    elif town and not any(town in p for p in parts):  # "2e étage … de Clichy-sous-Bois" already says it
        parts.append(town)
    return ", ".join(parts)


def said(phrase: Phrase, answers: Mapping[str, str]) -> str:
    return phrase.resolve(dict(answers)) or phrase.default


def render_card(card: Card, content: Content, lang: str | None, t: Translations, *,
                answers: Mapping[str, str] | None = None, now: float | None = None) -> ShowCard:
    answers = answers or {}
    moment = datetime.fromtimestamp(now, PARIS) if now is not None else None
    today = moment.date() if moment else date.today()

    def tr(message: str) -> str:
        return t.gettext(lang, message)

    def data(value: str) -> str:
        # An address, a phone number or a French title inside an Arabic line: isolated (FSI…PDI), else the bidi
        # algorithm reorders its numbers and words. E-mails and web addresses have no spaces: never reordered.
        return t.isolate(lang, value)

    def dated(field_name: str) -> str:
        year = old_fact_year(card, field_name, today)
        return t.format(lang, T_FROM_YEAR, year=str(year)) if year else ""

    lines: list[CardLine] = []
    if card.telephone:
        phone = parse_phone(card.telephone)
        lines.append(CardLine("📞", tr(L_PHONE), data(phone.national), "phone", phone.dial, dated("telephone")))
    street = street_line(card, content)
    shown_place = place_line(card, content, tr(card.lieu) if card.lieu else None)
    if shown_place:
        label = tr(L_ADDRESS) if street else tr(L_PLACE)
        field_name = "adresse" if card.adresse else "lieu"
        lines.append(CardLine("📍", label, data(shown_place), "address" if street else "place", street,
                              dated(field_name)))
    if card.horaires_accueil:
        lines.append(CardLine("🕒", tr(L_HOURS), format_hours(card.horaires_accueil, lang, t, today), "hours",
                              note=dated("horaires_accueil")))
        status = format_status(card.horaires_accueil, moment, lang, t) if moment else None
        if status:
            lines.append(CardLine(status[0], "", status[1], "status"))
    if card.site_web:
        lines.append(CardLine("🌐", tr(L_WEBSITE), card.site_web, "url", _web(card.site_web), dated("site_web")))
    if card.courriel:
        lines.append(CardLine("✉️", tr(L_EMAIL), card.courriel, "email"))
    if card.a_apporter:
        lines.append(CardLine("🎒", tr(L_BRING), " · ".join(tr(item) for item in card.a_apporter), "list"))
    lines.append(CardLine("👥", tr(L_FOR_WHOM), tr(said(card.pour_qui, answers))))
    if not card.zone_confirmee:
        lines.append(CardLine("⚠️", "", tr(T_ZONE_UNSURE), "warning"))
    lines.append(CardLine("👉", tr(L_NEXT), tr(said(card.prochaine_etape, answers)), "next"))
    checked = t.format(lang, T_CHECKED, date=format_day(card.verifie_le, lang))
    # The sources of the facts shown first (a source with 'champs'), at most two: the card stays short.
    shown_sources = sorted(card.sources, key=lambda s: not s.champs)[:MAX_SOURCES]
    sources = " · ".join(data(_source(s.titre, s.date.year if s.date else None)) for s in shown_sources)
    lines.append(CardLine("🔎", tr(L_SOURCE), f"{sources} ({checked})", "source"))
    unknown = [tr(label) for name, label in zip(CONTACT_FIELDS, (U_PHONE, U_ADDRESS, U_HOURS), strict=True)
               if not getattr(card, name)]
    if unknown:
        lines.append(CardLine("❔", tr(L_UNKNOWN), format_list(unknown, locale=babel_locale(lang)), "unknown"))
    place = None
    if street or card.latitude is not None:
        place = Place(card.nom, shown_place or "", card.latitude, card.longitude, street)
    return ShowCard(card.id, tr(card.nom), tr(said(card.texte, answers)), tuple(lines), place)


def _source(title: str, year: int | None) -> str:
    return f"{title}, {year}" if year and str(year) not in title else title


def _web(site: str) -> str:
    return site if site.startswith(("http://", "https://")) else f"https://{site}"


__all__ = ["format_hours", "format_status", "render_card", "said", "street_line"]
