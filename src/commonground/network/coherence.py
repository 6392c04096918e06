"""The coherence view of an issue: its chain across levels (DESIGN 6b).

The chain is the set of issues linked to it by forwards (up the tree) and merges (within
a forum), walked both ways. Each issue carries what happened to it at its level: its
rank and ``B`` on its forum's latest published agenda, the sessions on it, the messages
drawn from it, their referrals and uptake. A source known only from a forward record
(another instance) is a node built from that frozen record.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from commonground.issues.models import Issue
from commonground.meetings.models import Session
from commonground.network.models import Forward, Merge
from commonground.network.services import agenda_place
from commonground.outcomes.models import Message, Referral, Uptake

#: A chain never grows past this many issues (a bound on the work of one page).
MAX_NODES = 60
LEVEL_ORDER = {"global": 0, "regional": 1, "national": 2, "subnational": 3, "youth": 2}


@dataclass
class Node:
    """One issue of the chain (``issue_id`` None for a source on another instance)."""

    key: str
    forum: str
    forum_name: str
    level: str
    region: str
    title: str
    issue_id: int | None
    raised_at: datetime | None = None
    agenda_rank: int | None = None
    balanced_support: float | None = None
    publication_number: int | None = None
    sessions: int = 0
    messages: int = 0
    referrals: int = 0
    uptake: int = 0
    merged_into: int | None = None
    is_focus: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "issue_id": self.issue_id,
            "forum": self.forum,
            "forum_name": self.forum_name,
            "level": self.level,
            "region": self.region,
            "title": self.title,
            "agenda_rank": self.agenda_rank,
            "balanced_support": self.balanced_support,
            "publication_number": self.publication_number,
            "sessions": self.sessions,
            "messages": self.messages,
            "referrals": self.referrals,
            "uptake": self.uptake,
            "merged_into": self.merged_into,
        }


@dataclass
class Edge:
    """``forward`` (source issue to the issue it made above) or ``merge`` (B into A)."""

    kind: str
    source: str
    target: str
    at: datetime

    def to_json(self, nodes: dict[str, Node]) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "from_issue": nodes[self.source].issue_id,
            "from_forum": nodes[self.source].forum,
            "to_issue": nodes[self.target].issue_id,
            "to_forum": nodes[self.target].forum,
            "at": self.at,
        }


@dataclass
class Chain:
    focus: str
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)

    def levels(self) -> list[tuple[str, list[Node]]]:
        """Nodes by level, the top of the tree first."""
        rows: dict[str, list[Node]] = {}
        for node in self.nodes.values():
            rows.setdefault(node.level, []).append(node)
        for row in rows.values():
            row.sort(key=lambda n: (n.region, n.forum, n.issue_id or 0))
        return sorted(rows.items(), key=lambda item: LEVEL_ORDER.get(item[0], 9))

    def to_json(self) -> dict[str, Any]:
        return {
            "issue_id": self.nodes[self.focus].issue_id,
            "nodes": [n.to_json() for _, row in self.levels() for n in row],
            "edges": [e.to_json(self.nodes) for e in self.edges],
        }


def _key(issue_id: int) -> str:
    return f"issue:{issue_id}"


def _issue_node(issue: Issue) -> Node:
    forum = issue.forum
    node = Node(
        key=_key(issue.pk), forum=forum.slug, forum_name=forum.name, level=forum.level,
        region=forum.region, title=issue.title, issue_id=issue.pk, raised_at=issue.raised_at,
        merged_into=issue.merged_into_id,
    )  # fmt: skip
    place = agenda_place(issue)
    if place is not None:
        node.agenda_rank = place.rank
        node.balanced_support = place.entry.get("balanced_support")
        node.publication_number = place.publication.number
    node.sessions = Session.objects.filter(issues=issue).count()
    messages = Message.objects.filter(issue=issue)
    node.messages = messages.count()
    node.referrals = Referral.objects.filter(message__in=messages).count()
    node.uptake = Uptake.objects.filter(message__in=messages).count()
    return node


def _remote_node(forward: Forward) -> Node:
    """A source this instance knows only from the frozen forward record."""
    return Node(
        key=f"remote:{forward.source_instance}:{forward.source_forum}:{forward.source_id}",
        forum=forward.source_forum, forum_name=forward.source_forum_name,
        level=forward.source_level, region=forward.source_region, title=forward.title,
        issue_id=None, agenda_rank=forward.agenda_rank,
        balanced_support=forward.balanced_support,
        publication_number=forward.publication_number,
    )  # fmt: skip


def coherence_chain(issue: Issue) -> Chain:
    """Every issue linked to this one by forwards and merges, with what each level did."""
    chain = Chain(focus=_key(issue.pk))
    queue: deque[int] = deque([issue.pk])
    seen: set[int] = set()
    while queue and len(seen) < MAX_NODES:
        pk = queue.popleft()
        if pk in seen:
            continue
        seen.add(pk)
        current = Issue.objects.select_related("forum").filter(pk=pk).first()
        if current is None:
            continue
        chain.nodes[_key(pk)] = _issue_node(current)
        # Forwards that made this issue (its sources below) ...
        for forward in Forward.objects.filter(created_issue_id=pk):
            source_id = forward.source_issue_id if forward.source_instance == "" else None
            if source_id is not None and Issue.objects.filter(pk=source_id).exists():
                source = _key(source_id)
                queue.append(source_id)
            else:
                remote = _remote_node(forward)
                chain.nodes.setdefault(remote.key, remote)
                source = remote.key
            chain.edges.append(Edge("forward", source, _key(pk), forward.forwarded_at))
        # ... the forwards it made above ...
        for forward in Forward.objects.filter(
            source_instance="", source_forum=current.forum.slug,
            source_kind=Forward.Kind.ISSUE, source_id=pk,
        ):  # fmt: skip
            queue.append(forward.created_issue_id)
        # ... and the merges it took part in, either side.
        for merge in Merge.objects.filter(issue_id=pk):
            chain.edges.append(Edge("merge", _key(pk), _key(merge.into_id), merge.merged_at))
            queue.append(merge.into_id)
        for merge in Merge.objects.filter(into_id=pk):
            queue.append(merge.issue_id)
    chain.nodes[chain.focus].is_focus = True
    # Edges to issues past the bound are left out rather than drawn to nothing.
    chain.edges = [e for e in chain.edges if e.source in chain.nodes and e.target in chain.nodes]
    unique: dict[tuple[str, str, str], Edge] = {
        (e.kind, e.source, e.target): e for e in chain.edges
    }
    chain.edges = sorted(unique.values(), key=lambda e: e.at)
    return chain
