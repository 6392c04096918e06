"""Contributions around an issue (signals, solutions, advice, comments) and their moderation."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.issues.models import CommunityTranslation, one_translation_per_language


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class Feasibility(models.TextChoices):
    FEASIBLE = "feasible", _("Feasible")
    FEASIBLE_WITH_CONDITIONS = "feasible_with_conditions", _("Feasible with conditions")
    NOT_FEASIBLE = "not_feasible", _("Not feasible")
    UNCLEAR = "unclear", _("Unclear")


class Stance(models.TextChoices):
    IN_FAVOUR = "in_favour", _("In favour")
    NEUTRAL = "neutral", _("Neutral")
    AGAINST = "against", _("Against")


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    OFFENSIVE = "offensive", _("Offensive")
    OFF_TOPIC = "off_topic", _("Off topic")
    OTHER = "other", _("Other")


class Resolution(models.TextChoices):
    """How a steward closed a report."""

    HIDDEN = "hidden", _("Hidden")
    RESTORED = "restored", _("Restored")
    DISMISSED = "dismissed", _("Dismissed")


class Kind(models.TextChoices):
    """The kinds of contribution that can be reported and moderated."""

    SIGNAL = "signal", _("Signal of concern")
    SOLUTION = "solution", _("Envisaged solution")
    ADVICE = "advice", _("Technical advice")
    COMMENT = "comment", _("Comment")


class ContributionSettings(models.Model):
    """Per-forum rules for contributions and moderation, edited by the forum's stewards."""

    forum = models.OneToOneField(
        "forums.Forum", on_delete=models.CASCADE, related_name="contribution_settings"
    )
    verified_required_for_signals_and_advice = models.BooleanField(
        default=False,
        help_text=_("Only members whose stakeholder group is verified may signal or advise."),
    )
    report_threshold = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("Distinct members whose reports hide a contribution automatically."),
    )

    class Meta:
        verbose_name_plural = "contribution settings"

    def __str__(self) -> str:
        return f"contribution settings of forum {self.forum_id}"


class Moderated(models.Model):
    """What every contribution shares: its author, times and moderation state."""

    forum = models.ForeignKey("forums.Forum", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        "participants.Membership", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    hidden = models.BooleanField(default=False)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        abstract = True


class Signal(Moderated):
    """A government's or IGO's formal signal of concern on an issue (no weight in recognition)."""

    issue = models.ForeignKey("issues.Issue", on_delete=models.CASCADE, related_name="signals")
    jurisdiction = models.CharField(max_length=40)
    priority = models.CharField(max_length=8, choices=Priority.choices)
    statement = models.TextField(max_length=5000)
    statement_html = models.TextField(editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issue", "author"], name="one_signal_per_member_issue"),
            models.CheckConstraint(
                condition=models.Q(priority__in=Priority.values), name="signal_priority_valid"
            ),
        ]
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"signal {self.pk} ({self.jurisdiction}) on issue {self.issue_id}"


class Solution(Moderated):
    """An envisaged solution to an issue, proposed by any member."""

    issue = models.ForeignKey("issues.Issue", on_delete=models.CASCADE, related_name="solutions")
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=10_000)
    description_html = models.TextField(editable=False)
    actors = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=8, default="en")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title


class SolutionTranslation(CommunityTranslation):
    """A community translation of a solution's title and description (one per solution
    and language), like an issue's (``issues.translating``)."""

    translated = "solution"
    body = "description"

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="translations")
    description = models.TextField(max_length=10_000)
    description_html = models.TextField(editable=False)
    author = models.ForeignKey(
        "participants.Membership", on_delete=models.PROTECT, related_name="+"
    )

    class Meta(CommunityTranslation.Meta):
        constraints = one_translation_per_language("solution")


class Advice(Moderated):
    """A technical advisor's structured assessment of one solution."""

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="advice")
    feasibility = models.CharField(max_length=24, choices=Feasibility.choices)
    conditions = models.TextField(max_length=3000, blank=True)
    benefits = models.TextField(max_length=3000, blank=True)
    risks = models.TextField(max_length=3000, blank=True)
    affected_groups = models.JSONField(default=list, blank=True)
    evidence = models.JSONField(default=list, blank=True)
    revision_count = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["solution", "author"], name="one_advice_per_advisor_solution"
            ),
            models.CheckConstraint(
                condition=models.Q(feasibility__in=Feasibility.values),
                name="advice_feasibility_valid",
            ),
        ]
        ordering = ["created_at", "id"]
        verbose_name_plural = "advice"

    def __str__(self) -> str:
        return f"advice {self.pk} on solution {self.solution_id}: {self.feasibility}"


class AdviceRevision(models.Model):
    """One version of a piece of advice: revision 1 is the original, one more per edit."""

    advice = models.ForeignKey(Advice, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    feasibility = models.CharField(max_length=24, choices=Feasibility.choices)
    conditions = models.TextField(blank=True)
    benefits = models.TextField(blank=True)
    risks = models.TextField(blank=True)
    affected_groups = models.JSONField(default=list, blank=True)
    evidence = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["advice", "number"], name="advice_revision_unique")
        ]
        ordering = ["advice", "number"]

    def __str__(self) -> str:
        return f"advice {self.advice_id} revision {self.number}"


class Comment(Moderated):
    """A comment on an issue (``solution`` empty) or on one of its solutions.

    Threads are one level deep: a reply's ``parent`` is a top-level comment on the
    same target. A deleted comment keeps its row (so the thread stays readable)
    with its body cleared.
    """

    issue = models.ForeignKey("issues.Issue", on_delete=models.CASCADE, related_name="comments")
    solution = models.ForeignKey(
        Solution, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    body = models.TextField(max_length=5000, blank=True)
    body_html = models.TextField(editable=False, blank=True)
    stance = models.CharField(max_length=10, choices=Stance.choices, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stance__in=[*Stance.values, ""]), name="comment_stance_valid"
            )
        ]
        indexes = [models.Index(fields=["issue", "solution", "created_at"])]
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"comment {self.pk} on issue {self.issue_id}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Report(models.Model):
    """A member's report of a contribution. Reporters are never shown publicly."""

    forum = models.ForeignKey("forums.Forum", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.BigIntegerField()
    reporter = models.ForeignKey(
        "participants.Membership", on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=10, choices=ReportReason.choices)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # A report is open until a steward hides or restores the contribution, or dismisses
    # its reports; the stewards' queue lists the contributions with open reports.
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=10, choices=Resolution.choices, blank=True)
    resolved_by = models.ForeignKey(
        "participants.Membership", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    resolution_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "reporter"], name="one_report_per_member_item"
            )
        ]
        indexes = [
            models.Index(fields=["kind", "object_id"]),
            models.Index(fields=["forum", "resolved_at"], name="report_queue"),
        ]

    def __str__(self) -> str:
        return f"report of {self.kind} {self.object_id}"


class ModerationAction(models.Model):
    """A public moderation record: what was hidden or restored, when and why."""

    class Action(models.TextChoices):
        HIDE = "hide", _("Hidden")
        RESTORE = "restore", _("Restored")

    forum = models.ForeignKey(
        "forums.Forum", on_delete=models.CASCADE, related_name="moderation_actions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.BigIntegerField()
    issue = models.ForeignKey(
        "issues.Issue", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=8, choices=Action.choices)
    automatic = models.BooleanField(default=False)
    reason = models.CharField(max_length=500)
    steward = models.ForeignKey(
        "participants.Membership", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.kind} {self.object_id}"
