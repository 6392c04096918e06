"""Forwarding an agenda issue up the forum tree (docs/network.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.access.lookup import open_cycle_of
from commonground.access.members import AnyUser, require_steward
from commonground.access.rules import require_ancestor, require_not_merged, require_phase
from commonground.core.errors import Conflict
from commonground.core.markdown import render_markdown
from commonground.forums.models import Cycle, Forum
from commonground.forums.services import join_forum
from commonground.issues.events import issue_raised
from commonground.issues.models import Issue
from commonground.issues.services import topics_from_slugs
from commonground.ledger.services import append
from commonground.network.events import issue_forwarded
from commonground.network.models import Forward
from commonground.network.provenance import origins_of
from commonground.notifications.services import follow, notify_followers
from commonground.participants.models import Membership
from commonground.recognition.models import AgendaPublication


@dataclass(frozen=True)
class AgendaPlace:
    """Where an issue stood on the latest published agenda of its forum."""

    publication: AgendaPublication
    rank: int
    entry: dict[str, Any]


def latest_publication(forum: Forum) -> AgendaPublication | None:
    """The forum's latest published agenda: the last publication of its most recent cycle
    (a past cycle's agenda published later, say when records are filled in, is not it)."""
    return (
        AgendaPublication.objects.filter(cycle__forum=forum)
        .select_related("cycle")
        .order_by("-cycle__opened_at", "-number")
        .first()
    )


def agenda_place(issue: Issue) -> AgendaPlace | None:
    """The issue's rank and frozen figures on its forum's latest published agenda, if on it."""
    publication = latest_publication(issue.forum)
    if publication is None or str(issue.pk) not in publication.agenda:
        return None
    rank = publication.agenda.index(str(issue.pk)) + 1
    entry = next(e for e in publication.entries if str(e["issue_id"]) == str(issue.pk))
    return AgendaPlace(publication, rank, entry)


def require_on_agenda(issue: Issue) -> AgendaPlace:
    place = agenda_place(issue)
    if place is None:
        raise Conflict(
            _("Only an issue on %(forum)s's latest published agenda can be forwarded; "
              "issue %(id)s is not on it.")
            % {"forum": issue.forum.name, "id": issue.pk}
        )  # fmt: skip
    return place


def _require_not_forwarded(issue: Issue, target: Forum) -> None:
    existing = Forward.objects.filter(
        source_instance="", source_forum=issue.forum.slug, source_kind=Forward.Kind.ISSUE,
        source_id=issue.pk, target_forum=target,
    ).first()  # fmt: skip
    if existing is not None:
        raise Conflict(
            _("Issue %(id)s was forwarded to %(target)s already: it is issue %(existing)s there.")
            % {"id": issue.pk, "target": target.name, "existing": existing.target_issue_id}
        )


def _author_in(target: Forum, steward: Membership) -> Membership:
    """The forwarding steward's membership in the target, joined with their hat if needed.

    The target's issue needs an author; the steward who forwards it answers for it there.
    """
    membership = Membership.objects.filter(forum=target, user=steward.user).first()
    if membership is None:
        membership = join_forum(
            steward.user, target, stakeholder_group=steward.stakeholder_group,
            country=steward.country,
        )  # fmt: skip
    return membership


def _notify(forward: Forward, source: Issue, target_issue: Issue, author: Membership) -> None:
    """The target's stewards follow the new issue and are told; so are the source's followers."""

    def text() -> str:  # in each recipient's language
        return _("%(source)s forwarded “%(title)s” to %(target)s.") % {
            "source": forward.source_forum_name,
            "title": forward.title[:120],
            "target": forward.target_forum.name,
        }

    stewards = Membership.objects.filter(
        forum=forward.target_forum, role=Membership.Role.STEWARD, status=Membership.Status.ACTIVE
    )
    for steward in stewards:
        follow(steward, target_issue)
    notify_followers(target_issue, author, kind="forward", object_id=forward.pk, text=text)
    source_steward = Membership.objects.get(forum=source.forum, user=author.user)
    notify_followers(source, source_steward, kind="forward", object_id=forward.pk, text=text)


def create_forwarded_issue(
    cycle: Cycle,
    author: Membership,
    title: str,
    description: str,
    language: str,
    topics: list[str],
    now: datetime,
) -> Issue:
    """The target's new issue of a forward (local or from another instance), in its open
    cycle, with the topics known here; the cycle's tallies are bumped."""
    target_issue = Issue.objects.create(
        cycle=cycle, forum=cycle.forum, author=author, title=title,
        description=description, description_html=render_markdown(description),
        language=language, raised_at=now, updated_at=now,
    )  # fmt: skip
    target_issue.topics.set(topics_from_slugs(topics))
    Cycle.objects.filter(pk=cycle.pk).update(tally_version=F("tally_version") + 1)
    return target_issue


def forward_record(
    steward: Membership,
    issue: Issue,
    kind: str,
    source_id: int,
    title: str,
    description: str,
    place: AgendaPlace | None,
    now: datetime,
    instance: str = "",
) -> Forward:
    """The frozen record of a forward, unsaved and without its target (docs/network.md).

    ``instance`` is this instance's public URL when the record leaves it (a forward to a
    forum on another instance, docs/federation.md); "" within one instance.
    """
    groups = place.entry.get("groups", {}) if place else {}
    return Forward(
        source_instance=instance,
        source_forum=issue.forum.slug,
        source_forum_name=issue.forum.name,
        source_level=issue.forum.level,
        source_country=issue.forum.country,
        source_region=issue.forum.region,
        source_kind=kind,
        source_id=source_id,
        source_issue_id=issue.pk,
        source_cycle=place.publication.cycle.name if place else issue.cycle.name,
        title=title,
        description=description,
        topics=[t.slug for t in issue.topics.all()],
        language=issue.language,
        publication_number=place.publication.number if place else None,
        published_at=place.publication.published_at if place else None,
        agenda_rank=place.rank if place else None,
        balanced_support=place.entry.get("balanced_support") if place else None,
        breadth=place.entry.get("breadth") if place else None,
        supports_by_group={g: v.get("supports", 0) for g, v in groups.items()},
        origins=origins_of(Forward.objects.filter(target_issue=issue)),
        forwarded_by=steward.user.public_id,
        forwarded_by_name=steward.user.recorded_name,
        forwarded_at=now,
    )


def _make_forward(
    steward: Membership,
    target: Forum,
    issue: Issue,
    kind: str,
    source_id: int,
    title: str,
    description: str,
    place: AgendaPlace | None,
) -> tuple[Forward, Membership]:
    """Create the target's issue and the frozen forward record, with their ledger entries.

    ``issue`` is the source issue (for a message, the issue it is about): its topics,
    language and provenance go along; ``place`` its figures on the latest published agenda.
    """
    cycle = open_cycle_of(target)
    require_phase(cycle, "receive_forward")
    author = _author_in(target, steward)
    now = timezone.now()
    topics = [t.slug for t in issue.topics.all()]
    target_issue = create_forwarded_issue(
        cycle, author, title, description, issue.language, topics, now
    )
    forward = forward_record(steward, issue, kind, source_id, title, description, place, now)
    forward.target_forum = target
    forward.target_issue = target_issue
    forward.created_issue_id = target_issue.pk
    try:
        with transaction.atomic():
            forward.save()
    except IntegrityError:
        # A concurrent forward of the same source to the same forum won the race.
        raise Conflict(
            _("This %(kind)s was forwarded to %(target)s already.")
            % {"kind": kind, "target": target.name}
        ) from None
    follow(author, target_issue)
    # The target forum's own record of the new issue (its ledger and open data show it
    # raised there by the steward who forwarded it), then the forward itself, which links
    # the two by their ids.
    append(issue_raised(target_issue, author, topics, now))
    append(issue_forwarded(forward, steward.user.public_id))
    return forward, author


def forward_issue(user: AnyUser, issue: Issue, target: Forum) -> Forward:
    """A steward forwards an issue of the forum's latest published agenda to a forum above.

    The target's open cycle (in its call for issues or agenda setting) gets a new issue
    with the same title, description, topics and language, and a :class:`Forward` record
    freezes where it came from and the published figures it had. Refused: not a steward
    (403), a target not above the forum (400), an issue not on the latest published agenda,
    already forwarded to that forum, or a target cycle that is closed or past taking
    issues (409). The target's recognition counts only its own supports.
    """
    with transaction.atomic():
        steward = require_steward(user, issue.forum)
        require_ancestor(issue.forum, target)
        require_not_merged(issue)
        place = require_on_agenda(issue)
        _require_not_forwarded(issue, target)
        forward, author = _make_forward(
            steward, target, issue, Forward.Kind.ISSUE, issue.pk, issue.title,
            issue.description, place,
        )  # fmt: skip
    # After the commit, as in a merge: notifications point at memberships that
    # concurrent supports lock.
    with transaction.atomic():
        _notify(forward, issue, forward.target_issue, author)
    return forward
