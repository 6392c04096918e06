"""The append-only ledger: one entry per state change."""

from __future__ import annotations

from django.db import models


class LedgerEntry(models.Model):
    """One state change. ``leaf_hash`` is SHA-256(0x00 ‖ canonical entry), see docs/ledger.md."""

    seq = models.BigIntegerField(primary_key=True)
    time = models.DateTimeField()
    actor = models.CharField(max_length=32, null=True, blank=True)  # noqa: DJ001 - null means the operator
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    forum = models.CharField(max_length=60, blank=True, db_index=True)
    fields = models.JSONField(default=dict)
    leaf_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "ledger entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class LedgerHead(models.Model):
    """A single row locked by every append, so sequence numbers never collide or gap."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"ledger head at {self.size}"


class Checkpoint(models.Model):
    """A signed statement of the ledger's size and root hash (docs/ledger.md, section 5).

    Publishing a checkpoint is not itself a ledger entry: it states the ledger, it does not
    change it. One checkpoint per tree size.
    """

    tree_size = models.BigIntegerField(unique=True)
    root_hash = models.CharField(max_length=64)
    timestamp = models.CharField(max_length=32)  # exactly the signed text, e.g. ...000000Z
    origin = models.CharField(max_length=200)
    signature = models.CharField(max_length=100)  # base64 of the 64-byte Ed25519 signature
    public_key = models.CharField(max_length=60)  # base64 of the raw 32-byte public key

    class Meta:
        ordering = ["tree_size"]

    def __str__(self) -> str:
        return f"checkpoint at {self.tree_size} ({self.root_hash[:12]}…)"
