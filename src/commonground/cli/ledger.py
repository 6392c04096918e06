"""``commonground ledger verify|checkpoint|export-entries`` (the commands live in
``commonground.ledger.cli``)."""

from __future__ import annotations

from typing import Any

from commonground.cli.base import add_command


def register(sub: Any) -> None:
    """Add ``ledger`` and its actions to the command's sub-parsers."""
    from commonground.ledger import cli as ledger_cli

    ledger = sub.add_parser("ledger", help="verify, checkpoint and export the ledger")
    actions = ledger.add_subparsers(dest="sub", required=True, metavar="ACTION")
    lv = add_command(
        actions, "verify", ledger_cli.cmd_verify, "check the ledger's hashes and checkpoints"
    )
    lv.add_argument("--entries", metavar="FILE", help="offline: a JSONL export (export-entries)")
    lv.add_argument("--checkpoint", metavar="FILE", help="offline: a signed checkpoint JSON")
    lv.add_argument("--url", help="audit a running site through its public API")
    lv.add_argument("--public-key", metavar="BASE64", help="the operator's trusted public key")
    lv.add_argument(
        "--witness",
        action="append",
        metavar="BASE64",
        help="with --url: a witness's public key whose co-signature is required (repeatable)",
    )
    lv.add_argument(
        "--witness-url",
        action="append",
        metavar="URL",
        help="with --url: a witness asked what it saw of URL; a checkpoint that does not "
        "extend it, or a split view it caught, fails (repeatable)",
    )
    lv.add_argument(
        "--min-witnesses",
        type=int,
        metavar="N",
        help="with --witness: how many of them must have co-signed (default: all)",
    )
    lv.add_argument(
        "--fingerprint", metavar="HEX", help="with --entries: SHA-256 of the operator's raw key"
    )
    lv.add_argument(
        "--from-url",
        metavar="URL",
        help="with --entries: the instance whose published checkpoint the entries must match",
    )
    lc = add_command(
        actions, "checkpoint", ledger_cli.cmd_checkpoint, "sign the ledger's size and root"
    )
    lc.add_argument("--every", type=float, metavar="SECONDS", help="repeat until Ctrl-C")
    lc.add_argument("--times", type=int, metavar="N", help="with --every: stop after N rounds")
    lc.add_argument("--output", metavar="FILE", help="write the latest checkpoint JSON here")
    le = add_command(
        actions, "export-entries", ledger_cli.cmd_export_entries, "export entries as JSONL"
    )
    le.add_argument("file", metavar="FILE", help="output file, - for standard output")
    la = add_command(
        actions,
        "audit",
        _audit,
        "compare the public state with the fold of the ledger (exit 1 naming each difference)",
    )
    la.add_argument(
        "--limit", type=int, default=50, metavar="N", help="print at most N differences"
    )


def _audit(args: Any) -> int:
    from commonground.cli.base import setup_django

    setup_django()
    from commonground.opendata.ledger_audit import cmd_audit

    return cmd_audit(args)
