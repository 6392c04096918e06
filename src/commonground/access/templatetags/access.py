"""Templates read the access rules here instead of re-deriving them.

``{% load access %}``, then ``{% can "open_conversation" membership issue as may_open %}``
(any predicate of ``access.rules`` or ``access.members``, named without its ``can_``), or
the one-argument filters ``{{ membership|can_take_part }}`` and ``{{ membership|can_steward }}``;
``{{ cycle.phase|phase_label }}`` names a phase.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import template

from commonground.access import members, phases, rules

register = template.Library()

PREDICATES: dict[str, Callable[..., bool]] = {
    "take_part": members.can_take_part,
    "steward": members.can_steward,
    "raise_issue": rules.can_raise_issue,
    "support_issue": rules.can_support_issue,
    "edit_issue": rules.can_edit_issue,
    "publish_agenda": rules.can_publish_agenda,
    "forward_issue": rules.can_forward_issue,
    "merge_issues": rules.can_merge_issues,
    "contribute": rules.can_contribute,
    "signal": rules.can_signal,
    "advise": rules.can_advise,
    "see": rules.can_see,
    "open_conversation": rules.can_open_conversation,
    "review_statements": rules.can_review_statements,
    "see_statement_author": rules.can_see_statement_author,
    "draft_message": rules.can_draft_message,
    "revise_message": rules.can_revise_message,
    "take_position": rules.can_take_position,
    "chair_message": rules.can_chair_message,
    "refer_message": rules.can_refer_message,
    "record_uptake": rules.can_record_uptake,
}


@register.simple_tag
def can(rule: str, *args: Any) -> bool:
    """The named predicate applied to the arguments; an unknown name is a template error."""
    try:
        predicate = PREDICATES[rule]
    except KeyError:
        raise template.TemplateSyntaxError(f"No access rule '{rule}'.") from None
    return predicate(*args)


@register.filter
def phase_label(phase: str) -> str:
    """The phase's name as people read it."""
    return phases.phase_label(phase)


@register.filter
def can_take_part(membership: Any) -> bool:
    return members.can_take_part(membership)


@register.filter
def can_steward(membership: Any) -> bool:
    return members.can_steward(membership)
