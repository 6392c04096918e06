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
