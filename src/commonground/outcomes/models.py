"""Messages: the forum's non-binding outcomes on agenda issues (docs/consensus.md).

A message is drafted by a steward on one agenda issue, goes through a public comment
window where every member records one position, gets a disposition for every objection and
a designation by the chair, and is then published and referred to named bodies, whose
decision makers record what their institution did with it (uptake). States run
``draft`` -> ``public_comment`` -> ``published`` -> ``referred``; never "adopted".
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from commonground.issues.models import CommunityTranslation, one_translation_per_language
from commonground.stakeholders import GROUPS

MAX_TITLE = 200
MAX_TEXT = 20_000
MAX_POSITION_TEXT = 4000
MAX_REASON = 4000
MAX_RATIONALE = 8000

_SHARE = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))]


class MessageSettings(models.Model):
    """A forum's rules for messages: the comment window and the consensus thresholds."""

    forum = models.OneToOneField(
        "forums.Forum", on_delete=models.CASCADE, related_name="message_settings"
    )
    message_comment_min_days = models.PositiveSmallIntegerField(
        _("shortest comment window (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    # Exact decimals: the suggestion compares exact fractions (analysis.consensus).
    consensus_max_mean = models.DecimalField(
        max_digits=4, decimal_places=3, default=Decimal("0.10"), validators=_SHARE
    )
    consensus_max_group = models.DecimalField(
        max_digits=4, decimal_places=3, default=Decimal("0.25"), validators=_SHARE
    )
    strong_support_min = models.DecimalField(
        max_digits=4, decimal_places=3, default=Decimal("0.60"), validators=_SHARE
    )
    minority_group_min = models.DecimalField(
        max_digits=4, decimal_places=3, default=Decimal("0.50"), validators=_SHARE
    )

    class Meta:
        verbose_name = _("message settings")
        verbose_name_plural = _("message settings")

    def __str__(self) -> str:
        return f"message settings of forum {self.forum_id}"


class Message(models.Model):
    """A non-binding outcome of the forum on one agenda issue."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLIC_COMMENT = "public_comment", _("Public comment")
        PUBLISHED = "published", _("Published")
        REFERRED = "referred", _("Referred")

    forum = models.ForeignKey("forums.Forum", on_delete=models.CASCADE, related_name="messages")
    cycle = models.ForeignKey("forums.Cycle", on_delete=models.CASCADE, related_name="messages")
    issue = models.ForeignKey("issues.Issue", on_delete=models.PROTECT, related_name="messages")
    title = models.CharField(_("title"), max_length=MAX_TITLE)
    text = models.TextField(_("text"), max_length=MAX_TEXT)
    language = models.CharField(max_length=8, default="en")
    version = models.PositiveIntegerField(default=1)
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    conversations = models.ManyToManyField(
        "dialogue.Conversation", blank=True, related_name="messages"
    )
    reports = models.ManyToManyField("meetings.Report", blank=True, related_name="messages")
    created_by = models.ForeignKey(
        "participants.Membership", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    referred_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["issue_id", "created_at", "id"]
        indexes = [models.Index(fields=["cycle", "state"])]
        verbose_name = _("message")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outcomes:message", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.state in (self.State.PUBLISHED, self.State.REFERRED)

    def window_is_open(self, now: datetime | None = None) -> bool:
        """The comment window holds ``now``: from ``opens_at`` up to, not at, ``closes_at``."""
        if self.opens_at is None or self.closes_at is None:
            return False
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def window_has_closed(self, now: datetime | None = None) -> bool:
        return self.closes_at is not None and (now or timezone.now()) >= self.closes_at


class MessageTranslation(CommunityTranslation):
    """A community translation of a message's current title and text (one per message and
    language), like an issue's (``issues.translating``)."""

    translated = "message"
    body = "text"

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="translations")
    text = models.TextField(max_length=MAX_TEXT)
    text_html = models.TextField(editable=False)
    author = models.ForeignKey(
        "participants.Membership", on_delete=models.PROTECT, related_name="+"
    )

    class Meta(CommunityTranslation.Meta):
        constraints = one_translation_per_language("message")


class MessageVersion(models.Model):
    """One version of a message's title and text, kept so that versions can be diffed."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=MAX_TITLE)
    text = models.TextField(max_length=MAX_TEXT)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        "participants.Membership", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["message_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["message", "number"], name="message_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.message_id} v{self.number}"


class Position(models.Model):
    """A member's one position on a message; changeable until the window closes.

    An ``object`` position is an objection: it says what the member cannot live with and
    gets a disposition from a steward.
    """

    class Kind(models.TextChoices):
        SUPPORT = "support", pgettext_lazy("position on a message", "Support")
        CAN_LIVE_WITH = "can_live_with", _("Can live with it")
        OBJECT = "object", pgettext_lazy("position on a message", "Object")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="positions")
    membership = models.ForeignKey(
        "participants.Membership", on_delete=models.PROTECT, related_name="message_positions"
    )
    # The hat the member wore when recording it: the figures are by this group.
    stakeholder_group = models.CharField(max_length=24)
    position = models.CharField(max_length=16, choices=Kind.choices)
    text = models.TextField(blank=True, max_length=MAX_POSITION_TEXT)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["message_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "membership"], name="one_position_per_member_message"
            ),
            models.CheckConstraint(
                condition=models.Q(stakeholder_group__in=GROUPS), name="position_group_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(position="object") | ~models.Q(text=""),
                name="objection_has_text",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position} on {self.message_id}"

    @property
    def is_objection(self) -> bool:
        return self.position == self.Kind.OBJECT


class Disposition(models.Model):
    """A steward's answer to one objection (IETF: objections are answered, not counted)."""

    class Kind(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        TRADEOFF_ACKNOWLEDGED = "tradeoff_acknowledged", _("Trade-off acknowledged")

    objection = models.OneToOneField(Position, on_delete=models.CASCADE, related_name="disposition")
    disposition = models.CharField(max_length=24, choices=Kind.choices)
    reason = models.TextField(blank=True, max_length=MAX_REASON)
    # For ``accepted``: the version of the text that answers the objection.
    version = models.PositiveIntegerField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "participants.Membership", on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.disposition} for objection {self.objection_id}"


class Reply(models.Model):
    """A member's reply to an objection (public comment is a conversation, not a tally)."""

    objection = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        "participants.Membership", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(max_length=MAX_POSITION_TEXT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return f"reply {self.pk} to objection {self.objection_id}"


class Designation(models.Model):
    """The chair's designation of the consensus level; the latest one counts."""

    class Level(models.TextChoices):
        FULL_CONSENSUS = "full_consensus", _("Full consensus")
        CONSENSUS = "consensus", _("Consensus")
        STRONG_SUPPORT = (
            "strong_support_significant_opposition",
            _("Strong support but significant opposition"),
        )
        DIVERGENCE = "divergence", _("Divergence")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="designations")
    level = models.CharField(max_length=40, choices=Level.choices)
    rationale = models.TextField(max_length=MAX_RATIONALE)
    minority_view = models.TextField(blank=True, max_length=MAX_RATIONALE)
    # The suggestion when the chair designated (both are shown and both are in the ledger).
    suggested_level = models.CharField(max_length=40)
    suggested_minority_groups = models.JSONField(default=list, blank=True)
    designated_by = models.ForeignKey(
        "participants.Membership", on_delete=models.PROTECT, related_name="+"
    )
    designated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["message_id", "designated_at", "id"]

    def __str__(self) -> str:
        return f"{self.level} for message {self.message_id}"

    @property
    def differs_from_suggestion(self) -> bool:
        return self.level != self.suggested_level


class Referral(models.Model):
    """A published message referred to a named body."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental organization")
        REGULATOR = "regulator", _("Regulator")
        STANDARDS_BODY = "standards_body", _("Standards body")
        PRIVATE_SECTOR = "private_sector", _("Private sector")
        OTHER = "other", _("Other")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="referrals")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    contact = models.CharField(max_length=300, blank=True)
    referred_by = models.ForeignKey(
        "participants.Membership", on_delete=models.PROTECT, related_name="+"
    )
    referred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["message_id", "referred_at", "id"]

    def __str__(self) -> str:
        return self.name


class Uptake(models.Model):
    """What a decision maker's institution did with a referred message (the follow-up)."""

    class Action(models.TextChoices):
        DECISION = "decision", _("Decision")
        POLICY = "policy", _("Policy")
        UNDER_CONSIDERATION = "under_consideration", _("Under consideration")
        NO_ACTION = "no_action", _("No action")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="uptake")
    membership = models.ForeignKey(
        "participants.Membership", on_delete=models.PROTECT, related_name="+"
    )
    stakeholder_group = models.CharField(max_length=24)
    body = models.CharField(max_length=200)
    action = models.CharField(max_length=24, choices=Action.choices)
    summary = models.TextField(max_length=MAX_REASON)
    date = models.DateField()
    url = models.URLField(max_length=500, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["message_id", "date", "id"]
        verbose_name_plural = _("uptake records")

    def __str__(self) -> str:
        return f"{self.body}: {self.action}"
