"""``commonground agenda``: the live agenda, its tally check, or the agenda of a data package."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from commonground.cli.base import add_command, forum_of, setup_django
from commonground.core.errors import CliError


def cmd_agenda(args: argparse.Namespace) -> int:
    words: list[str] = args.words
    if args.from_dir:
        if words:
            raise CliError("agenda --from DIR takes no forum")
        from commonground.cli.opendata import anchor_of
        from commonground.opendata.agenda_output import main_agenda_from

        return main_agenda_from(
            args.from_dir,
            args.format,
            sys.stdout,
            anchor=anchor_of(args),
            trust_tables=args.trust_tables,
        )
    if len(words) == 2 and words[0] == "publish":
        from commonground.cli.stewardship import cmd_agenda_publish

        return cmd_agenda_publish(args, words[1])
    if len(words) == 2 and words[0] == "check":
        setup_django()
        from commonground.access.lookup import open_cycle_of
        from commonground.recognition.services import check_tallies

        forum = forum_of(words[1])
        differences = check_tallies(open_cycle_of(forum))
        for d in differences:
            print(f"{d.what} tally differs: {d.key}: tally {d.tally}, recount {d.recount}")
        if differences:
            print(f"{len(differences)} tallies differ from the raw supports")
            return 1
        print(f"all tallies of {forum.slug} match the raw supports")
        return 0
    if len(words) == 1:
        setup_django()
        import json

        from commonground.access.lookup import open_cycle_of
        from commonground.opendata.agenda_output import format_table
        from commonground.recognition.services import live_agenda

        data = live_agenda(open_cycle_of(forum_of(words[0]))).to_json_dict()
        print(json.dumps(data, indent=2) if args.format == "json" else format_table(data))
        return 0
    raise CliError(
        "usage: commonground agenda FORUM | agenda check FORUM | agenda publish FORUM --as EMAIL"
        " | agenda --from DIR"
    )


def register(sub: Any) -> None:
    """Add ``agenda`` to the command's sub-parsers."""
    agenda = add_command(
        sub, "agenda", cmd_agenda, "show the live agenda, check tallies, or compute from open data"
    )
    agenda.add_argument("words", nargs="*", metavar="FORUM | check FORUM | publish FORUM")
    agenda.add_argument("--from", dest="from_dir", metavar="DIR", help="an exported data package")
    agenda.add_argument("--format", choices=["json", "table"], default="table")
    agenda.add_argument(
        "--as", dest="as_email", metavar="EMAIL", help="publish: the steward who publishes"
    )
    agenda.add_argument(
        "--trust-tables",
        action="store_true",
        help="UNSAFE: with --from, skip checking the tables against the package's ledger",
    )
    from commonground.cli.opendata import add_anchor_arguments

    add_anchor_arguments(agenda)
