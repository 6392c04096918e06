"""``commonground forum``, ``cycle``, ``participant`` and ``manage``: the operator's commands."""

from __future__ import annotations

import argparse
from typing import Any

from commonground.cli import stewardship
from commonground.cli.base import add_command, forum_of, setup_django
from commonground.stakeholders import GROUPS


def cmd_forum_create(args: argparse.Namespace) -> int:
    setup_django()
    from commonground.core.errors import CliError
    from commonground.federation.remote import create_forum_under_remote_parent
    from commonground.forums.services import create_forum

    where = {"country": args.country or "", "region": args.region or ""}
    if args.parent_url:
        if args.parent:
            raise CliError("give --parent (a forum here) or --parent-url (on a peer), not both")
        forum = create_forum_under_remote_parent(
            stewardship.actor_of(args), slug=args.slug, name=args.name, level=args.level,
            parent_url=args.parent_url, **where,
        )  # fmt: skip
        print(f"created forum {forum.slug} ({forum.level}) under {args.parent_url}")
        return 0
    forum = create_forum(
        stewardship.actor_of(args),
        slug=args.slug,
        name=args.name,
        level=args.level,
        parent=args.parent,
        **where,
    )
    print(f"created forum {forum.slug} ({forum.level})")
    return 0


def cmd_cycle_open(args: argparse.Namespace) -> int:
    setup_django()
    from commonground.forums.services import open_cycle

    cycle = open_cycle(stewardship.actor_of(args), forum_of(args.forum), args.name)
    print(f"opened cycle {cycle.name} of {args.forum} in phase {cycle.phase}")
    return 0


def cmd_cycle_advance(args: argparse.Namespace) -> int:
    setup_django()
    from commonground.forums.services import advance_cycle

    forum = forum_of(args.forum)
    cycle = advance_cycle(stewardship.actor_of(args), forum, expected=args.to)
    state = cycle.phase if cycle.is_open else "closed"
    print(f"cycle {cycle.name} of {args.forum} is now {state}")
    return 0


def cmd_participant_create(args: argparse.Namespace) -> int:
    setup_django()
    from django.db import transaction

    from commonground.forums.services import join_forum
    from commonground.participants.services import (
        create_account,
        create_api_token,
        grant_steward,
        validate_hat,
    )

    forum = forum_of(args.forum)
    validate_hat(args.group, args.country)  # refuse before creating anything
    with transaction.atomic():
        user = create_account(args.email, args.password, display_name=args.name or "")
        membership = join_forum(user, forum, stakeholder_group=args.group, country=args.country)
        if args.steward:
            grant_steward(None, membership)
    role = "steward" if args.steward else "participant"
    print(f"created {args.email} as {role} of {forum.slug} ({args.group}, {membership.country})")
    if args.token:
        _, key = create_api_token(user, "CLI token")
        print(key)
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["commonground manage", *args.rest])
    return 0


def register(sub: Any) -> None:
    """Add ``forum``, ``cycle``, ``participant`` and ``manage`` to the command's sub-parsers."""
    forum = sub.add_parser("forum", help="manage forums").add_subparsers(
        dest="sub", required=True, metavar="ACTION"
    )
    fc = add_command(forum, "create", cmd_forum_create, "create a forum")
    fc.add_argument("slug")
    fc.add_argument("--name", required=True)
    fc.add_argument(
        "--level", required=True, choices=["global", "regional", "national", "subnational", "youth"]
    )
    fc.add_argument("--parent", help="the slug of the forum above, on this instance")
    fc.add_argument(
        "--parent-url", metavar="URL", help="the page of the forum above, on a pinned peer"
    )
    fc.add_argument("--country")
    fc.add_argument("--region")
    stewardship.add_as(fc)
    stewardship.register_forum(forum)

    cycle = sub.add_parser("cycle", help="open and advance cycles").add_subparsers(
        dest="sub", required=True, metavar="ACTION"
    )
    co = add_command(cycle, "open", cmd_cycle_open, "open a cycle with a call for issues")
    co.add_argument("forum")
    co.add_argument("name")
    ca = add_command(cycle, "advance", cmd_cycle_advance, "move the open cycle to its next phase")
    ca.add_argument("forum")
    ca.add_argument(
        "--to", metavar="PHASE", help="the phase you expect next (closed: the end); else refused"
    )
    stewardship.add_as(ca)
    stewardship.add_as(co)
    stewardship.register_cycle(cycle)

    participant = sub.add_parser("participant", help="manage participants").add_subparsers(
        dest="sub", required=True, metavar="ACTION"
    )
    pc = add_command(
        participant, "create", cmd_participant_create, "create an account and join a forum"
    )
    pc.add_argument("email")
    pc.add_argument("--forum", required=True)
    pc.add_argument("--group", required=True, choices=GROUPS)
    pc.add_argument("--country", required=True, help="ISO 3166-1 alpha-2 code, e.g. KE")
    pc.add_argument("--name", help="display name")
    pc.add_argument("--password", help="password (default: none, log in by reset link)")
    pc.add_argument("--steward", action="store_true", help="make the participant a steward")
    pc.add_argument("--token", action="store_true", help="print a new API token last")
    stewardship.register_participant(participant)

    manage = add_command(sub, "manage", cmd_manage, "run a Django management command")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
