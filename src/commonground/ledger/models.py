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
    # The PendingEntry it was integrated from (batched sequencing); not part of the entry.
    pending_id = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "ledger entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class PendingEntry(models.Model):
    """An entry written by its change's transaction but not yet given its place in the tree.

    In batched sequencing (docs/ledger.md, section 7) a write appends here, without the
    head's lock; the sequencer moves pending entries into :class:`LedgerEntry` in ``id``
    order, assigning ``seq`` and ``leaf_hash``, within the maximum merge delay.
    """

    id = models.BigAutoField(primary_key=True)
    time = models.DateTimeField()
    actor = models.CharField(max_length=32, null=True, blank=True)  # noqa: DJ001 - as LedgerEntry
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    forum = models.CharField(max_length=60, blank=True)
    fields = models.JSONField(default=dict)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "pending ledger entries"

    def __str__(self) -> str:
        return f"pending {self.id} {self.action} {self.object_type}:{self.object_id}"


class LedgerHead(models.Model):
    """A single row locked by every integration (an inline append, or a sequencer batch),
    so sequence numbers never collide or gap."""

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


class WitnessedLog(models.Model):
    """Another instance's ledger this instance witnesses (``commonground witness add URL``).

    On a schedule the witness fetches its latest checkpoint, checks it is signed by the key
    pinned at the first fetch and consistent with the last one seen here, then co-signs it
    and sends the co-signature back. An inconsistent checkpoint is a split view: never
    co-signed, kept with its proof (:class:`SplitView`) and reported to both sides.
    """

    url = models.URLField(max_length=200, unique=True)
    public_key = models.CharField(max_length=60, blank=True)  # pinned on the first fetch
    tree_size = models.BigIntegerField(default=0)
    root_hash = models.CharField(max_length=64, blank=True)
    checkpoint = models.JSONField(default=dict)  # the last consistent checkpoint seen
    checked_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=300, blank=True)  # the last round's outcome, one line
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["url"]

    def __str__(self) -> str:
        return f"witnessing {self.url} at {self.tree_size}"


class Cosignature(models.Model):
    """A witness's co-signature of one of this instance's checkpoints, published with it."""

    tree_size = models.BigIntegerField(db_index=True)
    root_hash = models.CharField(max_length=64)
    url = models.URLField(max_length=200)
    key_id = models.CharField(max_length=64)  # SHA-256 (hex) of the witness's raw public key
    signature = models.CharField(max_length=100)
    seen_at = models.CharField(max_length=32)  # exactly the signed text
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tree_size", "key_id"]
        constraints = [
            models.UniqueConstraint(fields=["tree_size", "key_id"], name="one_cosignature_per_key")
        ]

    def __str__(self) -> str:
        return f"co-signature of {self.tree_size} by {self.url}"


class SplitView(models.Model):
    """Proof that a ledger showed two histories: two checkpoints it signed that disagree.

    ``side`` says whose: ``witness`` (this instance saw another's split view) or
    ``witnessed`` (a witness reported this instance's). Kept for good.
    """

    side = models.CharField(max_length=10)
    url = models.URLField(max_length=200)
    first = models.JSONField()  # the checkpoint seen before
    second = models.JSONField()  # the checkpoint that contradicts it
    proof = models.JSONField(default=list)  # the consistency proof that failed (hex), if any
    reason = models.CharField(max_length=300)
    found_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-found_at"]

    def __str__(self) -> str:
        return f"split view ({self.side}) {self.url}: {self.reason}"
