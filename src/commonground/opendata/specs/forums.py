"""Specs of the forum, its cycles, their phase changes and its participants."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password

from commonground.contributions.models import ContributionSettings
from commonground.forums.models import Cycle, Forum, PhaseChange
from commonground.issues.tallies import with_total_version
from commonground.opendata import resources as r
from commonground.opendata.models import ImportRecord
from commonground.opendata.specs.base import BATCH, Exporting, Importing, Row, TableSpec, pick
from commonground.outcomes.models import MessageSettings
from commonground.participants.emails import email_skeleton
from commonground.participants.models import Membership, User

# Placeholder addresses of imported accounts: .invalid is reserved (RFC 2606), so no mail
# can ever be delivered and nobody can claim the account by e-mail.
NO_EMAIL_DOMAIN = "imported.invalid"


def _recorded_parent(forum: Forum) -> str:
    """The parent slug an import recorded for a forum whose parent lives elsewhere."""
    record = ImportRecord.objects.filter(forum=forum).values_list("parent_slug", flat=True)
    return record.first() or ""


def _export_forum(at: Exporting) -> Iterator[Sequence[Any]]:
    f = at.forum
    extra = ContributionSettings.objects.filter(forum=f).first() or ContributionSettings()
    msg = MessageSettings.objects.filter(forum=f).first() or MessageSettings()
    parent = f.parent.slug if f.parent is not None else _recorded_parent(f)
    yield (
        f.slug,
        f.name,
        f.level,
        parent,
        f.country,
        f.region,
        f.description,
        f.created_at,
        f.min_groups,
        f.min_supporters,
        f.min_share,
        f.agenda_slots,
        extra.verified_required_for_signals_and_advice,
        extra.report_threshold,
        msg.message_comment_min_days,
        float(msg.consensus_max_mean),
        float(msg.consensus_max_group),
        float(msg.strong_support_min),
        float(msg.minority_group_min),
    )


def _load_forum(rows: list[Row], into: Importing) -> None:
    """The forum becomes a root here; its ImportRecord keeps the parent's slug."""
    f = rows[0]
    section = into.descriptor["commonground"]
    forum = Forum.objects.create(
        parent=None,
        **pick(f, "slug", "name", "level", "country", "region", "description", "created_at"),
        **pick(f, "min_groups", "min_supporters", "min_share", "agenda_slots"),
    )
    ContributionSettings.objects.create(
        forum=forum,
        verified_required_for_signals_and_advice=f["verified_required_for_signals_and_advice"],
        report_threshold=f["report_threshold"],
    )
    MessageSettings.objects.create(
        forum=forum,
        **pick(f, "message_comment_min_days"),
        # Read back as the decimal text written (repr of the float): 0.1 stays exactly 0.1.
        **{
            name: Decimal(repr(f[name]))
            for name in (
                "consensus_max_mean",
                "consensus_max_group",
                "strong_support_min",
                "minority_group_min",
            )
        },
    )
    ImportRecord.objects.create(
        forum=forum,
        parent_slug=f["parent"],
        package_name=str(into.descriptor.get("name", ""))[:200],
        tree_size=into.size,
        root_hash=section["ledger"]["root_hash"] if into.size else "",
    )
    into.forum = forum


def _load_participants(rows: list[Row], into: Importing) -> None:
    """Accounts that cannot log in for every person the package names, then memberships."""
    unusable = make_password(None)
    User.objects.bulk_create(
        [
            User(
                email=f"{pid}@{NO_EMAIL_DOMAIN}",
                email_skeleton=email_skeleton(f"{pid}@{NO_EMAIL_DOMAIN}"),  # no save() here
                public_id=pid,
                password=unusable,
            )
            for pid in sorted(into.people)
        ],
        batch_size=BATCH,
    )
    into.user = {u.public_id: u for u in User.objects.filter(public_id__in=into.people)}
    memberships = []
    for p in rows:
        m = Membership(
            pk=p["membership_id"],
            forum=into.the_forum,
            user=into.user[p["id"]],
            **pick(p, "stakeholder_group", "country", "region", "other_hats", "verified"),
            **pick(p, "verified_at", "role", "status", "joined_at"),
        )
        into.member[p["id"]] = m
        memberships.append(m)
    Membership.objects.bulk_create(memberships, batch_size=BATCH)


FORUM = TableSpec(r.FORUM, Forum, export=_export_forum, load=_load_forum, keeps_ids=False)

CYCLES = TableSpec(
    r.CYCLES,
    Cycle,
    # The version as every change of the tallies counted once (supports count in shards).
    ("pk", "name", "phase", "is_open", "opened_at", "closed_at", "total_version"),
    query=lambda forum: with_total_version(Cycle.objects.filter(forum=forum)),
    build=lambda c, into: Cycle(
        pk=c["id"],
        forum=into.the_forum,
        **pick(c, "name", "phase", "is_open", "opened_at", "closed_at", "tally_version"),
    ),
)

PHASE_CHANGES = TableSpec(
    r.PHASE_CHANGES,
    PhaseChange,
    ("pk", "cycle_id", "from_phase", "to_phase", "changed_by__public_id", "changed_at"),
    query=lambda forum: PhaseChange.objects.filter(cycle__forum=forum),
    build=lambda c, into: PhaseChange(
        pk=c["id"],
        changed_by=into.user[c["changed_by"]] if c["changed_by"] else None,
        **pick(c, "cycle_id", "from_phase", "to_phase", "changed_at"),
    ),
)

PARTICIPANTS = TableSpec(
    r.PARTICIPANTS,
    Membership,
    (
        "user__public_id",
        "stakeholder_group",
        "country",
        "region",
        "other_hats",
        "verified",
        "verified_at",
        "role",
        "status",
        "joined_at",
        "pk",
    ),
    query=lambda forum: Membership.objects.filter(forum=forum),
    load=_load_participants,
)
