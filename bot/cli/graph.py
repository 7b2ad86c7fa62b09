"""`python -m bot graph`: the flows as Mermaid."""

from __future__ import annotations

import argparse

from ..content.mermaid import to_mermaid
from .common import content_dir, load_or_explain


def run_graph(args: argparse.Namespace) -> int:
    content = load_or_explain(content_dir(args.content))
    if content is None:
        return 1
    diagram = to_mermaid(content)
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
