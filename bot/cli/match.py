"""`python -m bot match commune|choice TEXT`: what the engine would understand, with scores."""

from __future__ import annotations

import argparse
import json
import sys

from ..engine.engine import commune_spellings
from ..i18n import Translations
from ..matching import CommuneIndex, Option, match_choice, rank
from .common import content_dir, load_or_explain


def run_match(args: argparse.Namespace) -> int:
    content = load_or_explain(content_dir(args.content))
    if content is None:
        return 1
    texts = [line.rstrip("\n") for line in sys.stdin] if args.text == "-" else [args.text]
    if args.kind == "commune":
        spellings = commune_spellings(content, Translations(only=[args.lang]), args.lang) if args.lang else {}
        index = CommuneIndex(content.communes.values(), content.outside, spellings)
        for text in texts:
            found = index.resolve(text)
            candidates = [{"score": round(c.score, 1), "code_insee": c.code_insee, "nom": c.nom, "via": c.phrase}
                          for c in found.candidates]
            if args.json:
                print(json.dumps({"text": text, "result": found.kind, "outside": found.outside,
                                  "departement": found.departement, "candidates": candidates}, ensure_ascii=False))
            else:
                departement = f", {content.departement_nom(found.departement)}" if found.departement else ""
                where = f" ({found.outside}{departement})" if found.outside else ""
                print(f"{text!r} → {found.kind}{where}")
                for c in candidates:
                    print(f"   {c['score']:5.1f}  {c['nom']} ({c['code_insee']})  via '{c['via']}'")
        return 0
    step = content.steps.get(args.step) if args.step else None
    if step is None:
        step = next((s for s in content.steps.values() if s.id == args.step), None) if args.step else None
    if step is None or not step.choices:
        known = ", ".join(s.key for s in content.steps.values() if s.choices)
        print(f"Give a question step with --step (one of: {known}).", file=sys.stderr)
        return 2
    options = [Option(c.id, (c.label, *c.synonyms)) for c in step.choices]
    for text in texts:
        match = match_choice(text, options)
        ranking = [{"score": round(s.score, 1), "id": s.id, "via": s.phrase} for s in rank(text, options)]
        if args.json:
            print(json.dumps({"text": text, "result": match.grade.value, "candidates": ranking}, ensure_ascii=False))
        else:
            print(f"{text!r} → {match.grade.value}")
            for c in ranking:
                print(f"   {c['score']:5.1f}  {c['id']}  via '{c['via']}'")
    return 0
