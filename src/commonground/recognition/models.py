"""Published agendas: frozen, numbered snapshots."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy


class AgendaPublication(models.Model):
    """A frozen snapshot of a cycle's agenda: entries, figures, settings, who and when."""

    cycle = models.ForeignKey("forums.Cycle", on_delete=models.CASCADE, related_name="publications")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        "participants.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    publisher_name = models.CharField(max_length=160, blank=True)
    settings = models.JSONField()
    agenda = models.JSONField(help_text=gettext_lazy("Issue ids in rank order."))
    entries = models.JSONField(
        help_text=gettext_lazy("Per agenda issue: title and the recognition figures.")
    )

    class Meta:
        ordering = ["cycle", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="publication_number_unique")
        ]

    def __str__(self) -> str:
        return f"Agenda #{self.number} of {self.cycle}"
