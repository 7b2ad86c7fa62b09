"""`python -m bot schema`: write the JSON Schemas of the content files (schemas/), generated from the models."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..content.schema import SCHEMA_DIR, write_schemas
from .common import content_dir


def run_schema(args: argparse.Namespace) -> int:
    folder = Path(args.out) if args.out else content_dir(args.content) / SCHEMA_DIR
    for path in write_schemas(folder):
        print(f"wrote {path}")
    return 0
