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
    from commonground.ledger.anchors import no_anchor_notice
    from commonground.opendata.importer import ImportRefused, import_package

    anchor = anchor_of(args)
    try:
        summary = import_package(args.dir, anchor)
    except ImportRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(summary.line())
    if not anchor.given:
        print(no_anchor_notice(), file=sys.stderr)
    return 0


def add_anchor_arguments(parser: Any) -> None:
    """``--public-key``, ``--fingerprint``, ``--from-url``: who must have signed the ledger."""
    parser.add_argument(
        "--public-key", metavar="BASE64", help="the operator's Ed25519 key (raw 32 bytes, base64)"
    )
    parser.add_argument(
        "--fingerprint", metavar="HEX", help="SHA-256 of the operator's raw public key, in hex"
    )
    parser.add_argument(
        "--from-url",
        metavar="URL",
        help="the instance: its published checkpoint must be consistent with the package",
    )


def anchor_of(args: argparse.Namespace) -> Any:
    """The trust anchor the arguments name (a one-line CliError when one is malformed)."""
    from commonground.core.errors import CliError
    from commonground.ledger.anchors import Anchor

    try:
        return Anchor.parse(args.public_key, args.fingerprint, args.from_url)
    except ValueError as exc:
        raise CliError(str(exc)) from None


def cmd_opinion_map(args: argparse.Namespace) -> int:
    from commonground.opendata.polis import main_opinion_map_from_polis

    return main_opinion_map_from_polis(
        args.from_polis, args.format, args.seed, sys.stdout, own_process=True
    )


def register_package(sub: Any) -> None:
    """Add ``export`` and ``import`` (a forum's data package) to the command's sub-parsers."""
    export = add_command(sub, "export", cmd_export, "export a forum's open data as a Data Package")
    export.add_argument("forum")
    export.add_argument("dir")
    imp = add_command(
        sub, "import", cmd_import, "restore a forum from its data package into an empty instance"
    )
    imp.add_argument("dir", metavar="DIR")
    add_anchor_arguments(imp)


def register_polis(sub: Any) -> None:
    """Add ``opinion-map`` and ``import-polis`` (Polis exports) to the command's sub-parsers."""
    om = add_command(
        sub, "opinion-map", cmd_opinion_map, "compute an opinion map from a Polis export"
    )
    om.add_argument("--from-polis", required=True, metavar="DIR")
    om.add_argument("--format", choices=["json", "table"], default="table")
    om.add_argument("--seed", type=int, default=0)

    from commonground.opendata import polis_cli

    ip = add_command(
        sub,
        "import-polis",
        polis_cli.cmd_import_polis,
        "import a Polis export as a conversation",
    )
    ip.add_argument("dir", metavar="DIR")
    ip.add_argument("--forum", required=True, metavar="SLUG")
    ip.add_argument("--issue", type=int, metavar="ID")
    ip.add_argument("--topic", help="the conversation's topic (default: the export's)")
