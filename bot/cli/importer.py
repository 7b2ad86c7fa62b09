"""`python -m bot import data-inclusion`: the export files or the API → cards under knowledge/imported/."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from functools import partial
from pathlib import Path

from ..content import ContentInvalid
from ..importers.data_inclusion import ApiSource, Inputs, read_api, read_file, run_import
from .common import content_dir

TOKEN_VARIABLE = "DI_API_TOKEN"


def add_import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", choices=["data-inclusion"], help="the directory to import")
    parser.add_argument("--services", help="the services file of the v1 export (JSON, JSON lines or CSV)")
    parser.add_argument("--structures", help="the structures file of the v1 export (JSON, JSON lines or CSV)")
    parser.add_argument("--api", help="read the data·inclusion API at this address instead of files")
    parser.add_argument("--token", help=f"the API token (default: ${TOKEN_VARIABLE})")
    parser.add_argument("--whole-country", action="store_true",
                        help="with --api: read every record and select here (also finds services located "
                             "outside the département that serve it); default: filter by département on the server")
    parser.add_argument("--page-size", type=int, default=1000, help="with --api: records per page (default 1000)")


def _inputs(args: argparse.Namespace) -> Inputs | str:
    """The inputs, or the sentence that says what is missing."""
    if args.api:
        if args.services or args.structures:
            return "Give either --api or the files (--services, --structures), not both."
        token = (args.token or os.environ.get(TOKEN_VARIABLE, "")).strip()
        if not token:
            return f"--api needs a token: --token … or ${TOKEN_VARIABLE}."
        if not 1 <= args.page_size <= 10_000:
            return "--page-size must be between 1 and 10000 (the API's limit)."
        source = ApiSource(args.api, token, None if args.whole_country else "93", page_size=args.page_size)
        return Inputs(services=partial(read_api, source, "services"),
                      structures=partial(read_api, source, "structures"))
    if not args.services:
        return "Give --services FILE (and --structures FILE), or --api URL."
    structures = Path(args.structures) if args.structures else None
    return Inputs(services=partial(read_file, Path(args.services)),
                  structures=partial(read_file, structures) if structures else partial(iter, ()))


def run_import_command(args: argparse.Namespace) -> int:
    inputs = _inputs(args)
    if isinstance(inputs, str):
        print(inputs, file=sys.stderr)
        return 2
    root = content_dir(args.content)
    try:
        report = run_import(root, inputs, today=date.today())
    except ContentInvalid as exc:
        print(f"The content in {root} cannot take an import ({len(exc.errors)} error(s)):", file=sys.stderr)
        for error in exc.errors:
            print(str(error), file=sys.stderr)
        return 1
    for line in report.lines():
        print(line)
    if not report.usable:
        print("Nothing usable was read: no card was written or removed.", file=sys.stderr)
        return 1
    print("Run 'python -m bot check' to review the imported cards.")
    return 0
