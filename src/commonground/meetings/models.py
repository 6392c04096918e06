"""Sessions of a cycle (docs/sessions.md): proposals, the advisory group, scores, the published
selection, the schedule and the reports."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.participants.models import StakeholderGroup


class Format(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    OPEN_FORUM = "open_forum", _("Open forum")
    TOWN_HALL = "town_hall", _("Town hall")
    MAIN_SESSION = "main_session", _("Main session")
    LIGHTNING_TALK = "lightning_talk", _("Lightning talk")
    NETWORKING = "networking", _("Networking session")


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary")
    UNDISCLOSED = "undisclosed", _("Undisclosed")


class ReasonCode(models.TextChoices):
    OFF_TOPIC = "off_topic", _("Off topic")
    UNCLEAR_QUESTIONS = "unclear_questions", _("Unclear policy questions")
    WEAK_DIVERSITY = "weak_diversity", _("Weak diversity")
    WEAK_INTERACTION = "weak_interaction", _("Weak interaction")
    OTHER = "other", _("Other")


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    APPROVED_IF_MERGED = "approved_if_merged", _("Approved if merged")
    DECLINED = "declined", _("Declined")


class SessionSettings(models.Model):
    """Per-forum constants of the session rules (docs/sessions.md), edited by the stewards."""

    forum = models.OneToOneField(
        "forums.Forum", on_delete=models.CASCADE, related_name="session_settings"
    )
    min_confirmed_speakers = models.PositiveSmallIntegerField(
        _("minimum confirmed speakers"), default=3, validators=[MaxValueValidator(50)]
    )
    require_gender_diversity = models.BooleanField(
        _("speakers not all of one gender"), default=True
    )
    min_speaker_groups = models.PositiveSmallIntegerField(
        _("minimum stakeholder groups among speakers"),
        default=2,
        validators=[MaxValueValidator(6)],
    )
    bar_advisory_members = models.BooleanField(
        _("advisory group members may not propose"), default=True
    )
    past_report_cycles = models.PositiveSmallIntegerField(
        _("past cycles whose sessions need a report (0: off)"),
        default=2,
        validators=[MaxValueValidator(20)],
    )
    max_proposals_per_proposer = models.PositiveSmallIntegerField(
        _("maximum proposals per proposer"), default=3, validators=[MinValueValidator(1)]
    )
    max_policy_questions = models.PositiveSmallIntegerField(
        _("maximum policy questions"), default=3, validators=[MinValueValidator(1)]
    )
    government_max_share = models.FloatField(
        _("largest share of advisory seats for governments"),
        default=0.4,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    balanced_groups_max_difference = models.PositiveSmallIntegerField(
        _("largest difference between civil society, private sector and technical seats"),
        default=1,
    )
    reason_required_at_or_below = models.PositiveSmallIntegerField(
        _("scores at or below this need a reason code and a comment"),
        default=3,
        validators=[MaxValueValidator(5)],
    )
    merge_similarity = models.FloatField(
        _("word similarity that suggests a merge"),
        default=0.3,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
    )
    max_sessions_per_speaker = models.PositiveSmallIntegerField(
        _("maximum sessions per speaker"), default=3, validators=[MinValueValidator(1)]
    )
    report_due_days = models.PositiveSmallIntegerField(
        _("days after a session its report is due"), default=14, validators=[MinValueValidator(1)]
    )
    max_key_takeaways = models.PositiveSmallIntegerField(
        _("maximum key takeaways"), default=3, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("session settings")
        verbose_name_plural = _("session settings")

    def __str__(self) -> str:
        return f"session settings of forum {self.forum_id}"


class Session(models.Model):
    """A session proposal and, once selected, the session itself."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        SCREENED_IN = "screened_in", _("Screened in")
        DECLINED = "declined", _("Declined at screening")

    forum = models.ForeignKey("forums.Forum", on_delete=models.CASCADE, related_name="sessions")
    cycle = models.ForeignKey("forums.Cycle", on_delete=models.CASCADE, related_name="sessions")
    proposer = models.ForeignKey(
        "participants.Membership", on_delete=models.PROTECT, related_name="proposed_sessions"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    format = models.CharField(_("format"), max_length=20, choices=Format.choices, blank=True)
    description = models.TextField(_("description"), max_length=10_000, blank=True)
    policy_questions = models.JSONField(_("policy questions"), default=list, blank=True)
    issues = models.ManyToManyField("issues.Issue", related_name="sessions", blank=True)
    moderator = models.JSONField(_("moderator"), default=dict, blank=True)
    rapporteur_name = models.CharField(_("rapporteur"), max_length=160, blank=True)
    rapporteur = models.ForeignKey(
        "participants.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rapporteur_of",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    screening_failures = models.JSONField(default=list, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    merge_with = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.CharField(max_length=2000, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    room = models.CharField(_("room"), max_length=80, blank=True)
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration"), null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "id"]
        indexes = [
            models.Index(fields=["cycle", "status"]),
            models.Index(fields=["cycle", "starts_at"]),
        ]

    def __str__(self) -> str:
        return self.title or f"session {self.pk}"

    @property
    def is_selected(self) -> bool:
        return self.decision in {Decision.APPROVED, Decision.APPROVED_IF_MERGED}

    @property
    def ends_at(self) -> datetime | None:
        if self.starts_at is None or self.duration_minutes is None:
            return None
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class Speaker(models.Model):
    """A speaker named in a proposal; ``participant`` links a member of the forum."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="speakers")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=160)
    stakeholder_group = models.CharField(max_length=24, choices=StakeholderGroup.choices)
    gender = models.CharField(max_length=12, choices=Gender.choices)
    country = models.CharField(max_length=2, blank=True)
    confirmed = models.BooleanField(default=False)
    onsite = models.BooleanField(default=True)
    participant = models.ForeignKey(
        "participants.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="speaking",
    )

    class Meta:
        ordering = ["session", "position", "id"]

    def __str__(self) -> str:
        return self.name


class AdvisorySeat(models.Model):
    """A member's seat in the forum's advisory group (the forum's MAG)."""

    forum = models.ForeignKey(
        "forums.Forum", on_delete=models.CASCADE, related_name="advisory_seats"
    )
    membership = models.ForeignKey(
        "participants.Membership", on_delete=models.CASCADE, related_name="advisory_seats"
    )
    appointed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["forum", "membership"], name="one_advisory_seat")
        ]

    def __str__(self) -> str:
        return f"advisory seat of membership {self.membership_id}"


class DeclaredConflict(models.Model):
    """An advisory member declared a conflict of interest on a proposal."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="conflicts")
    member = models.ForeignKey(
        "participants.Membership", on_delete=models.CASCADE, related_name="+"
    )
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="one_conflict_per_member")
        ]

    def __str__(self) -> str:
        return f"conflict of {self.member_id} on session {self.session_id}"


class Score(models.Model):
    """One advisory member's blind score of one proposal. Private: only aggregates are public."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey(
        "participants.Membership", on_delete=models.CASCADE, related_name="+"
    )
    relevance = models.PositiveSmallIntegerField()
    content = models.PositiveSmallIntegerField()
    interaction = models.PositiveSmallIntegerField()
    diversity = models.PositiveSmallIntegerField()
    reason_code = models.CharField(max_length=20, choices=ReasonCode.choices, blank=True)
    comment = models.CharField(max_length=2000, blank=True)
    scored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="one_score_per_member")
        ]

    def __str__(self) -> str:
        return f"score of session {self.session_id} by {self.member_id}"

    @property
    def values(self) -> tuple[int, int, int, int]:
        return (self.relevance, self.content, self.interaction, self.diversity)


class SelectionPublication(models.Model):
    """A frozen, numbered snapshot of a cycle's decisions (like the agenda's)."""

    cycle = models.ForeignKey(
        "forums.Cycle", on_delete=models.CASCADE, related_name="selection_publications"
    )
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        "participants.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entries = models.JSONField(help_text=_("Per decided proposal: id, title, decision, reason."))

    class Meta:
        ordering = ["cycle", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="selection_number_unique")
        ]

    def __str__(self) -> str:
        return f"Selection #{self.number} of {self.cycle}"


class Report(models.Model):
    """What a session found: key takeaways, calls to action, attendance."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="report")
    author = models.ForeignKey(
        "participants.Membership", on_delete=models.PROTECT, related_name="+"
    )
    key_takeaways = models.JSONField(default=list)
    calls_to_action = models.JSONField(default=list, blank=True)
    onsite = models.PositiveIntegerField(default=0)
    online = models.PositiveIntegerField(default=0)
    women_share = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)]
    )
    filed_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()

    class Meta:
        verbose_name = _("session report")

    def __str__(self) -> str:
        return f"report of session {self.session_id}"

    @property
    def late(self) -> bool:
        return self.filed_at > self.due_at


class ScoreSummary(models.Model):
    """A proposal's published score aggregates, for a proposal whose individual scores are
    not here (imported from open data, which carries aggregates only)."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="summary")
    scores = models.PositiveIntegerField(default=0)
    mean_score = models.FloatField(null=True, blank=True)
    spread = models.FloatField(null=True, blank=True)
    relevance = models.FloatField(null=True, blank=True)
    content = models.FloatField(null=True, blank=True)
    interaction = models.FloatField(null=True, blank=True)
    diversity = models.FloatField(null=True, blank=True)

    def __str__(self) -> str:
        return f"score summary of session {self.session_id}"
