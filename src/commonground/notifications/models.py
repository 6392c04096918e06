"""Private, per-member state that every domain app uses: follows, notifications, the
e-mail setting, and the counters of the named rate limits.

None of it is public: it is in neither the ledger nor the open data. These models came
from ``contributions`` with their rows (migration ``0001`` takes over the tables,
``0002`` renames them). They point at issues and memberships by lazy reference; this
app imports no domain app.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy


class Follow(models.Model):
    """A member follows an issue: they are told about new contributions to it.

    A private preference, not public state: it is not in the ledger or the open data.
    """

    # No index of its own: the unique constraint's index begins with the membership, so it
    # serves every look-up by member; a second one was one more write per support (issue 19).
    membership = models.ForeignKey(
        "participants.Membership", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    issue = models.ForeignKey("issues.Issue", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["membership", "issue"], name="one_follow_per_issue")
        ]

    def __str__(self) -> str:
        return f"membership {self.membership_id} follows issue {self.issue_id}"


class Notification(models.Model):
    """Something new on a followed issue, for one member. Private to that member.

    ``kind`` and ``object_id`` name what is new (a contribution kind such as ``comment``
    and its id); ``text`` says who did what, never the contribution's own text.
    """

    recipient = models.ForeignKey(
        "participants.Membership", on_delete=models.CASCADE, related_name="+"
    )
    issue = models.ForeignKey("issues.Issue", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10)
    object_id = models.BigIntegerField()
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text


class EmailSetting(models.Model):
    """How a participant wants their notifications by e-mail: at once, in a daily digest, or not.

    A private preference (not in the ledger or the open data). Without a row the
    setting is ``off``: nobody receives e-mail they did not ask for.
    """

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", gettext_lazy("Immediately, one e-mail per notification")
        DAILY = "daily", gettext_lazy("A daily digest")
        OFF = "off", gettext_lazy("Off")

    user = models.OneToOneField(
        "participants.User", on_delete=models.CASCADE, related_name="email_setting"
    )
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.OFF)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(mode__in=["immediate", "daily", "off"]),
                name="email_setting_mode_valid",
            )
        ]

    def __str__(self) -> str:
        return f"e-mail {self.mode} for user {self.user_id}"


class RateEvent(models.Model):
    """One counted write of a member, for the named rate limits (``notifications.limits``).

    Kept only as long as the longest window needs it; private, not in the ledger.
    """

    membership = models.ForeignKey(
        "participants.Membership", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=40)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["membership", "name", "at"])]

    def __str__(self) -> str:
        return f"{self.name} by membership {self.membership_id} at {self.at:%Y-%m-%d %H:%M}"
