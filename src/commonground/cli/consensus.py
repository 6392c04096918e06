"""``commonground consensus --from DIR MESSAGE_ID [--format json]``: a message's suggested
consensus level recomputed from an exported data package alone."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from commonground.cli.base import add_command
from commonground.core.errors import CliError


def cmd_consensus(args: argparse.Namespace) -> int:
    if not args.from_dir:
        raise CliError("consensus needs --from DIR (an exported data package)")
    if args.message_id < 1:
        raise CliError("MESSAGE_ID is a message's id (a positive whole number)")
    from commonground.opendata.consensus_output import main_consensus_from

    return main_consensus_from(args.from_dir, args.message_id, args.format, sys.stdout)


def register(sub: Any) -> None:
    """Add ``consensus`` to the command's sub-parsers."""
    command = add_command(
        sub, "consensus", cmd_consensus, "recompute a message's suggested level from open data"
    )
    command.add_argument("message_id", type=int, metavar="MESSAGE_ID")
    command.add_argument("--from", dest="from_dir", metavar="DIR", help="an exported data package")
    command.add_argument("--format", choices=["json", "table"], default="table")
