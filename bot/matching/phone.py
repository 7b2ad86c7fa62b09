"""The person's own phone number, typed or shared, checked by `phonenumbers` (French unless it starts with +).

A number is kept in E.164 (+33612345678): staff tap it in Telegram or dial it as it is. The reason for a refusal
is a code, so that the conversation can re-ask kindly in the person's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType, ValidationResult, shortnumberinfo

from ..content.phones import REGION

PhoneProblem = Literal["empty", "not-a-number", "too-short", "too-long", "invalid", "several", "service-number"]
"""empty: nothing typed; not-a-number: no digits; too-short / too-long / invalid: not a number that exists;
several: more than one number in the text; service-number: a short, free or paid service number (3949, 0800…),
which cannot be the person's own."""
_PERSONAL = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE,
                       PhoneNumberType.VOIP, PhoneNumberType.PERSONAL_NUMBER})
_DIGITS = re.compile(r"[+\d]")


@dataclass(frozen=True, slots=True)
class PhoneCheck:
    e164: str | None
    problem: PhoneProblem | None = None

    @property
    def ok(self) -> bool:
        return self.e164 is not None


def check_phone(text: str, region: str = REGION) -> PhoneCheck:
    """The one phone number written in the text ('06 12 34 56 78', 'mon numéro : +33 6 12…'), or why not.

    Numbers are found with phonenumbers' matcher, never by parsing the whole text: parsing turns letters into
    digits, as on a keypad ('0612345678 merci' would become a longer, wrong number).
    """
    text = text.strip()
    if not text:
        return PhoneCheck(None, "empty")
    found = {phonenumbers.format_number(m.number, PhoneNumberFormat.E164): m.number
             for m in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID)}
    if len(found) > 1:
        return PhoneCheck(None, "several")
    if found:
        (e164, number), = found.items()
        if phonenumbers.number_type(number) not in _PERSONAL:
            return PhoneCheck(None, "service-number")
        return PhoneCheck(e164)
    return PhoneCheck(None, _why_not(text, region))


def _why_not(text: str, region: str) -> PhoneProblem:
    digits = "".join(_DIGITS.findall(text))
    if not any(c.isdigit() for c in digits):
        return "not-a-number"
    try:
        number = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException:
        return "invalid"
    if shortnumberinfo.is_valid_short_number_for_region(number, region):
        return "service-number"
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == ValidationResult.TOO_SHORT:
        return "too-short"
    if reason == ValidationResult.TOO_LONG:
        return "too-long"
    return "invalid"


def shared_phone(phone_number: str) -> str | None:
    """The number of a contact the person shared with Telegram's button (given with its country code, often
    without '+': '33612345678'), in E.164; None if it is not a valid number."""
    digits = "".join(_DIGITS.findall(phone_number)).lstrip("+")
    if not digits:
        return None
    try:
        number = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164) if phonenumbers.is_valid_number(number) else None
