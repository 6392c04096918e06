"""``commonground import-polis DIR --forum SLUG [--issue ID]``: a Polis export as a conversation.

Bad input (no such folder, forum or issue; an unreadable export) exits 2 with one line
``error: ...`` on stderr and changes nothing.
"""

from __future__ import annotations

import argparse
import os
import sys

from django.utils.translation import gettext as _


def cmd_import_polis(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
    import django

    django.setup()
    from commonground.access.lookup import get_forum
    from commonground.core.errors import NotFound
    from commonground.issues.models import Issue
    from commonground.opendata.polis import PolisExportError
    from commonground.opendata.polis_import import import_polis

    forum = get_forum(args.forum)
    issue = None
    if args.issue is not None:
        issue = Issue.objects.filter(pk=args.issue).first()
        if issue is None:
            raise NotFound(_("No issue %(issue)s.") % {"issue": args.issue})
    # The first map replays Polis's history of updates (a bounded number of them).
    print(f"importing {args.dir} into {forum.slug} and replaying its history of votes...")
    try:
        result = import_polis(args.dir, forum, issue=issue, topic=args.topic or "")
    except PolisExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else "invalid export"
        print(f"error: {reason}", file=sys.stderr)
        return 2
    snapshot = result.snapshot
    groups = f", {snapshot.groups} opinion groups" if snapshot is not None else ""
    print(
        f"imported conversation {result.conversation.pk} into {forum.slug}: "
        f"{result.statements} statements, {result.participants} participants, "
        f"{result.votes} votes{groups}"
    )
    return 0
