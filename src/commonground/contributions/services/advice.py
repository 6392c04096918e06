"""Technical advice on a solution, with every revision kept."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commonground.access.members import AnyUser, require_member
from commonground.contributions import events
from commonground.contributions.models import (
    Advice,
    AdviceRevision,
    Feasibility,
    Kind,
    Solution,
)
from commonground.contributions.services.common import (
    ADVICE_GROUPS,
    ADVICE_ROLE,
    MAX_ADVICE_TEXT,
    MAX_EVIDENCE,
    MAX_URL,
    _notify,
    _require_author,
    _require_open,
    _require_role,
    _solution_for,
    _text,
)
from commonground.core.errors import Conflict, InvalidInput
from commonground.ledger.services import append
from commonground.notifications import limits
from commonground.stakeholders import GROUPS

_url = URLValidator(schemes=["http", "https"])


# ---------------------------------------------------------------- advice


def _clean_advice(
    feasibility: str,
    conditions: str,
    benefits: str,
    risks: str,
    affected_groups: Sequence[str],
    evidence: Sequence[str],
) -> dict[str, Any]:
    if feasibility not in Feasibility.values:
        raise InvalidInput(
            _("Unknown feasibility '%(feasibility)s'; choose one of %(choices)s.")
            % {"feasibility": feasibility, "choices": ", ".join(Feasibility)}
        )
    groups = set()
    for group in affected_groups or ():
        if group not in GROUPS:
            raise InvalidInput(
                _("Unknown stakeholder group '%(group)s' among the affected.")
                % {"group": str(group)[:40]}
            )
        groups.add(group)
    links: list[str] = []
    for raw in evidence or ():
        link = str(raw).strip()
        if not link:
            continue
        if len(link) > MAX_URL:
            raise InvalidInput(
                _("An evidence link is at most %(max_url)s characters.") % {"max_url": MAX_URL}
            )
        try:
            _url(link)
        except ValidationError:
            raise InvalidInput(
                _("'%(link)s' is not an http(s) address; evidence is a list of links.")
                % {"link": link[:80]}
            ) from None
        if link not in links:
            links.append(link)
    if len(links) > MAX_EVIDENCE:
        raise InvalidInput(
            _("At most %(max_evidence)s evidence links.") % {"max_evidence": MAX_EVIDENCE}
        )
    return {
        "feasibility": feasibility,
        "conditions": _text(conditions, "conditions", MAX_ADVICE_TEXT, required=False),
        "benefits": _text(benefits, "benefits", MAX_ADVICE_TEXT, required=False),
        "risks": _text(risks, "risks", MAX_ADVICE_TEXT, required=False),
        "affected_groups": [g for g in GROUPS if g in groups],
        "evidence": links,
    }


def give_advice(
    user: AnyUser,
    solution: Solution,
    *,
    feasibility: str,
    conditions: str = "",
    benefits: str = "",
    risks: str = "",
    affected_groups: Sequence[str] = (),
    evidence: Sequence[str] = (),
) -> Advice:
    """A technical advisor assesses a solution (one advice per advisor per solution)."""
    with transaction.atomic():
        membership = require_member(user, solution.forum, lock=True)
        solution = _solution_for(membership, solution)
        _require_role(
            membership, solution.forum, ADVICE_GROUPS, ADVICE_ROLE, "give technical advice"
        )
        _require_open(solution.issue)
        fields = _clean_advice(feasibility, conditions, benefits, risks, affected_groups, evidence)
        if Advice.objects.filter(solution=solution, author=membership).exists():
            raise Conflict(
                _("You have advised on this solution already; revise your advice instead.")
            )
        limits.consume(membership, "advice_per_hour")
        try:
            with transaction.atomic():
                advice = Advice.objects.create(
                    solution=solution, forum=solution.forum, author=membership, **fields
                )
        except IntegrityError:
            raise Conflict(_("You have advised on this solution already.")) from None
        AdviceRevision.objects.create(
            advice=advice, number=1, created_at=advice.created_at, **fields
        )
        append(events.advice_given(advice, membership, solution.forum.slug))
        _notify(
            solution.issue,
            membership,
            Kind.ADVICE,
            advice.pk,
            gettext_noop("%(name)s (%(group)s) gave technical advice on “%(title)s”"),
        )
    return advice


def revise_advice(
    user: AnyUser,
    advice: Advice,
    *,
    feasibility: str,
    conditions: str = "",
    benefits: str = "",
    risks: str = "",
    affected_groups: Sequence[str] = (),
    evidence: Sequence[str] = (),
) -> Advice:
    """The advisor revises their advice; every version is kept as an AdviceRevision."""
    with transaction.atomic():
        membership = require_member(user, advice.forum, lock=True)
        advice = (
            Advice.objects.select_for_update()
            .select_related("solution__issue__cycle")
            .get(pk=advice.pk)
        )
        _require_author(membership, advice, "advice")
        _require_role(membership, advice.forum, ADVICE_GROUPS, ADVICE_ROLE, "give technical advice")
        _require_open(advice.solution.issue)
        fields = _clean_advice(feasibility, conditions, benefits, risks, affected_groups, evidence)
        limits.consume(membership, "edits_per_hour")
        now = timezone.now()
        for name, value in fields.items():
            setattr(advice, name, value)
        advice.revision_count += 1
        advice.updated_at = now
        advice.save()
        AdviceRevision.objects.create(
            advice=advice, number=advice.revision_count, created_at=now, **fields
        )
        append(events.advice_revised(advice, membership, advice.forum.slug, now))
    return advice
