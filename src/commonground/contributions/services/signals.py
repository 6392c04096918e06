"""Signals of concern: a government or IGO member's formal concern about an issue."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commonground.access.members import AnyUser, require_member
from commonground.contributions import events
from commonground.contributions.models import Kind, Priority, Report, Signal
from commonground.contributions.services.common import (
    MAX_JURISDICTION,
    MAX_STATEMENT,
    SIGNAL_GROUPS,
    SIGNAL_ROLE,
    _issue_locked,
    _notify,
    _require_author,
    _require_open,
    _require_role,
    _text,
)
from commonground.core.errors import Conflict, InvalidInput, NotAllowed
from commonground.core.markdown import render_markdown
from commonground.issues.models import Issue
from commonground.ledger.services import append
from commonground.notifications import limits
from commonground.participants.models import Membership
from commonground.stakeholders import region_of

_ACRONYM = re.compile(r"^[A-Za-z][A-Za-z0-9&.\- ]{1,39}$")


# ---------------------------------------------------------------- signals


def _clean_signal(
    membership: Membership, jurisdiction: str, priority: str, statement: str
) -> tuple[str, str, str]:
    code = _text(jurisdiction, "jurisdiction", MAX_JURISDICTION)
    if membership.stakeholder_group == "government":
        code = code.upper()
        if region_of(code) is None:
            # Well-formed, but not what this member's group may signal for.
            raise NotAllowed(
                _(
                    "'%(code)s' is not a country: a government signals for an ISO 3166-1 alpha-2"
                    " country code, e.g. KE."
                )
                % {"code": code[:40]}
            )
    elif not _ACRONYM.match(code):
        raise InvalidInput(
            _(
                "The jurisdiction is the organization's acronym (letters, digits, spaces,"
                " '&', '.' or '-'), e.g. ITU."
            )
        )
    if priority not in Priority.values:
        raise InvalidInput(
            _("Unknown priority '%(priority)s'; choose one of %(choices)s.")
            % {"priority": priority, "choices": ", ".join(Priority)}
        )
    return code, priority, _text(statement, "statement", MAX_STATEMENT)


def signal_concern(
    user: AnyUser, issue: Issue, *, jurisdiction: str, priority: str, statement: str
) -> Signal:
    """A government or IGO member formally signals concern about an issue (one per issue)."""
    with transaction.atomic():
        issue = _issue_locked(issue)
        membership = require_member(user, issue.forum, lock=True)
        _require_role(membership, issue.forum, SIGNAL_GROUPS, SIGNAL_ROLE, "signal concern")
        _require_open(issue)
        code, priority, statement = _clean_signal(membership, jurisdiction, priority, statement)
        if Signal.objects.filter(issue=issue, author=membership).exists():
            raise Conflict(
                _("You have signalled concern about this issue already; edit it instead.")
            )
        limits.consume(membership, "signals_per_hour")
        try:
            with transaction.atomic():
                signal = Signal.objects.create(
                    issue=issue,
                    forum=issue.forum,
                    author=membership,
                    jurisdiction=code,
                    priority=priority,
                    statement=statement,
                    statement_html=render_markdown(statement),
                )
        except IntegrityError:
            raise Conflict(_("You have signalled concern about this issue already.")) from None
        append(events.signal_added(signal, membership, issue.forum.slug))
        _notify(
            issue,
            membership,
            Kind.SIGNAL,
            signal.pk,
            gettext_noop("%(name)s (%(group)s) signalled concern (%(code)s) on “%(title)s”"),
            code=code,
        )
    return signal


def edit_signal(
    user: AnyUser, signal: Signal, *, jurisdiction: str, priority: str, statement: str
) -> Signal:
    """The author changes their signal."""
    with transaction.atomic():
        membership = require_member(user, signal.forum, lock=True)
        signal = Signal.objects.select_for_update().select_related("issue__cycle").get(pk=signal.pk)
        _require_author(membership, signal, "signal")
        _require_role(membership, signal.forum, SIGNAL_GROUPS, SIGNAL_ROLE, "signal concern")
        _require_open(signal.issue)
        code, priority, statement = _clean_signal(membership, jurisdiction, priority, statement)
        limits.consume(membership, "edits_per_hour")
        signal.jurisdiction, signal.priority, signal.statement = code, priority, statement
        signal.statement_html = render_markdown(statement)
        signal.updated_at = timezone.now()
        signal.save()
        append(events.signal_edited(signal, membership, signal.forum.slug))
    return signal


def withdraw_signal(user: AnyUser, signal: Signal) -> None:
    """The author withdraws their signal; the row goes (the ledger keeps the history)."""
    with transaction.atomic():
        signal = Signal.objects.select_for_update().select_related("issue__cycle").get(pk=signal.pk)
        membership = require_member(user, signal.forum)
        _require_author(membership, signal, "signal")
        _require_open(signal.issue)
        pk, issue_id, forum_slug = signal.pk, signal.issue_id, signal.forum.slug
        Report.objects.filter(kind=Kind.SIGNAL, object_id=pk).delete()
        signal.delete()
        append(events.signal_withdrawn(pk, issue_id, membership, forum_slug))
