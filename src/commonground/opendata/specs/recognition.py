"""Spec of the published agendas."""

from __future__ import annotations

from commonground.opendata import resources as r
from commonground.opendata.specs.base import TableSpec, pick
from commonground.recognition.models import AgendaPublication

AGENDA_PUBLICATIONS = TableSpec(
    r.AGENDA_PUBLICATIONS,
    AgendaPublication,
    (
        "pk",
        "cycle_id",
        "number",
        "published_at",
        "published_by__public_id",
        "settings",
        "agenda",
        "entries",
    ),
    query=lambda forum: AgendaPublication.objects.filter(cycle__forum=forum),
    build=lambda a, into: AgendaPublication(
        pk=a["id"],
        published_by=into.user[a["published_by"]] if a["published_by"] else None,
        # Names are not open data: the snapshot names the publisher by pseudonym.
        publisher_name=f"Participant {a['published_by']}" if a["published_by"] else "",
        **pick(a, "cycle_id", "number", "published_at", "settings", "agenda", "entries"),
    ),
)
