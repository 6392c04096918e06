"""Seed the demo's forums, each with its open 2027 cycle, from ``demo/data/forums.toml``."""

from __future__ import annotations

from datetime import datetime

from commonground.demo import content
from commonground.forums import events as forum_events
from commonground.forums.models import Cycle, Forum, PhaseChange
from commonground.issues.tallies import make_shards
from commonground.ledger.services import Event
from commonground.stakeholders import region_of


def seed_forums(t0: datetime, events: list[Event]) -> dict[str, Forum]:
    """Create the forums and their open cycles at ``t0``; returns the forums by slug."""
    forums: dict[str, Forum] = {}
    for spec in content.FORUMS:  # parents come before children in the content list
        parent_slug = spec.get("parent")
        parent = forums.get(parent_slug) if parent_slug else None
        country = spec.get("country", "") or ""
        region = spec.get("region", "") or (region_of(country) or "" if country else "")
        forum = Forum.objects.create(
            slug=spec["slug"],
            name=spec["name"],
            level=spec["level"],
            parent=parent,
            country=country,
            region=region,
            description=spec.get("description", ""),
            created_at=t0,
        )
        forums[forum.slug] = forum
        events.append(forum_events.forum_created(forum, None, t0))
        cycle = Cycle.objects.create(forum=forum, name="2027", opened_at=t0)
        make_shards(cycle.pk)  # as opening a cycle makes them (forums.services.open_cycle)
        PhaseChange.objects.create(cycle=cycle, to_phase=cycle.phase, changed_at=t0)
        events.append(forum_events.cycle_opened(cycle, None, t0))
    return forums
