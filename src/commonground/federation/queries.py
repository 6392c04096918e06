"""What the pages show about forwards to other instances (reads only)."""

from __future__ import annotations

from dataclasses import dataclass, field

from commonground.access.members import AnyUser, can_steward, membership_of
from commonground.federation.models import Delivery, RemoteForum, RemoteParent
from commonground.forums.models import Forum
from commonground.issues.models import Issue


@dataclass
class RemoteForwardPanel:
    """The forums above on other instances, and this issue's deliveries (for stewards)."""

    is_steward: bool = False
    targets: list[RemoteForum] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)


def remote_targets(forum: Forum) -> list[RemoteForum]:
    """The forums on other instances above ``forum`` (its remote parent, and its
    ancestors' here), nearest first."""
    targets: list[RemoteForum] = []
    node: Forum | None = forum
    while node is not None:
        link = RemoteParent.objects.filter(forum=node).select_related("remote__peer").first()
        if link is not None and link.remote not in targets:
            targets.append(link.remote)
        node = node.parent
    return targets


def remote_forward_panel(issue: Issue, user: AnyUser) -> RemoteForwardPanel:
    panel = RemoteForwardPanel(is_steward=can_steward(membership_of(user, issue.forum)))
    if panel.is_steward:
        panel.targets = remote_targets(issue.forum)
        panel.deliveries = list(Delivery.objects.filter(issue=issue).order_by("-created_at"))
    return panel
