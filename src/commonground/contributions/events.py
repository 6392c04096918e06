"""The ledger actions of contributions and their moderation, and their builders.

Free text travels by digest only (``text_digests``): moderation must be able to
withdraw a contribution's text from every public surface while the ledger stays
verifiable (docs/ledger.md, "Free text by digest").
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

from commonground.contributions.models import Advice, Comment, Signal, Solution
from commonground.issues.translating import translation_builders
from commonground.ledger.services import Event
from commonground.ledger.vocabulary import builds, event, text_digests
from commonground.participants.models import Membership

KINDS = ("signal", "solution", "advice", "comment")
ADVICE_TEXTS = ("conditions", "benefits", "risks", "evidence")


class Action(StrEnum):
    SIGNAL_ADD = "signal.add"
    SIGNAL_EDIT = "signal.edit"
    SIGNAL_WITHDRAW = "signal.withdraw"
    SOLUTION_PROPOSE = "solution.propose"
    SOLUTION_EDIT = "solution.edit"
    ADVICE_GIVE = "advice.give"
    ADVICE_REVISE = "advice.revise"
    COMMENT_ADD = "comment.add"
    COMMENT_EDIT = "comment.edit"
    COMMENT_DELETE = "comment.delete"
    REPORT_ADD = "report.add"
    REPORT_DISMISS = "report.dismiss"
    MODERATION_HIDE = "moderation.hide"
    MODERATION_RESTORE = "moderation.restore"
    MEMBERSHIP_SUSPEND = "membership.suspend"
    MEMBERSHIP_UNSUSPEND = "membership.unsuspend"
    SOLUTION_TRANSLATION_ADD = "solution_translation.add"
    SOLUTION_TRANSLATION_EDIT = "solution_translation.edit"
    SOLUTION_TRANSLATION_HIDE = "solution_translation.hide"
    SOLUTION_TRANSLATION_RESTORE = "solution_translation.restore"


def _actor(membership: Membership | None) -> str | None:
    return membership.user.public_id if membership is not None else None


@builds(
    Action.SIGNAL_ADD,
    object_type="signal",
    fields=("issue", "jurisdiction", "priority", "statement_sha256", "stakeholder_group"),
)
def signal_added(signal: Signal, author: Membership, forum: str) -> Event:
    """A government or IGO member signalled concern about an issue."""
    return event(
        Action.SIGNAL_ADD,
        "signal",
        signal.pk,
        actor=_actor(author),
        forum=forum,
        time=signal.created_at,
        fields={
            "issue": signal.issue_id,
            "jurisdiction": signal.jurisdiction,
            "priority": signal.priority,
            **text_digests(statement=signal.statement),
            "stakeholder_group": author.stakeholder_group,
        },
    )


@builds(
    Action.SIGNAL_EDIT,
    object_type="signal",
    fields=("jurisdiction", "priority", "statement_sha256"),
)
def signal_edited(signal: Signal, author: Membership, forum: str) -> Event:
    """The author changed their signal."""
    return event(
        Action.SIGNAL_EDIT,
        "signal",
        signal.pk,
        actor=_actor(author),
        forum=forum,
        fields={
            "jurisdiction": signal.jurisdiction,
            "priority": signal.priority,
            **text_digests(statement=signal.statement),
        },
    )


@builds(Action.SIGNAL_WITHDRAW, object_type="signal", fields=("issue",))
def signal_withdrawn(signal_id: int, issue_id: int, author: Membership, forum: str) -> Event:
    """The author withdrew their signal (the row goes; the ledger keeps its history)."""
    return event(
        Action.SIGNAL_WITHDRAW,
        "signal",
        signal_id,
        actor=_actor(author),
        forum=forum,
        fields={"issue": issue_id},
    )


@builds(
    Action.SOLUTION_PROPOSE,
    object_type="solution",
    fields=(
        "issue",
        "title_sha256",
        "description_sha256",
        "actors_sha256",
        "stakeholder_group",
    ),
)
def solution_proposed(solution: Solution, author: Membership, forum: str) -> Event:
    """A member proposed an envisaged solution to an issue."""
    return event(
        Action.SOLUTION_PROPOSE,
        "solution",
        solution.pk,
        actor=_actor(author),
        forum=forum,
        time=solution.created_at,
        fields={
            "issue": solution.issue_id,
            **text_digests(
                title=solution.title, description=solution.description, actors=solution.actors
            ),
            "stakeholder_group": author.stakeholder_group,
        },
    )


@builds(
    Action.SOLUTION_EDIT,
    object_type="solution",
    fields=("title_sha256", "description_sha256", "actors_sha256"),
)
def solution_edited(solution: Solution, author: Membership, forum: str) -> Event:
    """The author changed their solution."""
    return event(
        Action.SOLUTION_EDIT,
        "solution",
        solution.pk,
        actor=_actor(author),
        forum=forum,
        fields=text_digests(
            title=solution.title, description=solution.description, actors=solution.actors
        ),
    )


def advice_fields(advice: Advice | Mapping[str, Any]) -> dict[str, Any]:
    """The advice's ledger fields: ratings and groups as they are, free text by digest."""

    def read(name: str) -> Any:
        return advice[name] if isinstance(advice, Mapping) else getattr(advice, name)

    texts: dict[str, Any] = {name: read(name) for name in ADVICE_TEXTS}
    return {
        "feasibility": read("feasibility"),
        "affected_groups": read("affected_groups"),
        **text_digests(**texts),
    }


_ADVICE_FIELDS = (
    "feasibility",
    "affected_groups",
    "conditions_sha256",
    "benefits_sha256",
    "risks_sha256",
    "evidence_sha256",
)


@builds(
    Action.ADVICE_GIVE,
    object_type="advice",
    fields=("solution", *_ADVICE_FIELDS, "stakeholder_group"),
)
def advice_given(advice: Advice, author: Membership, forum: str) -> Event:
    """A technical advisor assessed a solution."""
    return event(
        Action.ADVICE_GIVE,
        "advice",
        advice.pk,
        actor=_actor(author),
        forum=forum,
        time=advice.created_at,
        fields={
            "solution": advice.solution_id,
            **advice_fields(advice),
            "stakeholder_group": author.stakeholder_group,
        },
    )


@builds(Action.ADVICE_REVISE, object_type="advice", fields=("revision", *_ADVICE_FIELDS))
def advice_revised(advice: Advice, author: Membership, forum: str, time: datetime) -> Event:
    """The advisor revised their advice (every revision is kept)."""
    return event(
        Action.ADVICE_REVISE,
        "advice",
        advice.pk,
        actor=_actor(author),
        forum=forum,
        time=time,
        fields={"revision": advice.revision_count, **advice_fields(advice)},
    )


@builds(
    Action.COMMENT_ADD,
    object_type="comment",
    fields=("issue", "solution", "parent", "body_sha256", "stance", "stakeholder_group"),
)
def comment_added(comment: Comment, author: Membership, forum: str) -> Event:
    """A member commented on an issue or a solution, or replied to a comment."""
    return event(
        Action.COMMENT_ADD,
        "comment",
        comment.pk,
        actor=_actor(author),
        forum=forum,
        time=comment.created_at,
        fields={
            "issue": comment.issue_id,
            "solution": comment.solution_id,
            "parent": comment.parent_id,
            **text_digests(body=comment.body),
            "stance": comment.stance or None,
            "stakeholder_group": author.stakeholder_group,
        },
    )


@builds(Action.COMMENT_EDIT, object_type="comment", fields=("body_sha256", "stance"))
def comment_edited(comment: Comment, author: Membership, forum: str) -> Event:
    """The author changed their comment's text or stance."""
    return event(
        Action.COMMENT_EDIT,
        "comment",
        comment.pk,
        actor=_actor(author),
        forum=forum,
        fields={**text_digests(body=comment.body), "stance": comment.stance or None},
    )


@builds(Action.COMMENT_DELETE, object_type="comment", fields=())
def comment_deleted(comment: Comment, author: Membership, forum: str) -> Event:
    """The author deleted their comment (the thread keeps a "deleted" mark)."""
    return event(Action.COMMENT_DELETE, "comment", comment.pk, actor=_actor(author), forum=forum)


@builds(Action.REPORT_ADD, object_type=KINDS, fields=("reason",))
def report_added(kind: str, item: Any, reason: str, time: datetime) -> Event:
    """A member reported a contribution (the reporter is never recorded)."""
    return event(
        Action.REPORT_ADD,
        kind,
        item.pk,
        forum=item.forum.slug,
        time=time,
        fields={"reason": reason},
    )


@builds(Action.REPORT_DISMISS, object_type=KINDS, fields=("reason", "reports"))
def reports_dismissed(kind: str, item: Any, steward: Membership, reason: str, closed: int) -> Event:
    """A steward dismissed a contribution's open reports, leaving it as it is."""
    return event(
        Action.REPORT_DISMISS,
        kind,
        item.pk,
        actor=_actor(steward),
        forum=steward.forum.slug,
        fields={"reason": reason, "reports": closed},
    )


def _moderation(
    action: Action, kind: str, item: Any, steward: Membership | None, reason: str, time: datetime
) -> Event:
    return event(
        action,
        kind,
        item.pk,
        actor=_actor(steward),
        forum=item.forum.slug,
        time=time,
        fields={"reason": reason, "automatic": steward is None},
    )


@builds(Action.MODERATION_HIDE, object_type=KINDS, fields=("reason", "automatic"))
def hidden(kind: str, item: Any, steward: Membership | None, reason: str, time: datetime) -> Event:
    """A contribution was hidden, by a steward or automatically at the report threshold."""
    return _moderation(Action.MODERATION_HIDE, kind, item, steward, reason, time)


@builds(Action.MODERATION_RESTORE, object_type=KINDS, fields=("reason", "automatic"))
def restored(
    kind: str, item: Any, steward: Membership | None, reason: str, time: datetime
) -> Event:
    """A steward restored a hidden contribution."""
    return _moderation(Action.MODERATION_RESTORE, kind, item, steward, reason, time)


@builds(Action.MEMBERSHIP_SUSPEND, object_type="membership", fields=("reason",))
def suspended(membership: Membership, steward: Membership | None, reason: str) -> Event:
    """A steward suspended a member (no more contributions, supports or issues); with no
    steward, the system (the account of another instance, suspended when made)."""
    return event(
        Action.MEMBERSHIP_SUSPEND,
        "membership",
        membership.pk,
        actor=_actor(steward),
        forum=membership.forum.slug,
        fields={"reason": reason},
    )


@builds(Action.MEMBERSHIP_UNSUSPEND, object_type="membership", fields=("reason",))
def unsuspended(membership: Membership, steward: Membership, reason: str) -> Event:
    """A steward lifted a member's suspension."""
    return event(
        Action.MEMBERSHIP_UNSUSPEND,
        "membership",
        membership.pk,
        actor=_actor(steward),
        forum=membership.forum.slug,
        fields={"reason": reason},
    )


# Community translations of solutions (the mechanism is shared with issues and messages).
SOLUTION_TRANSLATION_BUILDERS = translation_builders(
    Action.SOLUTION_TRANSLATION_ADD,
    Action.SOLUTION_TRANSLATION_EDIT,
    Action.SOLUTION_TRANSLATION_HIDE,
    Action.SOLUTION_TRANSLATION_RESTORE,
    object_type="solution_translation",
    parent="solution",
    body="description",
    module=__name__,
)
