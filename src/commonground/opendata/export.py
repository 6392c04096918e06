"""Export a forum's public records as a Frictionless Data Package (datapackage.json + CSV).

Participant ids are the pseudonymous public ids; no e-mail or private name is
written. Times are ISO 8601 in UTC with microseconds, so that anyone who
recomputes the agenda from the package breaks ties exactly as the live site.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.utils import timezone

from commonground.core.errors import InvalidInput
from commonground.forums.access import open_cycle_of
from commonground.forums.models import Forum
from commonground.issues.models import Issue, Support
from commonground.ledger.merkle import format_timestamp
from commonground.participants.models import Membership
from commonground.recognition.services import settings_of
from commonground.stakeholders import GROUPS

PROFILE = "tabular-data-package"


# ISO 8601 UTC with microseconds and a Z, e.g. 2027-03-01T12:00:00.000000Z: the ledger's format.
iso_utc = format_timestamp


def _field(name: str, type_: str, description: str, **constraints: Any) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "type": type_, "description": description}
    if type_ == "datetime":
        field["format"] = "%Y-%m-%dT%H:%M:%S.%fZ"
    if constraints:
        field["constraints"] = constraints
    return field


RESOURCES: dict[str, dict[str, Any]] = {
    "participants": {
        "description": "Forum members: pseudonymous id, declared stakeholder group, country.",
        "schema": {
            "fields": [
                _field("id", "string", "Pseudonymous participant id", required=True, unique=True),
                _field(
                    "stakeholder_group",
                    "string",
                    "Declared stakeholder group",
                    required=True,
                    enum=list(GROUPS),
                ),
                _field(
                    "country",
                    "string",
                    "ISO 3166-1 alpha-2 country code",
                    required=True,
                    pattern="[A-Z]{2}",
                ),
            ],
            "primaryKey": ["id"],
        },
    },
    "issues": {
        "description": "Issues of concern raised in the cycle.",
        "schema": {
            "fields": [
                _field("id", "string", "Issue id", required=True, unique=True),
                _field("title", "string", "Title", required=True),
                _field("raised_by", "string", "Participant id of the author", required=True),
                _field("raised_at", "datetime", "When the issue was raised (UTC)", required=True),
            ],
            "primaryKey": ["id"],
            "foreignKeys": [
                {
                    "fields": ["raised_by"],
                    "reference": {"resource": "participants", "fields": ["id"]},
                }
            ],
        },
    },
    "supports": {
        "description": "Supports: one participant drawing attention to one issue.",
        "schema": {
            "fields": [
                _field("participant_id", "string", "Supporting participant", required=True),
                _field("issue_id", "string", "Supported issue", required=True),
                _field("created_at", "datetime", "When the support was given (UTC)", required=True),
            ],
            "primaryKey": ["participant_id", "issue_id"],
            "foreignKeys": [
                {
                    "fields": ["participant_id"],
                    "reference": {"resource": "participants", "fields": ["id"]},
                },
                {"fields": ["issue_id"], "reference": {"resource": "issues", "fields": ["id"]}},
            ],
        },
    },
}


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def export_forum(forum: Forum, directory: str | Path) -> Path:
    """Write the data package of the forum's open cycle into ``directory``; returns its path."""
    target = Path(directory)
    if target.exists() and not target.is_dir():
        raise InvalidInput(f"{target} exists and is not a directory.")
    if target.exists() and any(target.iterdir()):
        raise InvalidInput(f"{target} is not empty; export into a new or empty directory.")
    target.mkdir(parents=True, exist_ok=True)
    cycle = open_cycle_of(forum)
    members = (
        Membership.objects.filter(forum=forum)
        .order_by("user__public_id")
        .values_list("user__public_id", "stakeholder_group", "country")
    )
    counts = {
        "participants": _write_csv(
            target / "participants.csv",
            ["id", "stakeholder_group", "country"],
            members.iterator(chunk_size=5000),
        ),
        "issues": _write_csv(
            target / "issues.csv",
            ["id", "title", "raised_by", "raised_at"],
            (
                (pk, title, author, iso_utc(raised))
                for pk, title, author, raised in Issue.objects.filter(cycle=cycle)
                .order_by("pk")
                .values_list("pk", "title", "author__user__public_id", "raised_at")
                .iterator(chunk_size=5000)
            ),
        ),
        "supports": _write_csv(
            target / "supports.csv",
            ["participant_id", "issue_id", "created_at"],
            (
                (participant, issue, iso_utc(created))
                for participant, issue, created in Support.objects.filter(cycle=cycle)
                .order_by("issue_id", "membership__user__public_id")
                .values_list("membership__user__public_id", "issue_id", "created_at")
                .iterator(chunk_size=20_000)
            ),
        ),
    }
    descriptor = {
        "profile": PROFILE,
        "name": f"commonground-{forum.slug}-{cycle.name}".lower().replace(" ", "-"),
        "title": f"{forum.name}, cycle {cycle.name}: issues and supports",
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0",
            }
        ],
        "created": iso_utc(timezone.now()),
        "resources": [
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                **spec,
            }
            for name, spec in RESOURCES.items()
        ],
        "commonground": {
            "forum": forum.slug,
            "level": forum.level,
            "cycle": cycle.name,
            "phase": cycle.phase,
            "counts": counts,
            "recognition": settings_of(forum).to_dict(),
        },
    }
    (target / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False))
    return target
