"""Accounts, memberships and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from commonground.core.labels import group_label_lazy, region_label_lazy
from commonground.stakeholders import GROUPS, REGIONS


class StakeholderGroup(models.TextChoices):
    GOVERNMENT = "government", group_label_lazy("government")
    INTERGOVERNMENTAL = "intergovernmental", group_label_lazy("intergovernmental")
    INTERNET_INSTITUTION = "internet_institution", group_label_lazy("internet_institution")
    PRIVATE_SECTOR = "private_sector", group_label_lazy("private_sector")
    CIVIL_SOCIETY = "civil_society", group_label_lazy("civil_society")
    ACADEMIC_TECHNICAL = "academic_technical", group_label_lazy("academic_technical")


assert tuple(StakeholderGroup.values) == GROUPS  # one order everywhere

# django-stubs types the functional API with (name, value) pairs only, not (name, (value,
# label)), which Django accepts and which gives each region its label.
Region = models.TextChoices("Region", [(r, (r, region_label_lazy(r))) for r in REGIONS])  # type: ignore[call-overload]


def new_public_id() -> str:
    """A pseudonymous, stable public id: what the ledger and open data show."""
    return "p" + secrets.token_hex(6)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        from commonground.participants.emails import normalize_email

        user = self.model(email=normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """An account. The e-mail is private; the public face is the display name or pseudonym."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField("e-mail address", unique=True)
    # What the address looks like (participants/emails.py): unique, so no two accounts
    # have addresses a reader cannot tell apart. Kept in step with ``email`` by save().
    # NULL only for an old look-alike kept by the migration that added the column.
    email_skeleton = models.CharField(max_length=1024, unique=True, null=True, editable=False)  # noqa: DJ001
    display_name = models.CharField(max_length=120, blank=True)
    name_is_public = models.BooleanField(
        default=True,
        help_text=gettext_lazy("Show the display name publicly; otherwise the pseudonym."),
    )
    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    bio = models.TextField(blank=True, max_length=2000)
    # The interface language the member chose (a code of settings.LANGUAGES); empty: the
    # browser's, as for visitors. Private, like the e-mail: never in the ledger or open data.
    language = models.CharField(
        gettext_lazy("interface language"), max_length=10, blank=True, default=""
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    # The stubs expect django.contrib.auth's UserManager (with usernames); ours makes users
    # by e-mail, as Django's docs show for a custom user model.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.public_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        from commonground.participants.emails import email_skeleton

        self.email_skeleton = email_skeleton(self.email) if self.email else None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "email" in update_fields:
            kwargs["update_fields"] = {*update_fields, "email_skeleton"}
        super().save(*args, **kwargs)

    @property
    def public_name(self) -> str:
        """The name pages, e-mails and the API show: the display name when its owner made
        it public, else the pseudonymous label "Participant p…" in the reader's language."""
        return self._chosen_name() or gettext("Participant %(id)s") % {"id": self.public_id}

    @property
    def recorded_name(self) -> str:
        """The public name as the ledger and stored copies (a publication's publisher, a
        forward's steward) record it: the pseudonymous label in English whatever language
        the writer's request is in, so that a record does not depend on it."""
        return self._chosen_name() or f"Participant {self.public_id}"

    def _chosen_name(self) -> str:
        """The display name when its owner made it public, else ""."""
        return self.display_name if self.display_name and self.name_is_public else ""


class Membership(models.Model):
    """A participant in one forum, wearing one declared stakeholder-group hat."""

    class Role(models.TextChoices):
        PARTICIPANT = "participant", gettext_lazy("Participant")
        STEWARD = "steward", gettext_lazy("Steward")

    class Status(models.TextChoices):
        ACTIVE = "active", gettext_lazy("Active")
        SUSPENDED = "suspended", gettext_lazy("Suspended")

    forum = models.ForeignKey("forums.Forum", on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    stakeholder_group = models.CharField(max_length=24, choices=StakeholderGroup.choices)
    country = models.CharField(max_length=2)
    region = models.CharField(max_length=20, choices=Region.choices)
    affiliation = models.CharField(max_length=200, blank=True)
    other_hats = models.JSONField(default=list, blank=True)
    verified = models.BooleanField(default=False)
    verified_at = models.DateTimeField(null=True, blank=True)
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.PARTICIPANT)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["forum", "user"], name="one_membership_per_forum"),
            models.CheckConstraint(
                condition=models.Q(stakeholder_group__in=GROUPS), name="membership_group_valid"
            ),
        ]
        indexes = [models.Index(fields=["forum", "stakeholder_group"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.forum_id} as {self.stakeholder_group}"

    @property
    def is_steward(self) -> bool:
        return self.role == self.Role.STEWARD

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the key is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80, default="API token")
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
