"""Forums (a tree across levels) and their cycles."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from commonground.access.phases import PHASE_LABELS, PHASES, phase_label


class Level(models.TextChoices):
    GLOBAL = "global", gettext_lazy("Global")
    REGIONAL = "regional", gettext_lazy("Regional")
    NATIONAL = "national", gettext_lazy("National")
    SUBNATIONAL = "subnational", gettext_lazy("Sub-national")
    YOUTH = "youth", gettext_lazy("Youth")


# django-stubs types the functional API with (name, value) pairs only, not (name, (value,
# label)), which Django accepts and which gives each phase its label.
Phase = models.TextChoices("Phase", [(p, (p, gettext_lazy(PHASE_LABELS[p]))) for p in PHASES])  # type: ignore[call-overload]


class Forum(models.Model):
    """A standing venue. National and regional forums (NRIs) name their parent."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=160)
    level = models.CharField(max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    country = models.CharField(max_length=2, blank=True)
    region = models.CharField(max_length=20, blank=True)
    description = models.TextField(blank=True, max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    # Recognition settings (docs/recognition.md); every constant is per forum.
    min_groups = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    min_supporters = models.PositiveIntegerField(default=2, validators=[MinValueValidator(1)])
    min_share = models.FloatField(
        default=0.05, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)]
    )
    agenda_slots = models.PositiveIntegerField(default=20, validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forums:detail", args=[self.slug])

    @property
    def open_cycle(self) -> Cycle | None:
        # Prefetched by list views via to_attr; fall back to a query.
        cached = getattr(self, "_open_cycles", None)
        if cached is not None:
            return cached[0] if cached else None
        return self.cycles.filter(is_open=True).first()

    def ancestors(self) -> list[Forum]:
        chain: list[Forum] = []
        node = self.parent
        while node is not None and len(chain) < 10:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class Cycle(models.Model):
    """One round of a forum, moving through the phases."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="cycles")
    name = models.CharField(max_length=60)
    phase = models.CharField(max_length=20, choices=Phase.choices, default=PHASES[0])
    is_open = models.BooleanField(default=True)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Bumped in the transaction of every support, withdrawal and new issue, so a
    # computed agenda can be reused until the tallies it was computed from change.
    tally_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["forum", "name"], name="cycle_name_unique_in_forum"),
            models.UniqueConstraint(
                fields=["forum"], condition=models.Q(is_open=True), name="one_open_cycle_per_forum"
            ),
        ]
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.forum.name} {self.name}"

    @property
    def phase_label(self) -> str:
        return phase_label(self.phase)


class PhaseChange(models.Model):
    """The timeline of a cycle: every phase change, who made it and when."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="phase_changes")
    from_phase = models.CharField(max_length=20, blank=True)
    to_phase = models.CharField(max_length=20)
    changed_by = models.ForeignKey(
        "participants.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    # Why, for a correction (a step back to an earlier phase); empty for a step forward.
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_phase or 'open'} -> {self.to_phase}"
