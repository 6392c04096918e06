"""State changes of forums and cycles, and joining a forum."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.access.members import (
    AnyUser,
    require_run_forum,
    require_steward,
    require_user,
)
from commonground.access.phases import PHASES, next_phase, phase_label
from commonground.core.errors import Conflict, InvalidInput, NotFound, WrongPhase
from commonground.forums import events, forum_settings
from commonground.forums.models import Cycle, Forum, Level, PhaseChange
from commonground.forums.signals import cycle_advanced, cycle_opened
from commonground.ledger.services import append
from commonground.participants.models import Membership
from commonground.participants.services import validate_hat
from commonground.stakeholders import GROUPS, REGIONS, region_of

# Addresses under /forums/ that are pages, not forums.
RESERVED_SLUGS = frozenset({"new"})
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$")

# Which parent levels each level may hang under in the forum tree.
PARENT_LEVELS: dict[str, set[str]] = {
    "global": set(),
    "regional": {"global"},
    "national": {"regional", "global"},
    "subnational": {"national"},
    "youth": {"global", "regional", "national"},
}


def _actor_id(actor: AnyUser | None) -> str | None:
    return require_user(actor).public_id if actor is not None else None


def create_forum(
    actor: AnyUser | None,
    *,
    slug: str,
    name: str,
    level: str,
    parent: str | None = None,
    country: str = "",
    region: str = "",
    description: str = "",
) -> Forum:
    """Create a forum in the tree: a superuser anywhere, a steward of the parent forum under
    it (its secretariat), operators from the CLI (``actor`` None). Who may is checked
    first, so someone who may not learns nothing about the input."""
    parent_forum = Forum.objects.filter(slug=parent).first() if parent else None
    if parent and parent_forum is None:
        raise NotFound(_("No parent forum '%(parent)s'.") % {"parent": parent})
    if actor is not None:
        require_run_forum(actor, parent_forum)
    if not SLUG_RE.match(slug or "") or slug in RESERVED_SLUGS:
        raise InvalidInput(_("A forum slug is 3–60 lower-case letters, digits and hyphens."))
    if not name or len(name) > 160:
        raise InvalidInput(_("A forum name is 1 to 160 characters."))
    if level not in Level.values:
        raise InvalidInput(
            _("Unknown level '%(level)s'; choose one of %(choices)s.")
            % {"level": level, "choices": ", ".join(Level.values)}
        )
    if parent_forum is not None and parent_forum.level not in PARENT_LEVELS[level]:
        # The named parent's level, not the input's shape, is wrong: 409 (issue 11.17).
        raise Conflict(
            _("A %(level)s forum cannot sit under a %(level2)s forum.")
            % {"level": level, "level2": parent_forum.level}
        )
    if parent_forum is None and level == "subnational":
        raise InvalidInput(_("A sub-national forum names its national parent."))
    country = country.upper()
    if country and region_of(country) is None:
        raise InvalidInput(_("Unknown country code '%(country)s'.") % {"country": country})
    if region and region not in REGIONS:
        raise InvalidInput(
            _("Unknown region '%(region)s'; choose one of %(choices)s.")
            % {"region": region, "choices": ", ".join(REGIONS)}
        )
    region = region or (region_of(country) or "" if country else "")
    try:
        with transaction.atomic():
            forum = Forum.objects.create(
                slug=slug,
                name=name,
                level=level,
                parent=parent_forum,
                country=country,
                region=region,
                description=description,
            )
            append(events.forum_created(forum, _actor_id(actor)))
    except IntegrityError:
        raise Conflict(_("A forum '%(slug)s' exists already.") % {"slug": slug}) from None
    return forum


def open_cycle(actor: AnyUser | None, forum: Forum, name: str) -> Cycle:
    """Open a new cycle with a call for issues, closing none: only one may be open. The
    forum's stewards or a superuser (operators from the CLI: ``actor`` None)."""
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise InvalidInput(_("A cycle name is 1 to 60 characters, e.g. 2027."))
    try:
        with transaction.atomic():
            if actor is not None:
                require_run_forum(actor, forum)
            if forum.cycles.filter(is_open=True).exists():
                raise Conflict(
                    _("%(name)s already has an open cycle; close it first.") % {"name": forum.name}
                )
            cycle = Cycle.objects.create(forum=forum, name=name, phase=PHASES[0])
            PhaseChange.objects.create(
                cycle=cycle, to_phase=PHASES[0], changed_by=require_user(actor) if actor else None
            )
            append(events.cycle_opened(cycle, _actor_id(actor)))
            cycle_opened.send(sender=Cycle, cycle=cycle)
    except IntegrityError:
        raise Conflict(
            _("%(name)s already has a cycle named %(name2)s.") % {"name": forum.name, "name2": name}
        ) from None
    return cycle


def advance_cycle(actor: AnyUser | None, forum: Forum, *, expected: str | None = None) -> Cycle:
    """Move the open cycle to its next phase; after follow-up the cycle closes.

    ``expected`` is the phase the caller confirmed moving to (``closed`` for closing): when
    the cycle has moved since (a second click, another steward), nothing changes (409).
    """
    with transaction.atomic():
        if actor is not None:
            require_steward(actor, forum)
        cycle = Cycle.objects.select_for_update().filter(forum=forum, is_open=True).first()
        if cycle is None:
            raise WrongPhase(_("%(name)s has no open cycle.") % {"name": forum.name})
        before = cycle.phase
        after = next_phase(before)
        if expected is not None and expected != (after or "closed"):
            message = _("The cycle is in %(phase)s now, so it cannot move to %(expected)s.")
            # Both phases by name ("Agenda setting"), not one by name and one by code.
            named = phase_label(expected[:40])
            raise Conflict(message % {"phase": phase_label(before), "expected": named})
        if after is None:
            cycle.is_open = False
            cycle.closed_at = timezone.now()
            cycle.save(update_fields=["is_open", "closed_at"])
            entry = events.cycle_closed(cycle, _actor_id(actor), before)
        else:
            cycle.phase = after
            cycle.save(update_fields=["phase"])
            entry = events.cycle_advanced(cycle, _actor_id(actor), before)
        PhaseChange.objects.create(
            cycle=cycle,
            from_phase=before,
            to_phase=after or "closed",
            changed_by=require_user(actor) if actor else None,
        )
        append(entry)
        cycle_advanced.send(
            sender=Cycle, cycle=cycle, before=before, after=after, actor=_actor_id(actor)
        )
    return cycle


def update_recognition_settings(
    actor: AnyUser | None,
    forum: Forum,
    *,
    min_groups: int,
    min_supporters: int,
    min_share: float,
    agenda_slots: int,
) -> Forum:
    """A steward changes the forum's recognition constants (through ``forum_settings``)."""
    changes: dict[str, int | float] = {"min_groups": min_groups, "min_supporters": min_supporters}
    changes.update(min_share=float(min_share), agenda_slots=agenda_slots)
    return forum_settings.update_settings(actor, forum, changes)


def join_forum(
    user: AnyUser,
    forum: Forum,
    *,
    stakeholder_group: str,
    country: str,
    affiliation: str = "",
    other_hats: Sequence[str] = (),
) -> Membership:
    """Join a forum wearing one declared stakeholder-group hat.

    Anyone with an account may join; the declared group starts unverified and
    the forum's stewards see it in their list of join requests.
    """
    member = require_user(user)
    group, code, region = validate_hat(stakeholder_group, country)
    hats = sorted({h for h in other_hats if h != group})
    unknown = [h for h in hats if h not in GROUPS]
    if unknown:
        raise InvalidInput(
            _("Unknown stakeholder group '%(unknown)s' among other hats.") % {"unknown": unknown[0]}
        )
    if len(affiliation) > 200:
        raise InvalidInput(_("Affiliation is at most 200 characters."))
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                forum=forum,
                user=member,
                stakeholder_group=group,
                country=code,
                region=region,
                affiliation=affiliation.strip(),
                other_hats=hats,
            )
            append(events.member_joined(membership))
    except IntegrityError:
        raise Conflict(_("You are already a member of %(name)s.") % {"name": forum.name}) from None
    return membership
