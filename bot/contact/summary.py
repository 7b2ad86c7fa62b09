"""What staff read, in French: the request as one short message (Telegram HTML, or e-mail text and HTML), and
the notices that follow it. Action first; every value that comes from a person or a staff member is escaped.

Staff-facing text is not translated: the teams of the Département read French. A name is shown without bidi
controls (a right-to-left override in a first name would show the phone number or the reference beside it
reversed), and isolated when it is written right to left, so it stays in its place in the line.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime

from ..i18n.text import BIDI_CONTROLS, isolate, strip_bidi
from .models import RequestRecord

PARIS = ZoneInfo("Europe/Paris")
TAKE, DONE = "take", "done"
BUTTONS = {TAKE: "✋ Je m'en occupe", DONE: "✅ Terminé"}
FRENCH = {"bien": "parle bien français", "un-peu": "parle un peu français", "pas-du-tout": "ne parle pas français"}
REFERENT = {"oui": "oui, le voit", "plus-de-contact": "oui, mais ne le voit plus", "non": "non, ou ne sait pas"}
HEALTH = {"oui": "un handicap ou un problème de santé gêne pour travailler",
          "non": "pas de gêne pour travailler"}
WHEN = {"matin": "le matin", "apres-midi": "l'après-midi", "indifferent": "à tout moment"}
NO_NAME = "Prénom non donné"
BY_TELEGRAM = "répondre par Telegram (répondez à ce message)"
BY_TELEGRAM_EMAIL = "répondre par Telegram (dans le groupe Telegram de l'équipe, en répondant au message de la demande)"
EMAIL_FOOTER = ("La personne a accepté que ces informations vous soient envoyées par l'assistant RSA 93. "
                "Gardez ce courriel seulement le temps de traiter la demande.")


FAR_REACHING = BIDI_CONTROLS - {"\u200e", "\u200f", "\u061c"}
"""Embeddings, overrides and isolates: they act until the end of the line, unlike the marks."""


def isolated(value: str) -> str:
    """A name inside a line staff read: without bidi controls, and between FSI and PDI when it is right to left."""
    plain = strip_bidi(value)
    return isolate(plain) if any(unicodedata.bidirectional(char) in ("R", "AL") for char in plain) else plain


def without_overrides(text: str) -> str:
    """A message passed on as its own lines: the controls that would reorder text beyond it are dropped."""
    return "".join(char for char in text if char not in FAR_REACHING)


@dataclass(frozen=True, slots=True)
class Fact:
    emoji: str
    label: str
    """Always in e-mail ('Ville'); on Telegram only when the emoji and the value do not say it alone."""
    value: str
    labelled: bool = False
    telegram: str | None = None
    """The value as Telegram shows it, when it differs."""


def when_made(timestamp: float) -> str:
    """'3 mars à 14h05', Paris time."""
    moment = datetime.fromtimestamp(timestamp, PARIS)
    day = "1er" if moment.day == 1 else str(moment.day)
    return f"{day} " + format_datetime(moment, "MMMM 'à' H'h'mm", tzinfo=PARIS, locale="fr")


def language_said(lang: str, french: str | None, *, prefix: str = "langue : ") -> str:
    """« parle un peu français », « langue : arabe, parle un peu français », « langue : français »."""
    level = FRENCH.get(french or "")
    if lang == "fr":
        return level or f"{prefix}français"
    try:
        name = Locale.parse(lang.replace("-", "_")).get_display_name("fr") or lang
    except (ValueError, UnknownLocaleError):
        name = lang
    return f"{prefix}{name}" + (f", {level}" if level else "")


def status_said(record: RequestRecord) -> str | None:
    """The state, for a request that is no longer simply new."""
    by = f" par {isolated(record.taken_by)}" if record.taken_by else ""
    return {"taken": f"✋ Prise en charge{by}", "closed": f"✅ Terminée{by}", "cancelled": "❌ Annulée par la personne",
            "withdrawn": "🗑️ Retirée par la personne", "expired": "⌛ Expirée"}.get(record.status)


def facts(record: RequestRecord, *, email: bool = False) -> list[Fact]:
    request = record.request
    name = shown_name(record)
    if request.reach == "phone":
        time = f", {WHEN[request.when]}" if request.when else ""
        first = Fact("📞", "À rappeler", f"{name}, au {request.phone}{time}")
    else:
        first = Fact("💬", "À contacter", f"{name} : {BY_TELEGRAM_EMAIL if email else BY_TELEGRAM}")
    found = [first, Fact("🗣️", "Langue", language_said(request.lang, request.french, prefix=""),
                         telegram=language_said(request.lang, request.french))]
    if request.commune:
        found.append(Fact("🏠", "Ville", request.commune))
    if request.needs:
        found.append(Fact("🧭", "Besoins", ", ".join(request.needs)))
    if request.referent:
        found.append(Fact("🤝", "Référent", REFERENT.get(request.referent, request.referent), labelled=True))
    if request.health:
        found.append(Fact("♿", "Santé", HEALTH.get(request.health, request.health), labelled=True))
    found.append(Fact("🔖", "Référence", f"{request.ref} · demande du {when_made(request.created_at)}"))
    return found


def shown_name(record: RequestRecord) -> str:
    return isolated(record.request.first_name or "") or NO_NAME


def staff_html(record: RequestRecord) -> str:
    """The request in the staff chat (Telegram HTML): the state first once it changed, then what to do."""
    lines = [f"<b>{escape(state)}</b>" for state in [status_said(record)] if state]
    for index, fact in enumerate(facts(record)):
        value = escape(fact.telegram or fact.value)
        if fact.labelled:
            value = f"{escape(fact.label)} : {value}"
        name = escape(shown_name(record))
        if index == 0 and value.startswith(name):  # the name in bold: who to call
            value = f"<b>{name}</b>{value[len(name):]}"
        lines.append(f"{fact.emoji} {value}")
    return "\n".join(lines)


def staff_buttons(record: RequestRecord) -> tuple[tuple[str, str], ...]:
    """(action, label) of the buttons under the request: both while open, « Terminé » once taken, none after."""
    actions = {"open": (TAKE, DONE), "taken": (DONE,)}.get(record.status, ())
    return tuple((action, BUTTONS[action]) for action in actions)


def email_subject(record: RequestRecord) -> str:
    return f"Demande de contact {record.ref}"


def email_text(record: RequestRecord) -> str:
    lines = [f"Demande de contact {record.ref}", ""]
    state = status_said(record)
    if state:
        lines += [state, ""]
    lines += [f"{fact.label} : {fact.value}" for fact in facts(record, email=True)]
    return "\n".join([*lines, "", EMAIL_FOOTER, ""])


def email_html(record: RequestRecord) -> str:
    state = status_said(record)
    rows = "".join(f"<tr><th align=\"left\">{escape(f.label)}</th><td>{escape(f.value)}</td></tr>"
                   for f in facts(record, email=True))
    return (f"<!DOCTYPE html><html lang=\"fr\"><body><h1>Demande de contact {escape(record.ref)}</h1>"
            + (f"<p><strong>{escape(state)}</strong></p>" if state else "")
            + f"<table>{rows}</table><p>{escape(EMAIL_FOOTER)}</p></body></html>")


def notice_text(kind: str, ref: str, *, taken_by: str | None = None, was: str | None = None,
                expiry_days: float | None = None) -> str:
    """One plain line that follows the request (escape it for Telegram HTML)."""
    by = f" par {isolated(taken_by)}" if taken_by else ""
    if kind == "withdrawn" and was is not None:
        return f"🗑️ {ref} : la personne a effacé ses données."
    days = f" en {expiry_days:g} jours" if expiry_days else ""
    lines = {
        "taken": f"✋ {ref} : prise en charge{by}.",
        "closed": f"✅ {ref} : terminée{by}.",
        "cancelled": f"❌ {ref} : annulée par la personne. Ne la rappelez pas.",
        "withdrawn": f"🗑️ {ref} : retirée par la personne, qui a effacé ses données. Ne la rappelez pas.",
        "expired": f"⌛ {ref} : personne ne l'a prise en charge{days}. Ses informations sont effacées.",
    }
    return lines.get(kind, f"{ref} : {kind}")


def relay_html(ref: str, first_name: str | None, text: str) -> str:
    """A message of the person passed to the staff chat: who, the reference, the text; nothing else."""
    name = isolated(first_name or "") or NO_NAME
    return f"💬 <b>{escape(name)}</b> · {escape(ref)}\n{escape(without_overrides(text))}"
