"""Select step: keep what concerns the département, and say which zone of the cards each service serves.

A service is kept when it is located in the département (`code_insee` in the 93) or when its `zone_eligibilite`
names the département ("93"), one of its communes, an EPT of the 93 or the Métropole du Grand Paris (the zone codes
of knowledge/import/data-inclusion.yaml). Its card zone is then "93", INSEE codes and territory ids.
A national zone ("france", "99100") serves the whole département, but alone it does not select a service located
elsewhere: national services would drown the local ones (write a hand card for a national line, such as 3949).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from data_inclusion.schema import v1

from ...content.import_mapping import ImportSetting
from ..report import Dropped

DEPARTMENT = "93"
NATIONAL = frozenset({"france", "99100"})
OUTSIDE = "services outside the département"
NO_ZONE_HERE = "services located in the département whose zone serves none of its communes"


@dataclass(frozen=True, slots=True)
class Located:
    zone: tuple[str, ...]
    """The card's zone_eligibilite: "93", or INSEE codes and territory ids."""
    confirmed: bool
    """False when the source gives no zone: the card serves the commune where the service is (zone_confirmee)."""
    code_insee: str | None
    """The service's commune when it is one of knowledge/communes.yaml."""


def card_zone(codes: Iterable[str], setting: ImportSetting) -> tuple[str, ...]:
    """The zones of the département that data·inclusion zone codes name (nothing for codes outside)."""
    found: list[str] = []
    for code in codes:
        if code == DEPARTMENT:
            target: str | None = DEPARTMENT
        elif code in setting.communes:
            target = code
        else:
            target = setting.mapping.zones.get(code)
        if target and target not in found:
            found.append(target)
    return (DEPARTMENT,) if DEPARTMENT in found else tuple(found)


def locate(service: v1.Service, setting: ImportSetting) -> Located | Dropped:
    codes = [str(c) for c in service.zone_eligibilite or ()]
    here = service.code_insee if service.code_insee in setting.communes else None
    in_department = bool(service.code_insee and service.code_insee.startswith(DEPARTMENT))
    named = card_zone(codes, setting)
    if named:
        zone = (DEPARTMENT,) if NATIONAL & set(codes) else named
        return Located(zone, True, here)
    if not in_department:
        return Dropped(OUTSIDE)
    if NATIONAL & set(codes):
        return Located((DEPARTMENT,), True, here)
    if service.zone_eligibilite is None and here:
        return Located((here,), False, here)
    return Dropped(NO_ZONE_HERE)


def concerns_department(data: dict[str, Any], setting: ImportSetting) -> bool:
    """On a raw record (maybe invalid): would it concern the département? Only those get a line of their own."""
    code = data.get("code_insee")
    if isinstance(code, str) and code.startswith(DEPARTMENT):
        return True
    zone = data.get("zone_eligibilite")
    return isinstance(zone, list) and bool(card_zone((str(z) for z in zone), setting))
