"""The advisory group (its composition rule), conflicts of interest and blind scoring."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.access.members import AnyUser, require_member, require_steward
from commonground.access.rules import require_advisory_member, require_phase
from commonground.analysis.programme import CRITERIA, CompositionProblem, composition_problems
from commonground.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from commonground.core.percent import percent
from commonground.forums.models import Cycle, Forum
from commonground.ledger.services import append
from commonground.meetings.events import advisory_group_set, conflict_declared, session_scored
from commonground.meetings.models import (
    AdvisorySeat,
    DeclaredConflict,
    ReasonCode,
    Score,
    Session,
    SessionSettings,
)
from commonground.meetings.services.common import government_max_share, settings_of, text
from commonground.participants.models import Membership
from commonground.stakeholders import GROUPS

MAX_ADVISORY_MEMBERS = 500


def seats_by_group(memberships: Sequence[Membership]) -> dict[str, int]:
    """Seats per stakeholder group, all six named (IGO observers included)."""
    counts = Counter(m.stakeholder_group for m in memberships)
    return {g: counts.get(g, 0) for g in GROUPS}


def advisory_members(forum: Forum) -> list[Membership]:
    seats = AdvisorySeat.objects.filter(forum=forum).select_related("membership__user")
    return [s.membership for s in seats.order_by("membership__stakeholder_group", "appointed_at")]


def problem_text(problem: CompositionProblem, settings: SessionSettings) -> str:
    """The broken rule named with the counts that break it."""
    counts = problem.counts
    if problem.rule == "government_share":
        return _(
            "Composition rule government_share: governments may hold at most %(share)s of "
            "the seats (observers not counted); this group gives them %(gov)s of %(seats)s."
        ) % {
            "share": percent(settings.government_max_share, 1),
            "gov": counts["government"],
            "seats": counts["seats"],
        }
    return _(
        "Composition rule balanced_groups: civil society, private sector and the technical "
        "community may differ by at most %(diff)s seat(s); this group has civil society "
        "%(cs)s, private sector %(ps)s, technical community %(tc)s."
    ) % {
        "diff": settings.balanced_groups_max_difference,
        "cs": counts["civil_society"],
        "ps": counts["private_sector"],
        "tc": counts["technical_community"],
    }


def check_composition(forum: Forum, memberships: Sequence[Membership]) -> list[str]:
    """The texts of the composition rules these members would break as the group."""
    settings = settings_of(forum)
    problems = composition_problems(
        seats_by_group(memberships),
        government_max_share=government_max_share(settings),
        max_difference=settings.balanced_groups_max_difference,
    )
    return [problem_text(p, settings) for p in problems]


def set_advisory_group(user: AnyUser, forum: Forum, public_ids: Sequence[str]) -> list[Membership]:
    """A steward appoints the whole advisory group; a group that breaks the composition
    rule is refused, naming the rule and the counts, and nothing changes."""
    ids = list(dict.fromkeys(public_ids))
    if len(ids) > MAX_ADVISORY_MEMBERS:
        raise InvalidInput(
            _("An advisory group has at most %(n)s members.") % {"n": MAX_ADVISORY_MEMBERS}
        )
    with transaction.atomic():
        steward = require_steward(user, forum)
        members = list(
            Membership.objects.select_related("user").filter(forum=forum, user__public_id__in=ids)
        )
        found = {m.user.public_id for m in members}
        missing = [i for i in ids if i not in found]
        if missing:
            raise InvalidInput(
                _("No member '%(id)s' in %(forum)s.")
                % {"id": str(missing[0])[:40], "forum": forum.name}
            )
        inactive = [m for m in members if not m.is_active]
        if inactive:
            raise InvalidInput(
                _("%(name)s is suspended and cannot sit in the advisory group.")
                % {"name": inactive[0].user.public_name}
            )
        problems = check_composition(forum, members)
        if problems:
            raise InvalidInput(" ".join(problems))
        AdvisorySeat.objects.filter(forum=forum).exclude(membership__in=members).delete()
        kept = set(AdvisorySeat.objects.filter(forum=forum).values_list("membership_id", flat=True))
        now = timezone.now()  # the new seats' time and the entry's: one moment
        appointed = [m for m in members if m.pk not in kept]
        AdvisorySeat.objects.bulk_create(
            AdvisorySeat(forum=forum, membership=m, appointed_at=now) for m in appointed
        )
        append(
            advisory_group_set(
                forum.slug,
                actor=steward.user.public_id,
                members=sorted(found),
                seats_by_group=seats_by_group(members),
                appointed=sorted(m.user.public_id for m in appointed),
                time=now,
            )
        )
    return advisory_members(forum)


# ---------------------------------------------------------------- conflicts and the queue


def _same_organisation(a: str, b: str) -> bool:
    return bool(a.strip()) and a.strip().casefold() == b.strip().casefold()


def conflicted_session_ids(member: Membership, cycle: Cycle) -> set[int]:
    """Proposals the member may not score: declared conflicts, proposals naming them as a
    speaker, and proposals from their organisation."""
    declared = set(
        DeclaredConflict.objects.filter(member=member, session__cycle=cycle).values_list(
            "session_id", flat=True
        )
    )
    speaking = set(
        Session.objects.filter(cycle=cycle, speakers__participant=member).values_list(
            "pk", flat=True
        )
    )
    same_org: set[int] = set()
    if member.affiliation.strip():
        same_org = set(
            Session.objects.filter(
                cycle=cycle, proposer__affiliation__iexact=member.affiliation.strip()
            ).values_list("pk", flat=True)
        )
    return declared | speaking | same_org


def queue_for(member: Membership, cycle: Cycle) -> QuerySet[Session]:
    """The member's blind queue: screened-in proposals of the cycle minus their conflicts."""
    return (
        Session.objects.filter(cycle=cycle, status=Session.Status.SCREENED_IN)
        .exclude(pk__in=conflicted_session_ids(member, cycle))
        .exclude(proposer=member)
        .prefetch_related("issues", "speakers")
        .order_by("submitted_at", "id")
    )


def progress_of(member: Membership, cycle: Cycle) -> tuple[int, int]:
    """(scored, in the queue): "34 of 65 scored"."""
    queue = queue_for(member, cycle)
    scored = Score.objects.filter(member=member, session__in=queue).count()
    return scored, queue.count()


def _require_scorer(user: AnyUser, session: Session) -> Membership:
    member = require_member(user, session.forum)
    session.cycle.refresh_from_db(fields=["phase", "is_open"])
    session.refresh_from_db(fields=["status"])
    require_advisory_member(member)
    require_phase(session.cycle, "score_session")
    if session.status != Session.Status.SCREENED_IN:
        raise NotFound(_("No session %(id)s in your queue.") % {"id": session.pk})
    return member


def declare_conflict(user: AnyUser, session: Session) -> DeclaredConflict:
    """An advisory member declares a conflict: the proposal leaves their queue, and a score
    they gave it is removed."""
    with transaction.atomic():
        member = _require_scorer(user, session)
        conflict, created = DeclaredConflict.objects.get_or_create(session=session, member=member)
        if created:
            Score.objects.filter(session=session, member=member).delete()
            append(
                conflict_declared(session.pk, actor=member.user.public_id, forum=session.forum.slug)
            )
    return conflict


def _score_value(data: Mapping[str, Any], name: str) -> int:
    value = data.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
        raise InvalidInput(_("%(name)s is a whole number from 1 to 5.") % {"name": name})
    return value


def score_session(user: AnyUser, session: Session, data: Mapping[str, Any]) -> tuple[Score, bool]:
    """An advisory member scores a proposal from their queue (again, while evaluation lasts).

    Any criterion at or below the forum's threshold (3) needs a reason code and a comment.
    Returns the score and whether it is new.
    """
    values = {name: _score_value(data, name) for name in CRITERIA}
    reason = data.get("reason_code") or ""
    if reason and reason not in ReasonCode.values:
        raise InvalidInput(
            _("Unknown reason code '%(code)s'; choose one of %(codes)s.")
            % {"code": str(reason)[:40], "codes": ", ".join(ReasonCode.values)}
        )
    comment = text(data.get("comment"), _("The comment"), 2000)
    with transaction.atomic():
        member = _require_scorer(user, session)
        if (
            session.pk in conflicted_session_ids(member, session.cycle)
            or session.proposer_id == member.pk
        ):
            raise NotAllowed(_("You have a conflict of interest on this proposal."))
        threshold = settings_of(session.forum).reason_required_at_or_below
        low = [n for n in CRITERIA if values[n] <= threshold]
        if low and not (reason and comment):
            raise InvalidInput(
                _("A score of %(n)s or less (%(criteria)s) needs a reason code and a comment.")
                % {"n": threshold, "criteria": ", ".join(low)}
            )
        try:
            score, created = Score.objects.update_or_create(
                session=session,
                member=member,
                defaults={
                    **values,
                    "reason_code": reason,
                    "comment": comment,
                    "scored_at": timezone.now(),
                },
            )
        except IntegrityError:
            raise Conflict(_("Your score was saved by another request; try again.")) from None
        # The ledger records that a score was given, never who gave what (blind, private).
        append(session_scored(session.pk, forum=session.forum.slug, new=created))
    return score, created
