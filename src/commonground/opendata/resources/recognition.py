"""The table of published agendas."""

from __future__ import annotations

from commonground.opendata.resources.columns import (
    Column,
    Table,
    id_column,
    person,
    ref,
    to,
    when,
)
from commonground.stakeholders import gettext_noop

AGENDA_PUBLICATIONS = Table(
    "agenda_publications",
    gettext_noop("Published agendas: the frozen, numbered snapshots of each cycle's agenda."),
    (
        id_column("Publication id"),
        ref("cycle_id", "Cycle"),
        Column("number", "integer", "Publication number within the cycle, from 1", required=True),
        when("published_at", "When it was published (UTC)"),
        person("published_by", "Participant id of the publishing steward", False),
        Column("settings", "object", "Recognition settings in force (JSON)", required=True),
        Column("agenda", "array", "Issue ids in rank order (JSON list)", required=True),
        Column(
            "entries",
            "array",
            "Per agenda issue: title and recognition figures as published (JSON list)",
            required=True,
        ),
    ),
    ("id",),
    (to("cycle_id", "cycles"),),
)
