"""Official data·inclusion v1 values, read from the data-inclusion-schema package."""

from __future__ import annotations

from data_inclusion.schema import v1

THEMATIQUES: frozenset[str] = frozenset(t.value for t in v1.Thematique)
PUBLICS: frozenset[str] = frozenset(p.value for p in v1.Public)
FRAIS: frozenset[str] = frozenset(f.value for f in v1.Frais)
MODES_ACCUEIL: frozenset[str] = frozenset(m.value for m in v1.ModeAccueil)
