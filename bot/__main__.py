"""Command line: python -m bot chat|check|match|graph|run|link|import|stats|schema|purge|forget."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="RSA Seine-Saint-Denis assistant.")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--content", help="folder holding flows/ and knowledge/ (default: shipped content or "
                                         "$BOT_CONTENT)")
        return p

    chat = add("chat", "talk to the bot in this terminal")
    chat.add_argument("--database", help="SQLite file (default: $BOT_DATABASE or bot.sqlite3)")
    chat.add_argument("--lang", help="language code (fr, ar, en, …); asked when missing")
    chat.add_argument("--user", default="local", help="name of this terminal conversation (default: local)")
    chat.add_argument("--start", default=None, help="a referent link payload to start with")
    check = add("check", "validate the content and list what is missing")
    check.add_argument("--locales", help="folder of translation catalogs (default: shipped locales/)")
    check.add_argument("--coverage", action="store_true",
                       help="also list the steps, choices and places no golden conversation reaches")
    check.add_argument("--goldens", help="folder of golden conversations for --coverage (default: tests/golden/)")
    match = add("match", "show how the bot understands a text")
    match.add_argument("kind", choices=["commune", "choice"])
    match.add_argument("text", help="the text, or - to read one text per line from stdin")
    match.add_argument("--json", action="store_true", help="one JSON document per input line")
    match.add_argument("--step", help="the question step for 'choice' (e.g. accueil:francais)")
    match.add_argument("--lang", help="for 'commune': also the town spellings of this language's catalog (e.g. ar)")
    graph = add("graph", "print the flows as a Mermaid diagram")
    graph.add_argument("--markdown", action="store_true", help="a whole Markdown page (docs/flows.md)")
    graph.add_argument("--traffic", action="store_true", help="colour the questions by the share of people who "
                                                              "reach them, label the drop-off (from the database)")
    graph.add_argument("--since", default="30d", help="window for --traffic (default 30d)")
    graph.add_argument("--database", help="SQLite file for --traffic (default: $BOT_DATABASE or bot.sqlite3)")
    schema = add("schema", "write the JSON Schemas of flows, cards and communes (for editors) to schemas/")
    schema.add_argument("--out", help="folder to write them to (default: schemas/ of the content folder)")
    run = add("run", "run the Telegram bot (long polling, or a webhook with --webhook-url)")
    run.add_argument("--database", help="SQLite file (default: $BOT_DATABASE or bot.sqlite3)")
    run.add_argument("--webhook-url", help="public https URL Telegram posts updates to (default: "
                                           "$TELEGRAM_WEBHOOK_URL; without it: long polling)")
    run.add_argument("--listen", help="address the webhook server listens on (default: $TELEGRAM_WEBHOOK_LISTEN "
                                      "or 127.0.0.1)")
    run.add_argument("--port", type=int, help="port of the webhook server (default: $TELEGRAM_WEBHOOK_PORT or 8443)")
    link = add("link", "print a referent's link to the bot and write its QR code")
    link.add_argument("--referent", required=True, help="the referent's code (letters, digits, '-')")
    link.add_argument("--lang", help="language the bot speaks first (fr, ar, en, …)")
    link.add_argument("--theme", help="theme to preset (francais, numerique, handicap, entreprise, contact)")
    link.add_argument("--qr", help="write the QR code to this .png or .svg file")
    link.add_argument("--username", help="the bot's username (default: $BOT_USERNAME, else asked to Telegram)")
    from .cli.importer import add_import_arguments

    add_import_arguments(add("import", "import a directory (data·inclusion) into knowledge/imported/"))
    stats = add("stats", "anonymous usage figures, small counts protected")
    stats.add_argument("--since", default="30d", help="window: the last N days, today included (7d, 30d, 365d…; "
                                                      "default 30d)")
    stats.add_argument("--by", default="card", choices=["step", "card", "territory", "referent", "lang"],
                       help="the detail table: questions reached (step), or places shown per place, territory, "
                            "referent code or language (default: card)")
    stats.add_argument("--per", default="week", choices=["week", "day"], help="columns of the tables and points "
                                                                             "of the line (default: ISO weeks)")
    output = stats.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="the protected tables as JSON")
    output.add_argument("--csv", action="store_true", help="the protected tables as CSV, one figure per line")
    stats.add_argument("--chart", help="also write a PNG chart to this file")
    stats.add_argument("--referent", help="only the figures of this referent's code")
    stats.add_argument("--database", help="SQLite file (default: $BOT_DATABASE or bot.sqlite3)")
    purge = add("purge", "apply the retention now: idle conversations, raw events, finished requests")
    purge.add_argument("--database", help="SQLite file (default: $BOT_DATABASE or bot.sqlite3)")
    forget = add("forget", "erase everything about one person, as /oubli does")
    forget.add_argument("chat", help="their chat: a Telegram chat id (123456789) or a key (telegram:123456789)")
    forget.add_argument("--database", help="SQLite file (default: $BOT_DATABASE or bot.sqlite3)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "check":
            from .cli.check import run_check

            return run_check(args)
        if args.command == "match":
            from .cli.match import run_match

            return run_match(args)
        if args.command == "graph":
            from .cli.graph import run_graph

            return run_graph(args)
        if args.command == "schema":
            from .cli.schema import run_schema

            return run_schema(args)
        if args.command == "chat":
            from .cli.chat import run_chat

            return asyncio.run(run_chat(args))
        if args.command == "run":
            from .cli.run import run_bot

            return run_bot(args)
        if args.command == "link":
            from .cli.link import run_link

            return run_link(args)
        if args.command == "import":
            from .cli.importer import run_import_command

            return run_import_command(args)
        if args.command == "stats":
            from .cli.stats import run_stats

            return run_stats(args)
        if args.command in ("purge", "forget"):
            from .cli.privacy import run_forget, run_purge

            return asyncio.run(run_purge(args) if args.command == "purge" else run_forget(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    print(f"unknown command {args.command}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
