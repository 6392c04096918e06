"""Issues of concern, topics, supports and the per-group support tallies."""

from __future__ import annotations

import hashlib
from typing import Any, ClassVar

from django.db import models
from django.urls import reverse
from django.utils import timezone

from commonground.issues.sdgs import SDG_TITLES, sdg_label_translated
from commonground.participants.models import StakeholderGroup
from commonground.stakeholders import GROUPS

# The Issue column holding each group's tally.
TALLY_FIELDS: dict[str, str] = {g: f"supports_{g}" for g in GROUPS}


class Topic(models.Model):
    """A tag: a free topic or one of the 17 SDGs (``sdg-N``)."""

    slug = models.SlugField(max_length=60, unique=True)
    label = models.CharField(max_length=80)
    is_sdg = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_sdg", "slug"]

    def __str__(self) -> str:
        return self.label

    @property
    def shown_label(self) -> str:
        """The label in the reader's language: an SDG's UN title is translated, a free
        tag is shown as its author wrote it."""
        number = self.slug[4:]
        if self.is_sdg and number.isdigit() and int(number) in SDG_TITLES:
            return sdg_label_translated(int(number))
        return self.label


class Issue(models.Model):
    """An issue of concern, raised bottom-up by a member during a cycle."""

    cycle = models.ForeignKey("forums.Cycle", on_delete=models.CASCADE, related_name="issues")
    forum = models.ForeignKey("forums.Forum", on_delete=models.CASCADE, related_name="issues")
    author = models.ForeignKey(
        "participants.Membership", on_delete=models.PROTECT, related_name="issues"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=20_000)
    description_html = models.TextField(editable=False)
    language = models.CharField(max_length=8, default="en")
    topics = models.ManyToManyField(Topic, blank=True, related_name="issues")
    raised_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    support_count = models.PositiveIntegerField(default=0)
    # Supports per stakeholder group, kept exact in the same transaction as every support
    # and withdrawal: the live agenda reads these six columns, never the raw supports.
    supports_government = models.PositiveIntegerField(default=0)
    supports_intergovernmental = models.PositiveIntegerField(default=0)
    supports_internet_institution = models.PositiveIntegerField(default=0)
    supports_private_sector = models.PositiveIntegerField(default=0)
    supports_civil_society = models.PositiveIntegerField(default=0)
    supports_academic_technical = models.PositiveIntegerField(default=0)
    # Set when a steward merges this issue into another of the same forum (the network
    # app's merge): its supports have moved there, and its page redirects there.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )

    class Meta:
        # No index holds a count (support_count, the six tallies): every support and
        # withdrawal updates them, and PostgreSQL can update a row in place of its page
        # (a HOT update, no new entry in any index) only when no indexed column changes.
        # With the counts indexed, each support wrote a new entry into all eight indexes
        # of the issue, under the hot issue's row lock (docs/performance.md, "The issue's
        # row updated in place"). Lists ordered by support sort a cycle's issues; the
        # live agenda reads the cycle's rows through the cycle's index.
        indexes = [models.Index(fields=["cycle", "-raised_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("issues:detail", args=[self.pk])

    @property
    def supports_by_group(self) -> dict[str, int]:
        """The six per-group tallies, in the fixed group order."""
        return {g: getattr(self, TALLY_FIELDS[g]) for g in GROUPS}


class Support(models.Model):
    """One participant drawing attention to one issue.

    The group is copied from the membership at the time of support, so the
    tallies and the raw rows always agree even if a membership changes later.
    """

    # No index of their own for ``issue`` and ``membership``: the unique constraint's
    # index leads with the issue and the (membership, cycle) index with the membership,
    # and each index is one more entry written by every support (issue 19).
    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="supports", db_index=False
    )
    membership = models.ForeignKey(
        "participants.Membership", on_delete=models.CASCADE, related_name="supports",
        db_index=False,
    )  # fmt: skip
    cycle = models.ForeignKey("forums.Cycle", on_delete=models.CASCADE, related_name="+")
    stakeholder_group = models.CharField(max_length=24, choices=StakeholderGroup.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "membership"], name="one_support_per_participant_per_issue"
            )
        ]
        indexes = [models.Index(fields=["membership", "cycle"])]

    def __str__(self) -> str:
        return f"support of issue {self.issue_id} by membership {self.membership_id}"


# Shared counters are split over this many rows, picked by the writer and summed on read,
# so concurrent supports rarely wait for one another's row (docs/scaling.md, section 1).
TALLY_SHARDS = 16


class ActiveTally(models.Model):
    """Members of a group who support at least one issue in the cycle (``n_g``): the sum
    of the group's shard rows (a member's changes go to shard ``membership id % 16``)."""

    cycle = models.ForeignKey(
        "forums.Cycle", on_delete=models.CASCADE, related_name="active_tallies"
    )
    stakeholder_group = models.CharField(max_length=24, choices=StakeholderGroup.choices)
    shard = models.PositiveSmallIntegerField(default=0)
    # A member's additions and removals go to the same shard, so none goes below zero.
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "stakeholder_group", "shard"], name="one_active_tally_per_shard"
            )
        ]

    def __str__(self) -> str:
        return f"cycle {self.cycle_id} {self.stakeholder_group}/{self.shard}: {self.count}"


class TallyVersion(models.Model):
    """One shard of a cycle's tally version: every support or withdrawal on an issue adds
    one to shard ``issue id % 16`` in its transaction. With ``Cycle.tally_version``
    (raised, merged and forwarded issues) it keys the cached agenda
    (``commonground.issues.tallies.tally_version``)."""

    cycle = models.ForeignKey(
        "forums.Cycle", on_delete=models.CASCADE, related_name="tally_versions"
    )
    shard = models.PositiveSmallIntegerField()
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "shard"], name="one_tally_version_per_shard")
        ]

    def __str__(self) -> str:
        return f"cycle {self.cycle_id} version shard {self.shard}: {self.version}"


def source_digest(original: Any, body: str) -> str:
    """The SHA-256 of an original's title and body (field ``body``): what a community
    translation records of the text it was made from, to tell when that text changed."""
    text = f"{original.title}\x00{getattr(original, body)}"
    return hashlib.sha256(text.encode()).hexdigest()


# The ``source_sha256`` of a translation known to be stale from a text no longer known (one
# restored from an open-data package, whose ``stale`` column says it was): never a digest,
# so it reads as stale until its author edits it.
EARLIER_SOURCE = "earlier"


class CommunityTranslation(models.Model):
    """What every community translation shares (of an issue, a solution or a message): the
    language it is in, its title, its times, its moderation state and the digest of the
    original's text it translates. The translated object, the body and the author are
    declared by each kind."""

    language = models.CharField(max_length=8)
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    hidden = models.BooleanField(default=False)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=500, blank=True)
    # The original's title and body when the translation was added or last edited
    # (source_digest); empty for translations made before it was recorded (never stale).
    source_sha256 = models.CharField(max_length=64, blank=True, editable=False)

    #: The name of the field holding the translated object ("issue", "solution", ...).
    translated: ClassVar[str]
    #: The name of the translated body, the same on the original and the translation.
    body: ClassVar[str]

    class Meta:
        abstract = True
        ordering = ["language", "id"]

    def __str__(self) -> str:
        translated_id = getattr(self, f"{self.translated}_id")
        return f"{self.language} translation of {self.translated} {translated_id}"

    @property
    def stale(self) -> bool:
        """The original's title or body changed after this translation was added or last
        edited by its author (a revised message, an edited issue or solution): readers are
        told it may be out of date. Reads the translated object (a query unless loaded)."""
        if not self.source_sha256:
            return False
        return self.source_sha256 != source_digest(getattr(self, self.translated), self.body)


def one_translation_per_language(translated: str) -> list[models.BaseConstraint]:
    """A kind's constraint: one translation per translated object and language."""
    return [
        models.UniqueConstraint(
            fields=[translated, "language"], name=f"one_translation_per_{translated}_and_language"
        )
    ]


class IssueTranslation(CommunityTranslation):
    """A community translation of an issue's title and description into another of the
    six languages: one per issue and language, edited by the member who added it,
    hidden or restored by a steward."""

    translated = "issue"
    body = "description"

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="translations")
    description = models.TextField(max_length=20_000)
    description_html = models.TextField(editable=False)
    author = models.ForeignKey(
        "participants.Membership", on_delete=models.PROTECT, related_name="issue_translations"
    )

    class Meta(CommunityTranslation.Meta):
        constraints = one_translation_per_language("issue")
