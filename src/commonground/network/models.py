"""Across levels (docs/network.md): forwards up the forum tree, merges, NRI teams and reports.

A :class:`Forward` is one self-contained record: what was forwarded (title, description,
topics, language), from where (instance, forum with its level, country and region, the
issue or message id), with which figures (the published agenda it was on, its rank,
``B``, breadth and supports by group), by whom and when. It names the source by values,
not by foreign keys, so the same record can arrive from another instance (docs/network.md,
"Across instances").
Only the target side (the forum and the issue it created) are local rows.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.participants.models import StakeholderGroup

#: Version of the forward record's layout (its ``payload``).
FORWARD_FORMAT = "commonground-forward/v1"


class Forward(models.Model):
    """An issue or published message forwarded to an ancestor forum, frozen at that moment."""

    class Kind(models.TextChoices):
        ISSUE = "issue", _("issue")
        MESSAGE = "message", _("message")

    # Where it came from: "" is this instance; another instance is named by its base URL.
    source_instance = models.CharField(max_length=200, blank=True)
    source_forum = models.CharField(max_length=60)
    source_forum_name = models.CharField(max_length=160)
    source_level = models.CharField(max_length=12)
    source_country = models.CharField(max_length=2, blank=True)
    source_region = models.CharField(max_length=20, blank=True)
    source_kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.ISSUE)
    source_id = models.BigIntegerField()
    # For a message: the agenda issue it is about (its figures are that issue's).
    source_issue_id = models.BigIntegerField(null=True, blank=True)
    source_cycle = models.CharField(max_length=60, blank=True)
    # What: the text as it stood when forwarded.
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=20_000)
    topics = models.JSONField(default=list)
    language = models.CharField(max_length=8, default="en")
    # With which figures: the published agenda the issue was on.
    publication_number = models.PositiveIntegerField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    agenda_rank = models.PositiveIntegerField(null=True, blank=True)
    balanced_support = models.FloatField(null=True, blank=True)
    breadth = models.PositiveSmallIntegerField(null=True, blank=True)
    supports_by_group = models.JSONField(default=dict)
    # The forums the source issue itself came from (its own provenance, flattened), so a
    # forward from a regional forum still says which national forums raised the concern.
    origins = models.JSONField(default=list)
    # By whom and when.
    forwarded_by = models.CharField(max_length=16, blank=True)
    forwarded_by_name = models.CharField(max_length=160, blank=True)
    forwarded_at = models.DateTimeField(default=timezone.now)
    # Where it went: the target forum, and the issue made there (a merge moves it on).
    target_forum = models.ForeignKey(
        "forums.Forum", on_delete=models.CASCADE, related_name="forwards_received"
    )
    target_issue = models.ForeignKey(
        "issues.Issue", on_delete=models.CASCADE, related_name="provenance"
    )
    # The issue the forward created (kept when a merge moves the record to another issue).
    created_issue_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "source_instance",
                    "source_forum",
                    "source_kind",
                    "source_id",
                    "target_forum",
                ],
                name="forward_once_per_target",
            )
        ]
        indexes = [models.Index(fields=["source_forum", "source_kind", "source_id"])]
        ordering = ["forwarded_at", "id"]
        verbose_name = _("forward")
        verbose_name_plural = _("forwards")

    def __str__(self) -> str:
        return f"{self.source_forum} {self.source_kind} {self.source_id} -> {self.target_forum_id}"

    @property
    def source_forum_url(self) -> str:
        """The source forum's public page on its instance ("" for a forum of this one)."""
        if not self.source_instance:
            return ""
        return f"{self.source_instance}/forums/{self.source_forum}/"

    @property
    def source_issue_url(self) -> str:
        """The source issue's public page on its instance ("" for one of this instance)."""
        if not self.source_instance or self.source_issue_id is None:
            return ""
        return f"{self.source_instance}/issues/{self.source_issue_id}/"

    def payload(self, to: str | None = None) -> dict[str, Any]:
        """The self-contained record: everything a receiver needs, nothing local to it.

        ``to`` names the target when it is not a local forum (the full URL of a forum on
        another instance, docs/federation.md); by default the target forum's slug.
        """
        return {
            "format": FORWARD_FORMAT,
            "source": {
                "instance": self.source_instance,
                "forum": self.source_forum,
                "forum_name": self.source_forum_name,
                "level": self.source_level,
                "country": self.source_country,
                "region": self.source_region,
                "kind": self.source_kind,
                "id": self.source_id,
                "issue_id": self.source_issue_id,
                "cycle": self.source_cycle,
            },
            "what": {
                "title": self.title,
                "description": self.description,
                "topics": list(self.topics),
                "language": self.language,
            },
            "figures": {
                "publication_number": self.publication_number,
                "published_at": self.published_at.isoformat() if self.published_at else None,
                "agenda_rank": self.agenda_rank,
                # As text: a float has no single canonical JSON form (the ledger refuses it).
                "balanced_support": (
                    None if self.balanced_support is None else repr(self.balanced_support)
                ),
                "breadth": self.breadth,
                "supports_by_group": dict(self.supports_by_group),
            },
            "origins": list(self.origins),
            "by": {"public_id": self.forwarded_by, "name": self.forwarded_by_name},
            "at": self.forwarded_at.isoformat(),
            "to": self.target_forum.slug if to is None else to,
        }


class Merge(models.Model):
    """Issue ``issue`` merged into ``into`` by a steward of the forum holding both."""

    forum = models.ForeignKey("forums.Forum", on_delete=models.CASCADE, related_name="merges")
    issue = models.OneToOneField("issues.Issue", on_delete=models.CASCADE, related_name="merge")
    into = models.ForeignKey("issues.Issue", on_delete=models.CASCADE, related_name="merges_in")
    merged_by = models.CharField(max_length=16, blank=True)
    merged_at = models.DateTimeField(default=timezone.now)
    supports_moved = models.PositiveIntegerField(default=0)
    supports_deduplicated = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["merged_at", "id"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")

    def __str__(self) -> str:
        return f"issue {self.issue_id} merged into {self.into_id}"


class DismissedSuggestion(models.Model):
    """A steward said that a suggested similar issue is not the same concern."""

    issue = models.ForeignKey("issues.Issue", on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey("issues.Issue", on_delete=models.CASCADE, related_name="+")
    dismissed_by = models.CharField(max_length=16, blank=True)
    dismissed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issue", "other"], name="dismiss_suggestion_once")
        ]
        verbose_name = _("dismissed suggestion")

    def __str__(self) -> str:
        return f"{self.other_id} is not like {self.issue_id}"


class TeamMember(models.Model):
    """A member of an NRI's organizing team, with a role; one of them may be coordinator."""

    forum = models.ForeignKey("forums.Forum", on_delete=models.CASCADE, related_name="team")
    name = models.CharField(max_length=160)
    stakeholder_group = models.CharField(max_length=24, choices=StakeholderGroup.choices)
    role = models.CharField(max_length=120, blank=True)
    is_coordinator = models.BooleanField(default=False)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-is_coordinator", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["forum"],
                condition=models.Q(is_coordinator=True),
                name="one_coordinator_per_forum",
            )
        ]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self) -> str:
        return self.name


class AnnualReport(models.Model):
    """An NRI's annual report of one cycle (the IGF's listing requirement)."""

    cycle = models.OneToOneField(
        "forums.Cycle", on_delete=models.CASCADE, related_name="annual_report"
    )
    edition = models.CharField(max_length=120)
    dates = models.CharField(max_length=120)
    venue = models.CharField(max_length=200)
    preparation = models.TextField(max_length=10_000)
    outcomes = models.TextField(max_length=10_000)
    filed_by = models.CharField(max_length=16, blank=True)
    filed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")

    def __str__(self) -> str:
        return f"{self.cycle} report"
