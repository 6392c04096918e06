"""``commonground peer add URL [--fingerprint HEX] [--replace] [--no-witness] | list | remove
URL``: the operator pins other instances' keys and witnesses their ledgers
(docs/federation.md, "Peering"); ``commonground federation audit URL`` checks what a peer
says it received from here against this ledger."""

from __future__ import annotations

import argparse
from typing import Any

from commonground.cli.base import add_command, setup_django


def cmd_peer_add(args: argparse.Namespace) -> int:
    setup_django()
    from django.utils.translation import gettext as _

    from commonground.federation.peering import add_peer

    witness = not args.no_witness
    peer, outcome = add_peer(
        args.url, fingerprint=args.fingerprint, replace=args.replace, witness=witness
    )
    lines = {
        "added": _("pinned %(url)s (%(name)s)"),
        "unchanged": _("%(url)s (%(name)s) is pinned already with this key"),
        "replaced": _("re-pinned %(url)s (%(name)s) with its new key"),
    }
    print(lines[outcome] % {"url": peer.url, "name": peer.name})
    print(_("key fingerprint (SHA-256): %(fingerprint)s") % {"fingerprint": peer.fingerprint})
    if witness:
        line = _(
            "witnessing %(url)s: its checkpoints are checked and co-signed on the worker's "
            "schedule (or now with: commonground witness run)"
        )
        print(line % {"url": peer.url})
    return 0


def cmd_peer_list(args: argparse.Namespace) -> int:
    setup_django()
    from django.utils.translation import gettext as _

    from commonground.federation.models import Peer

    peers = list(Peer.objects.all())
    if not peers:
        print(_("no peers"))
    for peer in peers:
        pinned = peer.pinned_at.strftime("%Y-%m-%d %H:%M UTC")
        print(f"{peer.url}  {peer.name}  {peer.fingerprint}  {pinned}")
    return 0


def cmd_peer_remove(args: argparse.Namespace) -> int:
    setup_django()
    from django.utils.translation import gettext as _

    from commonground.federation.peering import remove_peer

    print(_("removed %(url)s: its key is no longer trusted") % {"url": remove_peer(args.url)})
    return 0


def cmd_federation_audit(args: argparse.Namespace) -> int:
    setup_django()
    from django.utils.translation import gettext as _

    from commonground.federation.audit import audit

    findings = audit(args.url)
    print(f"{_('direction'):<9} {_('delivery'):<32} {_('seq'):>8}  {_('result')}")
    for f in findings:
        seq = "-" if f.seq is None else str(f.seq)
        print(f"{f.direction:<9} {f.delivery[:32]:<32} {seq:>8}  {f.result}")
    bad = sum(not f.ok for f in findings)
    if bad:
        print(_("%(bad)s of %(all)s forwards do not match") % {"bad": bad, "all": len(findings)})
        return 1
    print(_("federation audit OK: %(n)s forwards checked both ways") % {"n": len(findings)})
    return 0


def register(sub: Any) -> None:
    """Add ``peer`` and ``federation`` to the command's sub-parsers."""
    federation = sub.add_parser(
        "federation", help="check forwards exchanged with peers", description="federation"
    ).add_subparsers(dest="sub", required=True, metavar="ACTION")
    audit = add_command(
        federation, "audit", cmd_federation_audit,
        "check every forward a peer received from here against this ledger, and the reverse",
    )  # fmt: skip
    audit.add_argument("url", metavar="URL")
    peer = sub.add_parser(
        "peer", help="pin other instances' keys (federation)", description="peering"
    ).add_subparsers(dest="sub", required=True, metavar="ACTION")
    add = add_command(peer, "add", cmd_peer_add, "fetch an instance's key and pin it")
    add.add_argument("url", metavar="URL")
    add.add_argument("--fingerprint", metavar="HEX", help="refuse a key with another SHA-256")
    add.add_argument(
        "--replace", action="store_true", help="pin the peer's new key in place of the old one"
    )
    add.add_argument(
        "--no-witness",
        action="store_true",
        help="do not witness the peer's ledger (by default peers witness each other)",
    )
    add_command(peer, "list", cmd_peer_list, "list the pinned peers")
    remove = add_command(peer, "remove", cmd_peer_remove, "forget a peer and its key")
    remove.add_argument("url", metavar="URL")
