"""The contributions section of the issue page, as an inclusion tag.

The issue page includes ``contributions/issue_section.html``, which calls
``{% issue_contributions %}``: everything the section shows is read here in a
fixed number of queries, filtered for the viewer (hidden contributions only for
their author and the stewards, marked hidden).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django import template
from django.db.models import prefetch_related_objects
from django.utils.translation import get_language

from commonground.access.members import can_steward, can_take_part, membership_of
from commonground.access.rules import (
    ADVICE_ROLE,
    SIGNAL_ROLE,
    can_advise,
    can_contribute,
    can_see,
    can_signal,
    is_author,
)
from commonground.contributions import discussion, services
from commonground.contributions.forms import (
    AdviceForm,
    CommentForm,
    ReportForm,
    SignalForm,
    SolutionForm,
)
from commonground.contributions.models import (
    Advice,
    Comment,
    Feasibility,
    Priority,
    Signal,
    Solution,
    Stance,
)
from commonground.contributions.moderation import open_report_counts
from commonground.contributions.section_read import with_authors
from commonground.contributions.services.translations import SOLUTION
from commonground.contributions.summaries import PageSignals
from commonground.issues import translating
from commonground.issues.models import Issue
from commonground.notifications.services import is_following, unread_count
from commonground.participants.models import Membership

register = template.Library()

STANCE_LABELS = dict(Stance.choices)
PRIORITY_LABELS = dict(Priority.choices)
FEASIBILITY_LABELS = dict(Feasibility.choices)


def _decorate(items: list[Any], viewer: Membership | None) -> None:
    for item in items:
        item.mine = is_author(viewer, item)
        if isinstance(item, Comment):
            shown: Any = item  # a row that carries display attributes for the template
            shown.stance_label = STANCE_LABELS.get(item.stance, "")


def _home_jurisdiction(viewer: Membership | None) -> str:
    if viewer is not None and viewer.stakeholder_group == "government":
        return viewer.country
    return ""


def section_context(issue: Issue, user: Any, reading_original: bool = False) -> dict[str, Any]:
    """Everything the contributions section shows for this viewer (solutions in the
    reader's language where a community translation exists, unless ``reading_original``)."""
    viewer = membership_of(user, issue.forum)
    settings = services.settings_of(issue.forum)
    active = can_contribute(viewer, issue.cycle)

    # Rows that the loops below decorate with what the template shows (mine, labels, forms).
    # Each with its author's membership and account, in one plain statement (section_read).
    signals: list[Any] = [s for s in with_authors(Signal, issue.pk) if can_see(s, viewer)]
    solutions: list[Any] = [s for s in with_authors(Solution, issue.pk) if can_see(s, viewer)]
    advice: list[Any] = [a for a in with_authors(Advice, issue.pk) if can_see(a, viewer)]
    if advice:
        prefetch_related_objects(advice, "revisions")
    # Comments: only those of each discussion's latest threads are read in full, found
    # (with the earlier ones' counts) from one light outline of all of them.
    planned = discussion.plan_latest(discussion.outline(issue.pk), viewer)
    wanted = [pk for plan in planned.values() for pk in plan.ids]
    comments: list[Any] = with_authors(Comment, issue.pk, wanted)
    _decorate(signals, viewer)
    _decorate(solutions, viewer)
    _decorate(advice, viewer)
    _decorate(comments, viewer)
    for s in signals:
        s.priority_label = PRIORITY_LABELS[s.priority]

    advice_of: dict[int, list[Any]] = defaultdict(list)
    for a in advice:
        a.feasibility_label = FEASIBILITY_LABELS[a.feasibility]
        advice_of[a.solution_id].append(a)
    comments_of: dict[int | None, list[Comment]] = defaultdict(list)
    for c in comments:
        comments_of[c.solution_id].append(c)
    may_advise = can_advise(viewer, issue.cycle, settings)
    _translations(solutions, viewer, reading_original)
    for solution in solutions:
        rows = advice_of[solution.pk]
        public = [a for a in rows if not a.hidden]
        solution.advice_rows = rows
        solution.feasibility = [
            (value, label, sum(1 for a in public if a.feasibility == value))
            for value, label in Feasibility.choices
        ]
        solution.verified_advice = sum(1 for a in public if a.author.verified)
        solution.discussion = discussion.shown(
            comments_of[solution.pk], viewer, planned.get(solution.pk)
        )
        own = next((a for a in rows if a.mine), None)
        solution.own_advice = own
        if may_advise:
            initial = (
                {
                    "feasibility": own.feasibility,
                    "conditions": own.conditions,
                    "benefits": own.benefits,
                    "risks": own.risks,
                    "affected_groups": own.affected_groups,
                    "evidence": "\n".join(own.evidence),
                }
                if own
                else None
            )
            solution.advice_form = AdviceForm(initial=initial, auto_id=f"id_a{solution.pk}_%s")

    own_signal = next((s for s in signals if s.mine), None)
    signal_form = None
    if can_signal(viewer, issue.cycle, settings):
        initial = (
            {
                "jurisdiction": own_signal.jurisdiction,
                "priority": own_signal.priority,
                "statement": own_signal.statement,
            }
            if own_signal
            else {"jurisdiction": _home_jurisdiction(viewer)}
        )
        signal_form = SignalForm(initial=initial, auto_id="id_signal_%s")
    if can_steward(viewer):
        # Stewards see which contributions wait in the moderation queue (a flag on each).
        reported = open_report_counts(issue.forum)
        for kind, items in (("signal", signals), ("solution", solutions), ("advice", advice)):
            for item in items:
                item.open_reports = reported.get((kind, item.pk), 0)
        for c in comments:
            c.open_reports = reported.get(("comment", c.pk), 0)
    public_signals = [s for s in signals if not s.hidden]
    following = is_following(viewer, issue)
    unread = unread_count(user) if viewer is not None else 0
    return {
        "following": following,
        "unread": unread,
        "issue": issue,
        "viewer": viewer,
        "is_steward": can_steward(viewer),
        "active": active,
        "settings": settings,
        "signals": signals,
        "signal_count": len(public_signals),
        "jurisdictions": sorted({s.jurisdiction for s in public_signals}),
        "own_signal": own_signal,
        "signal_form": signal_form,
        "signal_role": SIGNAL_ROLE,
        "solutions": solutions,
        "reader_language": get_language() or "",
        "can_translate": can_take_part(viewer),
        "solution_form": SolutionForm(auto_id="id_solution_%s") if active else None,
        "can_advise": may_advise,
        "advice_role": ADVICE_ROLE,
        "discussion": discussion.shown(comments_of[None], viewer, planned.get(None)),
        "comment_form": CommentForm(auto_id="id_comment_%s") if active else None,
        "report_form": ReportForm(auto_id=False),
        "stances": Stance.choices,
    }


def _translations(solutions: list[Any], viewer: Membership | None, reading_original: bool) -> None:
    """Each solution's community translation into the reader's language (shown instead of
    the original unless the original is asked for) and the links around it."""
    translating.mark_shown_translations(SOLUTION, solutions, get_language() or "", reading_original)
    for solution in solutions:
        shown = solution.available_translation
        solution.translation_is_mine = shown is not None and is_author(viewer, shown)
        solution.original_href = f"?original=1#solution-{solution.pk}"
        solution.read_href = f"?#solution-{solution.pk}"
        solution.reason_id = f"solution-translation-reason-{solution.pk}"


@register.inclusion_tag("contributions/includes/section.html", takes_context=True)
def issue_contributions(context: template.Context) -> dict[str, Any]:
    request = context["request"]
    data = section_context(context["issue"], request.user, "original" in request.GET)
    data["request"] = request
    data["user"] = request.user
    data["csrf_token"] = context.get("csrf_token")
    return data


@register.simple_tag
def signal_summaries_of(issues: Iterable[Issue]) -> PageSignals:
    """Visible signals per issue of a list page, for ``issues/issue_list.html``: read in one
    statement when the first issue's are asked for (the parts that show them may all be
    kept, and then nothing is read)."""
    return PageSignals([issue.pk for issue in issues])
