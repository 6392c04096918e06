"""``commonground witness add URL | list | run``: co-sign other instances' checkpoints."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from commonground.cli.base import add_command, setup_django


def cmd_witness(args: argparse.Namespace) -> int:
    setup_django()
    from django.utils.translation import gettext as _

    from commonground.core.errors import CliError, ServiceError
    from commonground.ledger.models import SplitView, WitnessedLog
    from commonground.ledger.witness import add_witnessed, witness_round

    if args.action == "add":
        if not args.url:
            raise CliError(_("usage: commonground witness add URL"))
        try:
            log = add_witnessed(args.url)
        except ServiceError as exc:
            raise CliError(str(exc)) from None
        print(_("witnessing %(url)s: its checkpoints are checked and co-signed on the worker's "
                "schedule (or now with: commonground witness run)") % {"url": log.url})  # fmt: skip
        return 0
    if args.action == "run":
        split = False
        for url, outcome in witness_round():
            print(f"{url}: {outcome}")
            split = split or outcome.startswith("SPLIT VIEW")
        return 1 if split else 0
    logs = list(WitnessedLog.objects.all())
    if not logs:
        print(_("this instance witnesses no other instance (add one with: "
                "commonground witness add URL)"))  # fmt: skip
    for log in logs:
        # A log added but not yet checked has no status: say so rather than print nothing.
        status = log.status or _("not checked yet (commonground witness run)")
        print(f"{log.url}  size {log.tree_size}  {status}")
    for view in SplitView.objects.all():
        print(
            _("SPLIT VIEW (%(side)s) %(url)s: %(reason)s")
            % {"side": view.side, "url": view.url, "reason": view.reason},
            file=sys.stderr,
        )
    return 1 if SplitView.objects.exists() else 0


def register(sub: Any) -> None:
    """Add ``witness`` to the command's sub-parsers."""
    witness = add_command(
        sub, "witness", cmd_witness, "witness other instances' ledgers: add, list, run"
    )
    witness.add_argument("action", choices=["add", "list", "run"])
    witness.add_argument("url", nargs="?", metavar="URL")
