"""Phone numbers of the cards, read and written by `phonenumbers` (Google's libphonenumber), French by default.

An ordinary number is written in international form (+33143939393): Telegram makes it tappable and any phone can
call it. A French short number (3949, 3230) has no international form: it is shown as it is, to dial from France.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import phonenumbers
from phonenumbers import shortnumberinfo

REGION = "FR"


class PhoneError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Phone:
    national: str
    """As people in France read it: '01 43 93 93 93', '3949'."""
    dial: str
    """What a phone dials: '+33143939393', or the short number itself."""
    short: bool = False


def parse_phone(text: str, region: str = REGION) -> Phone:
    """A valid number (French unless it starts with +), or PhoneError saying why."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise PhoneError(f"'{text}' is not a phone number ({exc})") from None
    if phonenumbers.is_valid_number(number):
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        return Phone(national, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
    if number.country_code == phonenumbers.country_code_for_region(region) and \
            shortnumberinfo.is_valid_short_number_for_region(number, region):
        digits = str(number.national_number)
        return Phone(digits, digits, short=True)
    raise PhoneError(f"'{text}' is not a valid number in France")


def numbers_in(text: str, region: str = REGION) -> list[tuple[int, int, str]]:
    """(start, end, E.164) of every valid phone number written in a text ('au 01 43 93 93 93.')."""
    return [(m.start, m.end, phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164))
            for m in phonenumbers.PhoneNumberMatcher(text, region)]


def tappable(text: str, isolate: Callable[[str], str] = str, region: str = REGION) -> str:
    """The text with each phone number in international form, which Telegram turns into a tappable number;
    ``isolate`` wraps it for a right-to-left language (the '+' stays on its left)."""
    for start, end, dial in reversed(numbers_in(text, region)):
        text = f"{text[:start]}{isolate(dial)}{text[end:]}"
    return text


_PHONE_LIKE = re.compile(r"(?<![\d+])(?:\+33|0)[\s.\-]?[1-9](?:[\s.\-]?\d){6,9}(?!\d)")
"""What people would read as a phone number, valid or not: `check` makes sure each one is a real number."""


def invalid_numbers(text: str, region: str = REGION) -> list[str]:
    """Phone-like numbers of a text that are not valid numbers (they would not be tappable, nor callable)."""
    valid = [(start, end) for start, end, _ in numbers_in(text, region)]
    return [m.group(0) for m in _PHONE_LIKE.finditer(text)
            if not any(start <= m.start() < end for start, end in valid)]
