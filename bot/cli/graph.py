"""`python -m bot graph`: the flows as Mermaid."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

from ..content.mermaid import to_mermaid
from .common import content_dir, load_or_explain


def run_graph(args: argparse.Namespace) -> int:
    content = load_or_explain(content_dir(args.content))
    if content is None:
        return 1
    traffic = None
    if args.traffic:
        from ..config import Settings
        from ..stats import parse_since
        from ..store import StoreError
        from .traffic import read_traffic

        database = Path(args.database or Settings.from_env().database)
        try:
            traffic = asyncio.run(read_traffic(content, database, parse_since(args.since), time.time()))
        except (StoreError, ValueError) as exc:
            print(exc, file=sys.stderr)
            return 1
    diagram = to_mermaid(content, traffic)
    if args.markdown:
        print(MARKDOWN.format(diagram=diagram), end="")
    else:
        print(diagram, end="")
    return 0


MARKDOWN = """# The conversation, as a diagram

Generated from flows/ — never edit by hand. Regenerate with:

```sh
.venv/bin/python -m bot graph --markdown > docs/flows.md
```

```mermaid
{diagram}```
"""
