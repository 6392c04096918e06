"""The ``commonground`` console command: operate, demo, export and analyse a forum.

One module per command group (``server``, ``operators``, ``agenda``, ``opendata``,
``operations``, ``ledger``), each with a ``register(sub)`` that adds its sub-commands;
``build_parser`` calls them in the order ``--help`` lists the commands. To add a command
group, write its module and call its ``register`` here.

Commands that work on open-data files (``agenda --from``, ``opinion-map
--from-polis``) never touch Django or a database. Everything else sets up
Django and calls the same services as the web UI and the API.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from commonground.cli import (
    agenda,
    catalogs,
    consensus,
    federation,
    ledger,
    opendata,
    operations,
    operators,
    server,
    stewardship,
    witness,
)
from commonground.cli.base import Parser
from commonground.core.errors import CliError


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="commonground", description="Run and inspect Common Ground forums.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    server.register(sub)
    operators.register(sub)
    agenda.register(sub)
    stewardship.register(sub)
    consensus.register(sub)
    opendata.register_package(sub)
    operations.register(sub)
    opendata.register_polis(sub)
    ledger.register(sub)
    witness.register(sub)
    federation.register(sub)
    catalogs.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``commonground`` command; returns the exit code."""
    args = build_parser().parse_args(argv)
    from django.core.exceptions import ImproperlyConfigured
    from django.db import DatabaseError

    from commonground.core.errors import ServiceError

    try:
        return int(args.handler(args))
    except (ServiceError, CliError, ImproperlyConfigured) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        # A file or folder the command cannot read or write: the operator's to fix.
        where = f": {exc.filename}" if exc.filename else ""
        print(f"error: {exc.strerror or type(exc).__name__}{where}", file=sys.stderr)
        return 2
    except DatabaseError as exc:
        # An unreachable or broken database is the operator's to fix: one line, no traceback.
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        print(f"error: database: {lines[0] if lines else type(exc).__name__}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
