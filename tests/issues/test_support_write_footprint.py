"""What a support writes on PostgreSQL beyond its rows: no index nothing reads, and its
shared counters updated in place (issue 19: docs/performance.md, "A support's WAL").

A follow is looked up by member through the unique constraint's index, which begins with
the member, so it has no index of its own; the ledger's forum has no pattern-matching
index beside its plain one. A tally row, once made, is updated by each later change and
never made twice.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from commonground.issues.models import TALLY_SHARDS, Issue, TallyVersion
from commonground.issues.tallies import active_counts
from commonground.notifications.models import Follow
from commonground.participants.services import create_api_token
from tests.conftest import World

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def batched(settings: Any) -> None:
    settings.COMMONGROUND_LEDGER_SEQUENCING = "batched"


def _index_definitions(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [table])
        return [row[0] for row in cursor.fetchall()]


def test_a_follow_has_no_index_of_its_own_on_the_member_the_unique_one_begins_with_it() -> None:
    definitions = _index_definitions(Follow._meta.db_table)
    assert not [d for d in definitions if d.endswith("(membership_id)")]
    assert [d for d in definitions if d.endswith("(membership_id, issue_id)")]


def test_the_ledgers_forum_keeps_its_plain_index_and_has_no_pattern_index() -> None:
    definitions = _index_definitions("ledger_ledgerentry")
    assert [d for d in definitions if d.endswith("(forum)")]
    assert not [d for d in definitions if "varchar_pattern_ops" in d]


def test_a_members_follows_are_found_and_removed_with_the_membership(
    batched: None, world: World, issue: Issue
) -> None:
    member, membership = world.member["government"], world.membership["government"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(member, 'tests')[1]}"}
    assert Client().post(f"/api/v1/issues/{issue.pk}/support", **auth).status_code == 201
    assert list(Follow.objects.filter(membership=membership).values_list("issue_id", flat=True))
    assert Follow.objects.filter(membership=membership).count() == 1


def test_each_change_after_the_first_updates_the_tally_rows_in_place_one_per_shard(
    batched: None, world: World, issue: Issue
) -> None:
    url = f"/api/v1/issues/{issue.pk}/support"
    groups = ["government", "civil_society"]
    tokens = {g: create_api_token(world.member[g], "tests")[1] for g in groups}
    client = Client()

    def change(method: str, group: str, status: int) -> None:
        auth = {"HTTP_AUTHORIZATION": f"Bearer {tokens[group]}"}
        assert getattr(client, method)(url, **auth).status_code == status

    change("post", "government", 201)  # the first change of the shard makes its row
    shard = TallyVersion.objects.get(cycle_id=issue.cycle_id, shard=issue.pk % TALLY_SHARDS)
    assert shard.version == 1
    change("post", "civil_society", 201)
    change("delete", "government", 204)
    change("post", "government", 201)
    change("post", "government", 200)  # a repeat changes nothing, counts nothing
    rows = TallyVersion.objects.filter(cycle_id=issue.cycle_id, shard=issue.pk % TALLY_SHARDS)
    assert rows.count() == 1 and rows.get().version == 4
    assert active_counts(issue.cycle_id)["government"] == 1
    assert active_counts(issue.cycle_id)["civil_society"] == 1
    change("delete", "civil_society", 204)
    assert active_counts(issue.cycle_id)["civil_society"] == 0
    assert rows.get().version == 5
