"""Sharded tallies: the cycle's tally version and its active members, summed over shards.

Supports no longer update the cycle's row; they grow one shard of its tally version and
their member's shard of the group's active count. These tests hold the rules that made
the single rows safe: the cached agenda is never served stale after a change, and every
count stays exact (docs/scaling.md, section 1).
"""

from __future__ import annotations

import pytest

from commonground.forums.models import Cycle
from commonground.forums.services import join_forum
from commonground.issues.models import TALLY_SHARDS, ActiveTally, Issue, TallyVersion
from commonground.issues.services import raise_issue, support_issue, withdraw_support
from commonground.issues.tallies import active_counts, tally_version
from commonground.participants.services import create_account
from commonground.recognition.services import check_tallies, compute_live_agenda, live_agenda
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _issue(world: World, title: str) -> Issue:
    return raise_issue(
        world.member["civil_society"], world.forum, title=title, description="Concern."
    )


def _supporters(world: World, issue: Issue) -> int:
    """The issue's supporters in the agenda as served."""
    served = live_agenda(world.cycle)
    groups = served.result.issue_dict(served.row_of(issue.pk))["groups"]
    return sum(g["supports"] for g in groups.values())


def _same_result(world: World) -> bool:
    """The agenda served (cached or not) equals one computed now from the tallies."""
    served = live_agenda(world.cycle)
    fresh = compute_live_agenda(world.cycle, served.settings)
    return served.issue_ids == fresh.issue_ids and (
        served.result.to_json_dict(served.settings) == fresh.result.to_json_dict(fresh.settings)
    )


def test_a_support_and_a_withdrawal_each_grow_the_tally_version_but_not_the_cycle_row(
    world: World,
) -> None:
    issue = _issue(world, "Versioned")
    cycle_row = Cycle.objects.get(pk=world.cycle.pk).tally_version
    before = tally_version(world.cycle.pk)
    support_issue(world.member["government"], issue)
    after_support = tally_version(world.cycle.pk)
    withdraw_support(world.member["government"], issue)
    after_withdrawal = tally_version(world.cycle.pk)
    assert before < after_support < after_withdrawal
    assert Cycle.objects.get(pk=world.cycle.pk).tally_version == cycle_row
    grown = TallyVersion.objects.filter(cycle=world.cycle, version__gt=0)
    assert [row.shard for row in grown] == [issue.pk % TALLY_SHARDS]


def test_a_repeated_support_and_a_withdrawal_of_nothing_leave_the_version_as_it_was(
    world: World,
) -> None:
    issue = _issue(world, "Idempotent")
    support_issue(world.member["government"], issue)
    version = tally_version(world.cycle.pk)
    assert support_issue(world.member["government"], issue)[1] is False
    assert withdraw_support(world.member["academic_technical"], issue) is False
    assert tally_version(world.cycle.pk) == version


def test_the_cached_agenda_is_never_served_stale_after_a_support_or_a_withdrawal(
    world: World,
) -> None:
    issues = [_issue(world, f"Cached {n}") for n in range(3)]
    assert _same_result(world)
    for group in ("government", "private_sector", "academic_technical"):
        support_issue(world.member[group], issues[1])
        assert _same_result(world)  # the cached one was computed before this support
    assert _supporters(world, issues[1]) == 3
    withdraw_support(world.member["government"], issues[1])
    assert _same_result(world)
    assert _supporters(world, issues[1]) == 2


def test_active_members_are_exact_summed_over_shards_and_no_shard_goes_below_zero(
    world: World,
) -> None:
    issue, other = _issue(world, "Crowded"), _issue(world, "Other")
    crowd = []
    for n in range(TALLY_SHARDS + 3):  # more members than shards: some share a shard
        user = create_account(f"shard{n}@crowd.example.org", None)
        join_forum(user, world.forum, stakeholder_group="private_sector", country="KE")
        crowd.append(user)
    for user in crowd:
        support_issue(user, issue)
        support_issue(user, other)  # a second support: still one active member
    assert active_counts(world.cycle.pk)["private_sector"] == len(crowd)
    used = ActiveTally.objects.filter(cycle=world.cycle, count__gt=0)
    assert {(row.stakeholder_group, row.shard) for row in used} == {
        ("private_sector", shard) for shard in range(TALLY_SHARDS)
    }
    for user in crowd[:5]:
        withdraw_support(user, issue)  # still active through the other issue
    assert active_counts(world.cycle.pk)["private_sector"] == len(crowd)
    for user in crowd:
        withdraw_support(user, other)
    assert active_counts(world.cycle.pk)["private_sector"] == len(crowd) - 5
    for user in crowd[5:]:
        withdraw_support(user, issue)
    assert active_counts(world.cycle.pk)["private_sector"] == 0
    assert set(ActiveTally.objects.values_list("count", flat=True)) == {0}
    assert check_tallies(world.cycle) == []


def test_a_change_is_counted_exactly_when_its_cycles_shard_rows_are_missing(
    world: World,
) -> None:
    """The rows are made with a cycle's first change, or again when missing (a rebuilt
    tally keeps only the shards that count someone): the change is counted in full."""
    issue = _issue(world, "Unsharded")
    TallyVersion.objects.filter(cycle=world.cycle).delete()
    ActiveTally.objects.filter(cycle=world.cycle).delete()
    support_issue(world.member["government"], issue)
    assert active_counts(world.cycle.pk)["government"] == 1
    TallyVersion.objects.filter(cycle=world.cycle).delete()
    ActiveTally.objects.filter(cycle=world.cycle, count=0).delete()
    before = tally_version(world.cycle.pk)
    support_issue(world.member["private_sector"], issue)
    assert tally_version(world.cycle.pk) > before
    withdraw_support(world.member["government"], issue)
    issue.refresh_from_db()
    by_group = issue.supports_by_group
    assert (issue.support_count, by_group["private_sector"], by_group["government"]) == (1, 1, 0)
    counts = active_counts(world.cycle.pk)
    assert (counts["private_sector"], counts["government"]) == (1, 0)
    assert check_tallies(world.cycle) == []
