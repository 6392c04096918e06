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
