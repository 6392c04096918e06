"""Peers and their forums (docs/federation.md, "Peering" and "Remote parents").

A :class:`Peer` is another Common Ground instance whose Ed25519 key this instance pinned
from its ``/.well-known/commonground`` document; a :class:`RemoteForum` is a forum on a
peer that this instance knows of: the remote parent of a local forum, or a child forum on
another instance that forwarded issues here (and that a steward may block).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Peer(models.Model):
    """Another instance, by its public base URL, with its pinned Ed25519 key."""

    url = models.CharField(_("base URL"), max_length=200, unique=True)  # no trailing slash
    name = models.CharField(_("name"), max_length=160, blank=True)
    key_id = models.CharField(_("key id"), max_length=64, unique=True)
    public_key = models.CharField(_("public key"), max_length=44)  # base64 of the raw 32 bytes
    fingerprint = models.CharField(_("fingerprint"), max_length=64)  # hex SHA-256 of the key
    software_version = models.CharField(_("software version"), max_length=40, blank=True)
    pinned_at = models.DateTimeField(_("pinned at"), default=timezone.now)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        ordering = ["url"]
        verbose_name = _("peer")
        verbose_name_plural = _("peers")

    def __str__(self) -> str:
        return self.url


class RemoteForum(models.Model):
    """A forum on a peer, as that peer's well-known document or a delivery from it names it."""

    peer = models.ForeignKey(Peer, on_delete=models.CASCADE, related_name="forums")
    url = models.CharField(_("URL"), max_length=300, unique=True)
    slug = models.SlugField(_("slug"), max_length=60)
    name = models.CharField(_("name"), max_length=160, blank=True)
    level = models.CharField(_("level"), max_length=12)
    first_seen_at = models.DateTimeField(_("first seen at"), default=timezone.now)

    class Meta:
        ordering = ["url"]
        verbose_name = _("forum on another instance")
        verbose_name_plural = _("forums on other instances")

    def __str__(self) -> str:
        return self.url


class RemoteParent(models.Model):
    """A local forum whose parent forum is on another instance."""

    forum = models.OneToOneField(
        "forums.Forum", on_delete=models.CASCADE, related_name="remote_parent"
    )
    remote = models.ForeignKey(RemoteForum, on_delete=models.PROTECT, related_name="children_here")
    linked_at = models.DateTimeField(_("linked at"), default=timezone.now)

    class Meta:
        verbose_name = _("remote parent")
        verbose_name_plural = _("remote parents")

    def __str__(self) -> str:
        return f"{self.forum_id} -> {self.remote_id}"


class RemoteChild(models.Model):
    """A forum on another instance that forwarded to a local forum; its steward may block it."""

    remote = models.ForeignKey(RemoteForum, on_delete=models.CASCADE, related_name="targets")
    target = models.ForeignKey(
        "forums.Forum", on_delete=models.CASCADE, related_name="remote_children"
    )
    blocked = models.BooleanField(_("blocked"), default=False)
    blocked_at = models.DateTimeField(_("blocked at"), null=True, blank=True)
    blocked_by = models.ForeignKey(
        "participants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_seen_at = models.DateTimeField(_("first seen at"), default=timezone.now)

    class Meta:
        ordering = ["remote__url"]
        verbose_name = _("child forum on another instance")
        verbose_name_plural = _("child forums on other instances")
        constraints = [
            models.UniqueConstraint(fields=["remote", "target"], name="one_remote_child_per_target")
        ]

    def __str__(self) -> str:
        return f"{self.remote_id} -> {self.target_id}"
