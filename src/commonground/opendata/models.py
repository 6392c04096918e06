"""Provenance of imported forums."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class ImportRecord(models.Model):
    """A forum restored by ``commonground import`` from a data package.

    The import is not a forum event, so it is not in the ledger; this row says where the
    forum came from. ``parent_slug`` keeps the slug of a parent forum that lives on another
    instance (the imported forum is a root here), so that exporting it again names the
    same parent.
    """

    forum = models.OneToOneField(
        "forums.Forum", on_delete=models.CASCADE, related_name="import_record"
    )
    parent_slug = models.CharField(max_length=60, blank=True)
    package_name = models.CharField(max_length=200)
    tree_size = models.BigIntegerField()
    root_hash = models.CharField(max_length=64)
    imported_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.forum_id} imported from {self.package_name}"


class AuditRun(models.Model):
    """One run of ``commonground ledger audit``: does the public state follow from the ledger?

    The worker runs the audit on a schedule; the latest run is shown to stewards and on
    the ledger page, so a failure (a table edited past the services) is seen.
    """

    ran_at = models.DateTimeField(default=timezone.now, db_index=True)
    ok = models.BooleanField()
    entries = models.BigIntegerField()
    differences = models.BigIntegerField(default=0)
    first = models.JSONField(default=list)  # the first differences, one line each

    class Meta:
        ordering = ["-ran_at"]

    def __str__(self) -> str:
        return f"ledger audit {'OK' if self.ok else 'FAILED'} at {self.ran_at:%Y-%m-%d %H:%M}"
