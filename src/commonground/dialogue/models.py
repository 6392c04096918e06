"""Conversations on an issue: short statements, votes on them, and opinion-map snapshots."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

MAX_STATEMENT = 280


class Conversation(models.Model):
    """A Polis-style conversation, usually on one issue of a forum."""

    class Moderation(models.TextChoices):
        STRICT = "strict", gettext_lazy("Strict: a steward approves each statement")
        OPEN = "open", gettext_lazy("Open: statements are shown at once")

    forum = models.ForeignKey(
        "forums.Forum", on_delete=models.CASCADE, related_name="conversations"
    )
    issue = models.ForeignKey(
        "issues.Issue",
        on_delete=models.CASCADE,
        related_name="conversations",
        null=True,
        blank=True,
    )
    topic = models.CharField(max_length=300)
    description = models.TextField(max_length=5000, blank=True)
    moderation = models.CharField(
        max_length=8, choices=Moderation.choices, default=Moderation.STRICT
    )
    created_by = models.ForeignKey(
        "participants.Membership",
        on_delete=models.PROTECT,
        related_name="conversations",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(default=timezone.now)
    is_open = models.BooleanField(default=True)
    # Where it came from when imported (e.g. "polis:vtaiwan.uberx"), else empty.
    source = models.CharField(max_length=200, blank=True)
    # A background recompute of the opinion map is queued (set by a conditional UPDATE,
    # so a burst of votes queues one task) and, separately, is running (claimed the same
    # way, so one worker at a time computes a conversation). Null when none is.
    map_queued_at = models.DateTimeField(null=True, blank=True)
    map_running_since = models.DateTimeField(null=True, blank=True)
    # A last vote time recorded by an import (Polis, open data package). Votes cast here
    # do not write it (all votes of a conversation would queue on this row): readers take
    # the later of it and the votes' own times (dialogue.votes.last_vote_at).
    last_vote_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.topic

    def get_absolute_url(self) -> str:
        return reverse("dialogue:vote", args=[self.pk])


class Statement(models.Model):
    """A short statement participants vote on."""

    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("Awaiting moderation")
        ACCEPTED = "accepted", gettext_lazy("Accepted")
        REJECTED = "rejected", gettext_lazy("Rejected")

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="statements"
    )
    text = models.TextField()
    author = models.ForeignKey(
        "participants.Membership",
        on_delete=models.SET_NULL,
        related_name="statements",
        null=True,
        blank=True,
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    # The statement's id in the export it was imported from (Polis comment-id).
    external_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["conversation", "status"])]

    def __str__(self) -> str:
        return self.text[:60]


class Vote(models.Model):
    """A participant's current vote on a statement; a new vote replaces it.

    ``participant_key`` names the voter for the whole conversation: ``m<membership id>``
    for a member, ``x<id>`` for a pseudonymous participant imported from an export.
    """

    AGREE, PASS, DISAGREE = 1, 0, -1
    VALUES = {AGREE: "agree", PASS: "pass", DISAGREE: "disagree"}

    # No index of its own: the two indexes below start with the conversation.
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="votes", db_index=False
    )
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    participant_key = models.CharField(max_length=40)
    membership = models.ForeignKey(
        "participants.Membership",
        on_delete=models.CASCADE,
        related_name="dialogue_votes",
        null=True,
        blank=True,
    )
    value = models.SmallIntegerField()
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "participant_key"], name="one_vote_per_participant_statement"
            ),
            models.CheckConstraint(
                condition=models.Q(value__in=[-1, 0, 1]), name="vote_value_is_minus1_0_1"
            ),
        ]
        indexes = [
            models.Index(fields=["conversation", "participant_key"]),
            # The conversation's last vote time (dialogue.votes.last_vote_at).
            models.Index(fields=["conversation", "updated_at"], name="dialogue_vo_last_vote"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_key} {self.VALUES.get(self.value, '?')} #{self.statement_id}"


class OpinionSnapshot(models.Model):
    """One computed opinion map: the engine's result as JSON and its state for warm starts."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="snapshots"
    )
    computed_at = models.DateTimeField(default=timezone.now)
    result = models.JSONField()
    state = models.JSONField()
    participants = models.PositiveIntegerField(default=0)
    statements = models.PositiveIntegerField(default=0)
    votes = models.PositiveIntegerField(default=0)
    groups = models.PositiveSmallIntegerField(default=0)
    seconds = models.FloatField(default=0.0)

    class Meta:
        ordering = ["-computed_at", "-id"]
        indexes = [models.Index(fields=["conversation", "-computed_at"])]

    def __str__(self) -> str:
        return f"opinion map of {self.conversation_id} at {self.computed_at:%Y-%m-%d %H:%M}"
