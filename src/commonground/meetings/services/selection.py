"""Ranking screened-in proposals, the steward's decisions and the published selection."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.access.members import AnyUser, require_steward
from commonground.access.rules import require_phase
from commonground.analysis.programme import Ranked, ScoredProposal, rank_proposals
from commonground.core.errors import InvalidInput, WrongPhase
from commonground.forums.models import Cycle, Forum
from commonground.ledger.services import append
from commonground.meetings.events import selection_published, session_decided
from commonground.meetings.models import Decision, Score, SelectionPublication, Session
from commonground.meetings.services.common import settings_of, text


def ranking(cycle: Cycle) -> list[Ranked]:
    """Screened-in proposals by mean score (ties: more scores, then earlier submission),
    with the spread of their scores and suggested merges on a shared issue."""
    sessions = list(
        Session.objects.filter(cycle=cycle, status=Session.Status.SCREENED_IN)
        .prefetch_related("issues")
        .order_by("submitted_at", "id")
    )
    scores: dict[int, list[tuple[int, int, int, int]]] = {}
    for score in Score.objects.filter(session__in=sessions).order_by("pk"):
        scores.setdefault(score.session_id, []).append(score.values)
    items = [
        ScoredProposal(
            id=s.pk,
            submitted_order=i,
            issue_ids=frozenset(issue.pk for issue in s.issues.all()),
            text=f"{s.title} {s.description}",
            scores=scores.get(s.pk, []),
        )
        for i, s in enumerate(sessions)
    ]
    return rank_proposals(items, merge_similarity=settings_of(cycle.forum).merge_similarity)


def decide_session(user: AnyUser, session: Session, data: Mapping[str, Any]) -> Session:
    """A steward decides a screened-in proposal: approved, approved if merged (naming the
    other proposal) or declined, always with a reason."""
    decision = data.get("decision")
    if decision not in Decision.values:
        raise InvalidInput(
            _("The decision is one of %(choices)s.") % {"choices": ", ".join(Decision.values)}
        )
    reason = text(data.get("reason"), _("The reason"), 2000)
    if not reason:
        raise InvalidInput(_("Give the reason for the decision."))
    merge_id = data.get("merge_with")
    with transaction.atomic():
        steward = require_steward(user, session.forum)
        session = (
            Session.objects.select_for_update().select_related("cycle", "forum").get(pk=session.pk)
        )
        require_phase(session.cycle, "decide_session")
        if session.status != Session.Status.SCREENED_IN:
            raise WrongPhase(_("Only screened-in proposals are decided."))
        merge_with = None
        if decision == Decision.APPROVED_IF_MERGED:
            if not isinstance(merge_id, int) or isinstance(merge_id, bool):
                raise InvalidInput(
                    _("Approved if merged names the proposal to merge with (merge_with).")
                )
            merge_with = (
                Session.objects.filter(
                    cycle=session.cycle, status=Session.Status.SCREENED_IN, pk=merge_id
                )
                .exclude(pk=session.pk)
                .first()
            )
            if merge_with is None:
                raise InvalidInput(
                    _("Proposal %(id)s is not another screened-in proposal of this cycle.")
                    % {"id": merge_id}
                )
        elif merge_id not in (None, ""):
            raise InvalidInput(_("merge_with goes only with approved_if_merged."))
        session.decision = decision
        session.merge_with = merge_with
        session.decision_reason = reason
        session.decided_at = timezone.now()
        session.save(update_fields=["decision", "merge_with", "decision_reason", "decided_at"])
        append(
            session_decided(
                session.pk,
                actor=steward.user.public_id,
                forum=session.forum.slug,
                decision=decision,
                merge_with=merge_with.pk if merge_with else None,
                reason=reason,
                time=session.decided_at,
            )
        )
    return session


def selection_entries(cycle: Cycle) -> list[dict[str, Any]]:
    """Every decided proposal with its decision, in ranking order, numbered from 1."""
    order = {r.id: r for r in ranking(cycle)}
    decided = {
        s.pk: s
        for s in Session.objects.filter(cycle=cycle, status=Session.Status.SCREENED_IN)
        .exclude(decision="")
        .select_related("merge_with")
    }
    ids = [i for i in order if i in decided]
    return [
        {
            "number": n,
            "id": i,
            "title": decided[i].title,
            "decision": decided[i].decision,
            "merge_with": decided[i].merge_with_id,
            "reason": decided[i].decision_reason,
            "mean_score": order[i].mean_score,
            "scores": order[i].scores,
        }
        for n, i in enumerate(ids, start=1)
    ]


def publish_selection(user: AnyUser, forum: Forum) -> SelectionPublication:
    """A steward freezes the decisions as the next numbered publication of the cycle."""
    with transaction.atomic():
        steward = require_steward(user, forum)
        cycle = Cycle.objects.select_for_update().filter(forum=forum, is_open=True).first()
        if cycle is None:
            raise WrongPhase(_("%(forum)s has no open cycle.") % {"forum": forum.name})
        require_phase(cycle, "publish_selection")
        entries = selection_entries(cycle)
        if not entries:
            raise InvalidInput(_("No proposal has a decision yet: decide before publishing."))
        last = cycle.selection_publications.order_by("-number").first()
        publication = SelectionPublication.objects.create(
            cycle=cycle,
            number=(last.number + 1) if last else 1,
            published_by=steward.user,
            entries=entries,
        )
        append(
            selection_published(
                publication.pk,
                actor=steward.user.public_id,
                forum=forum.slug,
                cycle=cycle.pk,
                number=publication.number,
                decisions={str(e["id"]): e["decision"] for e in entries},
                entries=entries,
                time=publication.published_at,
            )
        )
    return publication


def selection_diff(publication: SelectionPublication) -> dict[str, list[int]]:
    """What changed since the previous publication: added, removed and changed decisions."""
    previous = (
        SelectionPublication.objects.filter(
            cycle_id=publication.cycle_id, number__lt=publication.number
        )
        .order_by("-number")
        .first()
    )
    now = {e["id"]: e["decision"] for e in publication.entries}
    before = {e["id"]: e["decision"] for e in previous.entries} if previous else {}
    return {
        "added": sorted(set(now) - set(before)),
        "removed": sorted(set(before) - set(now)),
        "changed": sorted(i for i in set(now) & set(before) if now[i] != before[i]),
    }
