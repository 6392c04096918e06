"""The steward's acts on the command line: settings, phases, the agenda, members, moderation.

Each command calls the same service as the web page and the API. By default the operator
acts (as for ``forum create``); ``--as EMAIL`` acts as that account instead, whose
stewardship the service checks. Acts that a steward must sign (moderation, suspension)
need ``--as``.
"""

from __future__ import annotations

import argparse
from typing import Any

from django.utils.translation import gettext as _

from commonground.cli.base import add_command, forum_of, setup_django
from commonground.core.errors import CliError

TRUE, FALSE = {"true", "yes", "on", "1"}, {"false", "no", "off", "0"}


def actor_of(args: argparse.Namespace, *, required: bool = False) -> Any:
    """The account named by ``--as`` (None: the operator), or a one-line refusal."""
    email = getattr(args, "as_email", None)
    if not email:
        if required:
            raise CliError(_("name the acting steward with --as EMAIL"))
        return None
    from commonground.participants.models import User

    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise CliError(_("no account with the e-mail %(email)s") % {"email": email})
    return user


def _parse_setting(pair: str) -> tuple[str, Any]:
    from commonground.forums.forum_settings import BY_NAME

    name, sep, text = pair.partition("=")
    setting = BY_NAME.get(name.strip())
    if not sep or setting is None:
        names = ", ".join(BY_NAME)
        raise CliError(
            _("%(pair)s: give NAME=VALUE, NAME one of %(names)s") % {"pair": pair, "names": names}
        )
    try:
        if setting.kind is bool:
            if text.lower() not in TRUE | FALSE:
                raise ValueError(text)
            return setting.name, text.lower() in TRUE
        if setting.kind in (int, float):
            return setting.name, setting.kind(text)
    except ValueError:
        kinds = {bool: _("true or false"), int: _("a whole number"), float: _("a number")}
        raise CliError(
            _("%(name)s: give %(kind)s") % {"name": setting.name, "kind": kinds[setting.kind]}
        ) from None
    return setting.name, text


def cmd_forum_settings(args: argparse.Namespace) -> int:
    """Show the forum's settings, or change those given as NAME=VALUE."""
    setup_django()
    from commonground.forums.forum_settings import current, update_settings

    forum = forum_of(args.forum)
    if args.changes:
        changes = dict(_parse_setting(pair) for pair in args.changes)
        forum = update_settings(actor_of(args), forum, changes)
    for name, value in current(forum).items():
        shown = str(value).lower() if isinstance(value, bool) else value
        print(f"{name} = {shown}" if name != "description" else f"{name} = {value[:60]!r}")
    return 0


def add_as(parser: Any) -> None:
    parser.add_argument(
        "--as", dest="as_email", metavar="EMAIL", help="act as this steward (default: operator)"
    )


def register_forum(forum: Any) -> None:
    """Add ``forum settings`` to the ``forum`` command's actions."""
    fs = add_command(
        forum, "settings", cmd_forum_settings, "show a forum's settings or change some"
    )
    fs.add_argument("forum")
    fs.add_argument("changes", nargs="*", metavar="NAME=VALUE")
    add_as(fs)


def _member(forum: Any, who: str) -> Any:
    """The forum's membership of a participant named by public id or e-mail."""
    from commonground.participants.models import Membership

    rows = Membership.objects.filter(forum=forum).select_related("user", "forum")
    found = rows.filter(user__public_id=who).first() or rows.filter(user__email__iexact=who).first()
    if found is None:
        message = _("%(who)s is not a member of %(forum)s")
        raise CliError(message % {"who": who, "forum": forum.slug})
    return found


def cmd_cycle_correct(args: argparse.Namespace) -> int:
    setup_django()
    from commonground.forums.phase_changes import correct_phase

    cycle = correct_phase(actor_of(args), forum_of(args.forum), args.phase, args.reason)
    print(_("cycle %(cycle)s of %(forum)s is back in %(phase)s") % {
        "cycle": cycle.name, "forum": args.forum, "phase": cycle.phase,
    })  # fmt: skip
    return 0


def cmd_agenda_publish(args: argparse.Namespace, forum_slug: str) -> int:
    setup_django()
    from commonground.recognition.services import publish_agenda

    publication = publish_agenda(actor_of(args, required=True), forum_of(forum_slug))
    print(_("published agenda #%(number)s of %(forum)s: %(count)s issues") % {
        "number": publication.number, "forum": forum_slug, "count": len(publication.agenda),
    })  # fmt: skip
    return 0


def cmd_participant_verify(args: argparse.Namespace) -> int:
    setup_django()
    from commonground.participants.services import set_verified

    membership = _member(forum_of(args.forum), args.participant)
    membership = set_verified(actor_of(args, required=True), membership, not args.undo)
    state = _("verified") if membership.verified else _("not verified")
    print(f"{membership.user.public_id} ({membership.stakeholder_group}): {state}")
    return 0


def cmd_participant_suspend(args: argparse.Namespace) -> int:
    setup_django()
    from commonground.contributions.services import set_suspended

    membership = _member(forum_of(args.forum), args.participant)
    membership = set_suspended(
        actor_of(args, required=True), membership, suspended=not args.lift, reason=args.reason
    )
    print(f"{membership.user.public_id} in {args.forum}: {membership.status}")
    return 0


def cmd_moderation_queue(args: argparse.Namespace) -> int:
    setup_django()
    import json

    from commonground.contributions.moderation import open_reports

    entries, total = open_reports(actor_of(args, required=True), forum_of(args.forum))
    rows = [
        {
            "kind": e.kind, "id": e.item.pk, "issue": e.issue_id, "hidden": e.item.hidden,
            "open_reports": e.count, "reasons": e.reasons,
        }
        for e in entries
    ]  # fmt: skip
    if args.format == "json":
        print(json.dumps({"count": total, "items": rows}, indent=2))
        return 0
    for row in rows:
        reasons = ", ".join(f"{r} {n}" for r, n in row["reasons"].items())
        state = _("hidden") if row["hidden"] else _("visible")
        print(f"{row['kind']} {row['id']} (issue {row['issue']}, {state}): {reasons}")
    print(_("%(count)s contributions with open reports") % {"count": total})
    return 0


def cmd_moderation_act(args: argparse.Namespace) -> int:
    setup_django()
    from commonground.access.lookup import get_contribution
    from commonground.contributions.moderation import dismiss_reports
    from commonground.contributions.services import moderate

    steward = actor_of(args, required=True)
    item = get_contribution(args.kind, args.id)
    if args.sub == "dismiss":
        closed = dismiss_reports(steward, args.kind, item, reason=args.reason)
        print(_("%(count)s reports of %(kind)s %(id)s dismissed") % {
            "count": closed, "kind": args.kind, "id": args.id,
        })  # fmt: skip
        return 0
    moderate(steward, args.kind, item, hide=args.sub == "hide", reason=args.reason)
    done = _("hidden") if args.sub == "hide" else _("restored")
    print(f"{args.kind} {args.id}: {done}")
    return 0


def register_cycle(cycle: Any) -> None:
    """Add ``cycle correct`` to the ``cycle`` command's actions."""
    cc = add_command(
        cycle, "correct", cmd_cycle_correct, "move the open cycle back to an earlier phase"
    )
    cc.add_argument("forum")
    cc.add_argument("phase", help="an earlier phase of the open cycle")
    cc.add_argument("--reason", required=True, help="why (public, in the ledger)")
    add_as(cc)


def register_participant(participant: Any) -> None:
    """Add ``participant verify`` and ``participant suspend``."""
    pv = add_command(
        participant, "verify", cmd_participant_verify, "verify a member's stakeholder group"
    )
    pv.add_argument("forum")
    pv.add_argument("participant", help="public id or e-mail")
    pv.add_argument("--undo", action="store_true", help="withdraw the verification")
    add_as(pv)
    ps = add_command(participant, "suspend", cmd_participant_suspend, "suspend a member")
    ps.add_argument("forum")
    ps.add_argument("participant", help="public id or e-mail")
    ps.add_argument("--reason", required=True)
    ps.add_argument("--lift", action="store_true", help="lift the suspension instead")
    add_as(ps)


def register(sub: Any) -> None:
    """Add ``moderation`` (queue, hide, restore, dismiss) to the command's sub-parsers."""
    moderation = sub.add_parser(
        "moderation", help="the stewards' moderation queue and acts"
    ).add_subparsers(dest="sub", required=True, metavar="ACTION")
    mq = add_command(
        moderation, "queue", cmd_moderation_queue, "list contributions with open reports"
    )
    mq.add_argument("forum")
    mq.add_argument("--format", choices=["table", "json"], default="table")
    add_as(mq)
    for action, text in (
        ("hide", "hide a contribution, with a public reason"),
        ("restore", "restore a hidden contribution, with a public reason"),
        ("dismiss", "dismiss a contribution's open reports, with a reason"),
    ):
        p = add_command(moderation, action, cmd_moderation_act, text)
        p.add_argument("kind", choices=["signal", "solution", "advice", "comment"])
        p.add_argument("id", type=int)
        p.add_argument("--reason", required=True)
        add_as(p)
