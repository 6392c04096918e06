"""What the pages show about an issue's place in the network (reads only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from commonground.access.members import AnyUser, can_steward, membership_of
from commonground.access.rules import can_act_in_phase, can_merge_issues
from commonground.forums.models import Forum
from commonground.issues.models import Issue
from commonground.network.models import Forward, Merge
from commonground.network.provenance import Reach, forwards_from, origins_of, reach_of
from commonground.network.services import agenda_place, latest_publication
from commonground.network.similar import Suggestion, similar_issues
from commonground.outcomes.models import Message
from commonground.recognition.services import live_agenda
from commonground.stakeholders import REGIONS


@dataclass
class ForwardTarget:
    """A forum above that the issue could go to, and why not when it cannot."""

    forum: Forum
    blocked: str = ""


def _targets(forum: Forum, done: set[int]) -> list[ForwardTarget]:
    """The forum's ancestors, each with a reason when it does not take a forward now
    (``done``: the forums it went to already)."""
    targets = []
    for above in reversed(forum.ancestors()):
        target = ForwardTarget(above)
        cycle = above.open_cycle
        if above.pk in done:
            target.blocked = "forwarded"
        elif cycle is None or not can_act_in_phase(cycle, "receive_forward"):
            target.blocked = "closed"
        targets.append(target)
    return targets


def forward_targets(issue: Issue) -> list[ForwardTarget]:
    """The issue's forum's ancestors, each with a reason when it does not take the issue."""
    return _targets(issue.forum, {f.target_forum_id for f in forwards_from(issue)})


def message_forward_targets(message: Message) -> list[ForwardTarget]:
    """The message's forum's ancestors, each with a reason when it does not take it now."""
    done = Forward.objects.filter(
        source_instance="", source_forum=message.forum.slug,
        source_kind=Forward.Kind.MESSAGE, source_id=message.pk,
    ).values_list("target_forum_id", flat=True)  # fmt: skip
    return _targets(message.forum, set(done))


@dataclass
class IssueNetwork:
    """Everything the issue page shows about forwards, merges and similar issues."""

    provenance: list[Forward] = field(default_factory=list)
    reach: Reach = field(default_factory=Reach)
    forwarded: list[Forward] = field(default_factory=list)
    merged_from: list[Merge] = field(default_factory=list)
    similar: list[Suggestion] = field(default_factory=list)
    is_steward: bool = False
    can_forward: bool = False
    can_merge: bool = False
    targets: list[ForwardTarget] = field(default_factory=list)


def issue_network(issue: Issue, user: AnyUser) -> IssueNetwork:
    membership = membership_of(user, issue.forum)
    provenance = list(Forward.objects.filter(target_issue=issue))
    data = IssueNetwork(
        provenance=provenance,
        reach=reach_of(origins_of(provenance)),
        forwarded=forwards_from(issue),
        merged_from=list(Merge.objects.filter(into=issue).select_related("issue")),
        similar=similar_issues(issue) if issue.merged_into_id is None else [],
        is_steward=can_steward(membership),
        can_merge=can_merge_issues(membership, issue),
    )
    if data.is_steward and issue.merged_into_id is None and agenda_place(issue) is not None:
        data.targets = forward_targets(issue)
        data.can_forward = any(not t.blocked for t in data.targets)
    return data


def agenda_issue_ids(forum: Forum) -> list[int]:
    """The forum's agenda: its latest publication, or the live agenda if none."""
    publication = latest_publication(forum)
    if publication is not None:
        return [int(i) for i in publication.agenda]
    cycle = forum.open_cycle
    if cycle is None:
        return []
    agenda = live_agenda(cycle)
    return [agenda.issue_ids[int(r)] for r in agenda.result.agenda]


def network_view(forum: Forum) -> dict[str, Any]:
    """For each agenda issue of the forum: where it came from, by UN region."""
    ids = agenda_issue_ids(forum)
    titles = dict(Issue.objects.filter(pk__in=ids).values_list("pk", "title"))
    by_issue: dict[int, list[Forward]] = {}
    for forward in Forward.objects.filter(target_issue_id__in=ids):
        by_issue.setdefault(forward.target_issue_id, []).append(forward)
    rows = []
    forums_by_region: dict[str, set[str]] = {r: set() for r in REGIONS}
    for rank, pk in enumerate(ids, start=1):
        origins = origins_of(by_issue.get(pk, []))
        regions: dict[str, list[dict[str, Any]]] = {}
        for origin in origins:
            region = origin.get("region") or ""
            if region in forums_by_region:
                regions.setdefault(region, []).append(origin)
                forums_by_region[region].add(origin["forum"])
        rows.append(
            {
                "issue_id": pk,
                "rank": rank,
                "title": titles.get(pk, ""),
                "reach": reach_of(origins),
                "regions": [(r, regions[r]) for r in REGIONS if r in regions],
            }
        )
    return {
        "rows": rows,
        "region_counts": {r: len(f) for r, f in forums_by_region.items()},
        "forwarded": sum(1 for row in rows if row["regions"]),
    }
