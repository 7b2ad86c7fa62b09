"""`python -m bot graph`: the flows as Mermaid."""

from __future__ import annotations

import argparse

from ..content.mermaid import to_mermaid
from .common import content_dir, load_or_explain


def run_graph(args: argparse.Namespace) -> int:
    content = load_or_explain(content_dir(args.content))
    if content is None:
        return 1
    print(to_mermaid(content), end="")
    return 0
