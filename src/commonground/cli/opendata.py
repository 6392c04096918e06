"""``commonground export``, ``import``, ``opinion-map`` and ``import-polis``: open data in and out.

``opinion-map --from-polis`` never touches Django or a database.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from commonground.cli.base import add_command, forum_of, migrate, setup_django


def cmd_export(args: argparse.Namespace) -> int:
    setup_django()
    from commonground.opendata.export import export_forum

    path = export_forum(forum_of(args.forum), args.dir)
    print(f"exported {args.forum} to {path}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Restore a forum from its data package into this empty instance (exit 1 if refused)."""
    setup_django()
    migrate()
    from commonground.opendata.importer import ImportRefused, import_package

    try:
        summary = import_package(args.dir)
    except ImportRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(summary.line())
    return 0


def cmd_opinion_map(args: argparse.Namespace) -> int:
    from commonground.opendata.polis import main_opinion_map_from_polis

    return main_opinion_map_from_polis(args.from_polis, args.format, args.seed, sys.stdout)


def register_package(sub: Any) -> None:
    """Add ``export`` and ``import`` (a forum's data package) to the command's sub-parsers."""
    export = add_command(sub, "export", cmd_export, "export a forum's open data as a Data Package")
    export.add_argument("forum")
    export.add_argument("dir")
    imp = add_command(
        sub, "import", cmd_import, "restore a forum from its data package into an empty instance"
    )
    imp.add_argument("dir", metavar="DIR")


def register_polis(sub: Any) -> None:
    """Add ``opinion-map`` and ``import-polis`` (Polis exports) to the command's sub-parsers."""
    om = add_command(
        sub, "opinion-map", cmd_opinion_map, "compute an opinion map from a Polis export"
    )
    om.add_argument("--from-polis", required=True, metavar="DIR")
    om.add_argument("--format", choices=["json", "table"], default="table")
    om.add_argument("--seed", type=int, default=0)

    from commonground.dialogue import cli as dialogue_cli

    ip = add_command(
        sub,
        "import-polis",
        dialogue_cli.cmd_import_polis,
        "import a Polis export as a conversation",
    )
    ip.add_argument("dir", metavar="DIR")
    ip.add_argument("--forum", required=True, metavar="SLUG")
    ip.add_argument("--issue", type=int, metavar="ID")
    ip.add_argument("--topic", help="the conversation's topic (default: the export's)")
