"""Reading helpers of the API: batched serialization (lookups are ``access.lookup``'s).

Lists are serialized from a page of rows with a fixed number of queries, whatever
the page size: related rows come through ``select_related``/``prefetch_related``
and the per-group tallies and the caller's supports of a whole page are read in
one query each.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from commonground.access.lookup import get_issue
from commonground.access.members import AnyUser
from commonground.core.errors import InvalidInput
from commonground.forums.models import Cycle, Forum
from commonground.issues import translating
from commonground.issues.models import Issue, Support
from commonground.issues.queries import tallies_for
from commonground.issues.translations import ISSUE
from commonground.participants.models import Membership
from commonground.recognition.models import AgendaPublication
from commonground.stakeholders import GROUPS, REGIONS


def query_text(name: str, value: str | None) -> str:
    """A free-text query parameter, stripped; NUL characters are refused."""
    value = (value or "").strip()
    if "\x00" in value:
        raise InvalidInput(
            _("The %(name)s parameter must not contain NUL characters.") % {"name": name}
        )
    return value


def zero_groups() -> dict[str, int]:
    """A count of zero for each of the six groups, in the canonical order."""
    return dict.fromkeys(GROUPS, 0)


def zero_regions() -> dict[str, int]:
    """A count of zero for each of the five regions, in the canonical order."""
    return dict.fromkeys(REGIONS, 0)


def open_cycles_prefetch() -> Prefetch:
    """Prefetch a forum's open cycle into the attribute ``Forum.open_cycle`` reads."""
    return Prefetch("cycles", queryset=Cycle.objects.filter(is_open=True), to_attr="_open_cycles")


def cycle_ref(cycle: Cycle | None) -> dict[str, Any] | None:
    if cycle is None:
        return None
    return {
        "id": cycle.pk,
        "name": cycle.name,
        "phase": cycle.phase,
        "phase_label": cycle.phase_label,
    }


def _remote_parent_url(forum: Forum) -> str | None:
    """The URL of a forum's parent on another instance (``remote_parent__remote`` should be
    select_related; a forum without one has no row)."""
    try:
        return str(forum.remote_parent.remote.url)
    except ObjectDoesNotExist:
        return None


def forum_summary(forum: Forum) -> dict[str, Any]:
    """The list view of a forum (parent must be select_related, open cycle prefetched)."""
    return {
        "slug": forum.slug,
        "name": forum.name,
        "level": forum.level,
        "parent": forum.parent.slug if forum.parent_id and forum.parent else None,
        "parent_url": _remote_parent_url(forum),
        "country": forum.country,
        "region": forum.region,
        "open_cycle": cycle_ref(forum.open_cycle),
    }


def tallies_of(issue_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """Per-group supports of several issues, from the tally columns, in one query."""
    result = {issue_id: zero_groups() for issue_id in issue_ids}
    result.update(tallies_for(issue_ids))
    return result


def supported_by(user: AnyUser, issue_ids: Sequence[int]) -> set[int] | None:
    """Which of the issues the user supports (one query); None for an anonymous caller."""
    if not user.is_authenticated:
        return None
    return set(
        Support.objects.filter(issue_id__in=issue_ids, membership__user=user).values_list(
            "issue_id", flat=True
        )
    )


def author_of(membership: Membership) -> dict[str, Any]:
    """The public face of an issue's author (membership with its user)."""
    return {
        "id": membership.user.public_id,
        "name": membership.user.public_name,
        "stakeholder_group": membership.stakeholder_group,
        "verified": membership.verified,
    }


def kind_out(kind: translating.Kind, translation: Any) -> dict[str, Any]:
    """One community translation of any kind, serialized (author with its user)."""
    return {
        "id": translation.pk,
        kind.parent: getattr(translation, f"{kind.parent}_id"),
        "language": translation.language,
        "title": translation.title,
        kind.body: getattr(translation, kind.body),
        f"{kind.body}_html": getattr(translation, f"{kind.body}_html"),
        "author": author_of(translation.author),
        "created_at": translation.created_at,
        "updated_at": translation.updated_at,
        "hidden": translation.hidden,
        "stale": translation.stale,
    }


def issues_out(issues: Iterable[Issue], user: AnyUser) -> list[dict[str, Any]]:
    """Serialize issues from ``issue_queryset()`` with three extra queries in total (the
    tallies, the caller's supports, the translations shown in the caller's language)."""
    rows = list(issues)
    ids = [issue.pk for issue in rows]
    tallies = tallies_of(ids) if ids else {}
    mine = supported_by(user, ids) if ids else (None if not user.is_authenticated else set())
    shown = translating.shown_translations(ISSUE, rows, get_language() or "") if ids else {}
    return [
        {
            "id": issue.pk,
            "forum": issue.forum.slug,
            "cycle": cycle_ref(issue.cycle),
            "title": issue.title,
            "description": issue.description,
            "description_html": issue.description_html,
            "language": issue.language,
            "topics": [
                {"slug": t.slug, "label": t.label, "is_sdg": t.is_sdg} for t in issue.topics.all()
            ],
            "raised_at": issue.raised_at,
            "updated_at": issue.updated_at,
            "author": author_of(issue.author),
            "support_count": issue.support_count,
            "supports_by_group": tallies[issue.pk],
            "supported_by_me": None if mine is None else issue.pk in mine,
            "translation": kind_out(ISSUE, shown[issue.pk]) if issue.pk in shown else None,
        }
        for issue in rows
    ]


def issue_out(issue: Issue, user: AnyUser) -> dict[str, Any]:
    """One issue, serialized (re-read so counts reflect the latest writes)."""
    return issues_out([get_issue(issue.pk)], user)[0]


def membership_out(membership: Membership, *, own: bool, issues_raised: int) -> dict[str, Any]:
    """A membership as shown on a profile (forum must be select_related).

    ``own`` adds what only the member sees about it (its status).
    """
    data: dict[str, Any] = {
        "forum": membership.forum.slug,
        "forum_name": membership.forum.name,
        "stakeholder_group": membership.stakeholder_group,
        "verified": membership.verified,
        "country": membership.country,
        "region": membership.region,
        "role": membership.role,
        "affiliation": membership.affiliation,
        "other_hats": list(membership.other_hats or []),
        "joined_at": membership.joined_at,
        "issues_raised": issues_raised,
    }
    if own:
        data["status"] = membership.status
    return data


def publication_out(s: AgendaPublication) -> dict[str, Any]:
    """A published agenda snapshot (select its cycle and publisher with it)."""
    return {
        "number": s.number,
        "cycle": s.cycle.name,
        "published_at": s.published_at,
        "published_by": s.published_by.public_id if s.published_by else None,
        "settings": s.settings,
        "agenda": s.agenda,
        "issues": s.entries,
    }
