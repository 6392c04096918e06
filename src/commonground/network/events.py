"""The ledger actions of the network (forwards, merges, suggestions, NRI listing)."""

from __future__ import annotations

from enum import StrEnum

from commonground.ledger.services import Event
from commonground.ledger.vocabulary import builds, event
from commonground.network.models import AnnualReport, Forward, Merge, TeamMember


class Action(StrEnum):
    ISSUE_FORWARD = "issue.forward"
    ISSUE_MERGE = "issue.merge"
    ISSUE_DISMISS_SIMILAR = "issue.dismiss_similar"
    TEAM_ADD = "team.add"
    TEAM_REMOVE = "team.remove"
    REPORT_FILE = "report.file"


@builds(
    Action.ISSUE_FORWARD,
    object_type="forward",
    fields=("format", "source", "what", "figures", "origins", "by", "at", "to", "issue_id"),
)
def issue_forwarded(forward: Forward, actor: str) -> Event:
    """A steward forwarded an issue or a published message to a forum above (the record)."""
    return event(
        Action.ISSUE_FORWARD, "forward", forward.pk, actor=actor, forum=forward.source_forum,
        time=forward.forwarded_at,
        fields={**forward.payload(), "issue_id": forward.created_issue_id},
    )  # fmt: skip


@builds(
    Action.ISSUE_MERGE,
    object_type="issue",
    fields=("issue", "into", "supports_moved", "supports_deduplicated"),
)
def issue_merged(merge: Merge, forum: str) -> Event:
    """A steward merged an issue into another of the same forum."""
    return event(
        Action.ISSUE_MERGE, "issue", merge.issue_id, actor=merge.merged_by, forum=forum,
        time=merge.merged_at,
        fields={"issue": merge.issue_id, "into": merge.into_id,
                "supports_moved": merge.supports_moved,
                "supports_deduplicated": merge.supports_deduplicated},
    )  # fmt: skip


@builds(Action.ISSUE_DISMISS_SIMILAR, object_type="issue", fields=("issue", "other"))
def suggestion_dismissed(issue_id: int, other_id: int, actor: str, forum: str) -> Event:
    """A steward said a suggested similar issue is not the same concern."""
    return event(
        Action.ISSUE_DISMISS_SIMILAR, "issue", issue_id, actor=actor, forum=forum,
        fields={"issue": issue_id, "other": other_id},
    )  # fmt: skip


@builds(
    Action.TEAM_ADD,
    object_type="team_member",
    fields=("name", "stakeholder_group", "role", "coordinator"),
)
def team_added(member: TeamMember, actor: str, forum: str) -> Event:
    """A steward added a member of the forum's organizing team."""
    return event(
        Action.TEAM_ADD, "team_member", member.pk, actor=actor, forum=forum,
        time=member.added_at,
        fields={"name": member.name, "stakeholder_group": member.stakeholder_group,
                "role": member.role, "coordinator": member.is_coordinator},
    )  # fmt: skip


@builds(Action.TEAM_REMOVE, object_type="team_member", fields=())
def team_removed(member_id: int, actor: str, forum: str) -> Event:
    """A steward removed a member of the forum's organizing team."""
    return event(Action.TEAM_REMOVE, "team_member", member_id, actor=actor, forum=forum)


@builds(
    Action.REPORT_FILE,
    object_type="annual_report",
    fields=("cycle", "edition", "dates", "venue", "preparation", "outcomes"),
)
def report_filed(report: AnnualReport, actor: str, forum: str) -> Event:
    """A steward filed the annual report of one of the forum's cycles."""
    return event(
        Action.REPORT_FILE, "annual_report", report.pk, actor=actor, forum=forum,
        time=report.filed_at,
        fields={"cycle": report.cycle_id, "edition": report.edition, "dates": report.dates,
                "venue": report.venue, "preparation": report.preparation,
                "outcomes": report.outcomes},
    )  # fmt: skip
