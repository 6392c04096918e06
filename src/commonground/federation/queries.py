"""What the pages show about forwards to other instances (reads only)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse

from commonground.access.members import AnyUser, can_steward, membership_of
from commonground.federation.models import Delivery, RemoteForum, RemoteParent
from commonground.forums.models import Forum
from commonground.issues.models import Issue
from commonground.outcomes.models import Message


@dataclass
class RemoteForwardPanel:
    """The forums above on other instances, and the deliveries of an issue or a message
    (for stewards), each with its target forum's name; ``page`` is the forward page."""

    is_steward: bool = False
    page: str = ""
    targets: list[RemoteForum] = field(default_factory=list)
    deliveries: list[tuple[Delivery, str]] = field(default_factory=list)


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


def remote_forward_panel(
    issue: Issue, user: AnyUser, message: Message | None = None
) -> RemoteForwardPanel:
    """The panel of an issue's forwards to other instances, or (``message`` set) of a
    message's; a target is named as its instance lists it, else by its URL."""
    forum = issue.forum if message is None else message.forum
    panel = RemoteForwardPanel(is_steward=can_steward(membership_of(user, forum)))
    if not panel.is_steward:
        return panel
    panel.targets = remote_targets(forum)
    if message is None:
        sent = Delivery.objects.filter(issue=issue, message__isnull=True)
        panel.page = reverse("deliveries:forward_remote", args=[issue.pk])
    else:
        sent = Delivery.objects.filter(message=message)
        panel.page = reverse("deliveries:forward_message_remote", args=[message.pk])
    rows = list(sent.order_by("-created_at"))
    names = dict(
        RemoteForum.objects.filter(url__in={d.target_url for d in rows}).values_list("url", "name")
    )
    panel.deliveries = [(d, names.get(d.target_url) or d.target_url) for d in rows]
    return panel
