"""Deliveries between instances (docs/federation.md, "Delivery" and "The inbox").

On the sender, a :class:`Delivery` is the durable state of a forward to a forum on a peer:
the background task and ``commonground worker`` pick it up from this row, so a restart on
either side loses nothing. On the receiver, a :class:`ReceivedDelivery` ties a peer's
delivery to the forward record it created (one issue, however often it arrives), and a
:class:`SeenNonce` refuses a replayed request.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_delivery_id() -> str:
    return secrets.token_hex(16)


class Delivery(models.Model):
    """A forward to a forum on another instance, as the sender keeps it: of an issue, or
    of a published message (``message`` set; ``issue`` is then the issue it is about)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    public_id = models.CharField(max_length=32, unique=True, default=new_delivery_id)
    issue = models.ForeignKey("issues.Issue", on_delete=models.CASCADE, related_name="deliveries")
    message = models.ForeignKey(
        "outcomes.Message", null=True, blank=True, on_delete=models.CASCADE,
        related_name="deliveries",
    )  # fmt: skip
    peer = models.ForeignKey("federation.Peer", on_delete=models.PROTECT, related_name="deliveries")
    target_url = models.CharField(_("target forum"), max_length=300)
    record = models.JSONField(default=dict)  # the forward record, as the ledger entry holds it
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    remote_issue_url = models.CharField(max_length=300, blank=True)
    created_by = models.CharField(max_length=16, blank=True)  # the steward's public id
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "target_url"],
                condition=~models.Q(state="failed") & models.Q(message__isnull=True),
                name="one_live_delivery_per_target",
            ),
            models.UniqueConstraint(
                fields=["message", "target_url"],
                condition=~models.Q(state="failed") & models.Q(message__isnull=False),
                name="one_live_message_delivery_per_target",
            ),
        ]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        what = f"message {self.message_id}" if self.message_id else f"issue {self.issue_id}"
        return f"delivery {self.public_id} of {what} to {self.target_url}"


class ReceivedDelivery(models.Model):
    """A peer's delivery as this instance received it: the forward it made, the entry it cited."""

    peer = models.ForeignKey("federation.Peer", on_delete=models.CASCADE, related_name="received")
    delivery = models.CharField(max_length=64)  # the sender's delivery id
    forward = models.OneToOneField(
        "network.Forward", on_delete=models.CASCADE, related_name="received_delivery"
    )
    source_seq = models.BigIntegerField()
    source_entry_hash = models.CharField(max_length=64)
    checkpoint_tree_size = models.BigIntegerField()
    checkpoint_root_hash = models.CharField(max_length=64)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["received_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["peer", "delivery"], name="receive_delivery_once")
        ]
        verbose_name = _("received delivery")
        verbose_name_plural = _("received deliveries")

    def __str__(self) -> str:
        return f"{self.delivery} from {self.peer_id}"


class SeenNonce(models.Model):
    """A signature nonce already accepted from a key (RFC 9421 ``nonce``); kept past the
    five minutes a signature is valid, then pruned."""

    key_id = models.CharField(max_length=64)
    nonce = models.CharField(max_length=128)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key_id", "nonce"], name="nonce_once_per_key")
        ]
        verbose_name = _("seen nonce")
        verbose_name_plural = _("seen nonces")

    def __str__(self) -> str:
        return f"{self.key_id[:12]}… {self.nonce}"
