"""``commonground catalogs``: extract and compile the translation catalogs."""

from __future__ import annotations

import argparse
from typing import Any

from commonground.cli.base import add_command, setup_django


def cmd_extract(args: argparse.Namespace) -> int:
    setup_django()
    from commonground.core.catalogs import LOCALES, extract

    changed = extract(args.locale or LOCALES, verbosity=args.verbosity)
    print(f"extracted: {', '.join(changed) if changed else 'no catalog changed'}")
    return 0


def cmd_compile(args: argparse.Namespace) -> int:
    setup_django()  # compiles what is out of date at start-up; report the state after it
    from commonground.core.catalogs import LOCALE_DIR, compile_catalogs

    for po in LOCALE_DIR.glob("*/LC_MESSAGES/django.po"):
        po.with_suffix(".mo").unlink(missing_ok=True)
    compiled = compile_catalogs()
    print(f"compiled {len(compiled)} catalogs")
    return 0


def register(sub: Any) -> None:
    """Add ``catalogs extract`` and ``catalogs compile`` to the command's sub-parsers."""
    catalogs = sub.add_parser("catalogs", help="translation catalogs").add_subparsers(
        dest="sub", required=True, metavar="ACTION"
    )
    ex = add_command(
        catalogs,
        "extract",
        cmd_extract,
        "re-extract the translation catalogs from the code (needs GNU gettext)",
    )
    ex.add_argument(
        "--locale", "-l", action="append", help="only this locale (repeatable; default: all)"
    )
    ex.add_argument("--verbosity", type=int, default=1, choices=[0, 1, 2, 3])
    add_command(
        catalogs, "compile", cmd_compile, "rebuild every compiled catalog (.mo) from its .po"
    )
