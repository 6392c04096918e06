"""What the contribution services share: limits, settings, checks, the ledger record.

See the package's docstring for the rules every service follows.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.db import connections, router
from django.utils.translation import gettext as _

from commonground.contributions.models import (
    Advice,
    Comment,
    ContributionSettings,
    Kind,
    Signal,
    Solution,
)
from commonground.core import rows
from commonground.core.errors import InvalidInput, NotAllowed, NotFound, WrongPhase
from commonground.core.labels import group_label
from commonground.forums.models import Forum
from commonground.issues.models import Issue
from commonground.notifications import services as notifications
from commonground.participants.models import Membership

SIGNAL_GROUPS: tuple[str, ...] = ("government", "intergovernmental")
ADVICE_GROUPS: tuple[str, ...] = ("academic_technical", "internet_institution")
SIGNAL_ROLE = "government and intergovernmental members"
ADVICE_ROLE = "academic & technical community and Internet institution members"

MAX_JURISDICTION = 40
MAX_STATEMENT = 5000
MAX_TITLE = 200
MAX_DESCRIPTION = 10_000
MAX_ACTORS = 12
MAX_ACTOR = 120
MAX_ADVICE_TEXT = 3000
MAX_EVIDENCE = 10
MAX_URL = 500
MAX_COMMENT = 5000
MAX_NOTE = 500
MAX_REASON = 500

MODELS: dict[str, type[Signal | Solution | Advice | Comment]] = {
    Kind.SIGNAL: Signal,
    Kind.SOLUTION: Solution,
    Kind.ADVICE: Advice,
    Kind.COMMENT: Comment,
}


# ---------------------------------------------------------------- settings


@cache
def _settings_statement(using: str) -> str:
    quote = connections[using].ops.quote_name
    table = quote(ContributionSettings._meta.db_table)
    columns = rows.columns(ContributionSettings, "s", using)
    return f"SELECT {columns} FROM {table} s WHERE s.forum_id = %s"


def settings_of(forum: Forum) -> ContributionSettings:
    """The forum's contribution settings; the defaults (unsaved) when never edited.

    One plain statement (commonground.core.rows), read where the ORM would read it: the
    issue page's contributions section reads the settings on every render, and the ORM's
    query cost about 0.33 ms of CPU against 0.06 ms for the statement (docs/performance.md,
    issue 19)."""
    using = router.db_for_read(ContributionSettings)
    with connections[using].cursor() as cursor:
        cursor.execute(_settings_statement(using), [forum.pk])
        row = cursor.fetchone()
    if row is None:
        found = rows.unsaved(ContributionSettings, forum_id=forum.pk)
    else:
        found = rows.instance(ContributionSettings, row, using)
    rows.cache_related(found, "forum", forum)
    return found


# ---------------------------------------------------------------- shared checks


def _require_open(issue: Issue) -> None:
    if not issue.cycle.is_open:
        raise WrongPhase(
            _("The cycle %(name)s is closed; it takes no contributions.")
            % {"name": issue.cycle.name}
        )


def _require_role(
    membership: Membership, forum: Forum, groups: tuple[str, ...], role: str, verb: str
) -> None:
    if membership.stakeholder_group not in groups:
        raise NotAllowed(_("Only %(role)s can %(verb)s.") % {"role": role, "verb": verb})
    if settings_of(forum).verified_required_for_signals_and_advice and not membership.verified:
        raise NotAllowed(
            _("Only %(role)s whose stakeholder group is verified can %(verb)s in %(name)s.")
            % {"role": role, "verb": verb, "name": forum.name}
        )


def _require_author(membership: Membership, item: Any, what: str) -> None:
    if item.author_id != membership.pk:
        raise NotAllowed(_("Only the author can change this %(what)s.") % {"what": what})


def _text(value: str | None, name: str, limit: int, *, required: bool = True) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        raise InvalidInput(_("The %(name)s must not contain NUL characters.") % {"name": name})
    if required and not text:
        raise InvalidInput(_("The %(name)s is required.") % {"name": name})
    if len(text) > limit:
        raise InvalidInput(
            _("The %(name)s is %(length)s characters; the limit is %(limit)s.")
            % {"name": name, "length": len(text), "limit": format(limit, ",")}
        )
    return text


def visible_to(item: Any, membership: Membership | None) -> bool:
    """Hidden contributions are seen only by their author and the forum's stewards."""
    if not item.hidden:
        return True
    return membership is not None and (membership.is_steward or item.author_id == membership.pk)


def _issue_locked(issue: Issue) -> Issue:
    return Issue.objects.select_related("cycle", "forum").get(pk=issue.pk)


# ---------------------------------------------------------------- following


def _notify(
    issue: Issue, actor: Membership, kind: str, pk: int, message: str, **values: str
) -> None:
    """Tell the issue's followers (not the actor) about a new contribution; the actor follows.

    ``message`` (marked with ``gettext_noop``) names ``name``, ``group`` and ``title``; each
    follower reads it in their language."""

    text = notice(issue.title, actor, message, **values)
    notifications.notify_followers(issue, actor, kind=kind, object_id=pk, text=text)


def notice(title: str, actor: Membership, message: str, **values: str) -> Callable[[], str]:
    """The text of ``_notify``'s notifications, written in the active language when called."""

    def text() -> str:
        return _(message) % {
            "name": actor.user.public_name,
            "group": group_label(actor.stakeholder_group),
            "title": title,
            **values,
        }

    return text


def _solution_for(membership: Membership, solution: Solution) -> Solution:
    solution = Solution.objects.select_related("issue__cycle", "forum").get(pk=solution.pk)
    if not visible_to(solution, membership):
        raise NotFound(_("There is no such solution."))
    return solution


def get_item(kind: str, pk: int) -> Any:
    """The contribution of this kind and id, or NotFound."""
    model = MODELS.get(kind)
    if model is None:
        raise NotFound(_("Unknown kind of contribution '%(kind)s'.") % {"kind": kind[:20]})
    item = model.objects.select_related("forum", "author__user").filter(pk=pk).first()
    if item is None:
        raise NotFound(
            _("There is no %(lower)s %(pk)s.") % {"lower": Kind(kind).label.lower(), "pk": pk}
        )
    return item


def issue_id_of(kind: str, item: Any) -> int:
    return int(item.solution.issue_id if kind == Kind.ADVICE else item.issue_id)
