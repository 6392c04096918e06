"""A support and a withdrawal through the API keep every guarantee on the short path.

On PostgreSQL with batched sequencing the support service writes in two hand-written
statements (the locks; the change with its counting) and commits in the same message as
the last (commonground.issues.support_sql,
issue 19); on SQLite, or inline, it goes through the ORM. Whatever the path, with real
commits (a transactional test): the support row, the follow, the issue's counts, the
group's active members, the cycle's tally version, the issue's read version and the
ledger's pending entry come and go together, a repeat changes nothing, and a refusal
writes nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from commonground.core.readcache import versions
from commonground.issues.models import Issue, Support
from commonground.issues.tallies import active_counts, tally_version
from commonground.ledger.models import PendingEntry
from commonground.notifications.models import Follow
from commonground.participants.services import create_api_token
from tests.conftest import World

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def batched(settings: Any) -> None:
    settings.COMMONGROUND_LEDGER_SEQUENCING = "batched"


def _auth(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user, 'tests')[1]}"}


def _state(issue: Issue, group: str) -> dict[str, Any]:
    issue.refresh_from_db()
    return {
        "rows": Support.objects.filter(issue=issue).count(),
        "count": issue.support_count,
        "group": getattr(issue, f"supports_{group}"),
        "active": active_counts(issue.cycle_id)[group],
        "entries": list(
            PendingEntry.objects.filter(action__startswith="support.", object_id=str(issue.pk))
            .order_by("id")
            .values_list("action", "fields", "actor", "forum")
        ),
    }


def test_a_support_and_its_withdrawal_commit_rows_tallies_versions_and_entries_together(
    batched: None, world: World, issue: Issue
) -> None:
    member = world.member["government"]
    membership = world.membership["government"]
    client, auth = Client(), _auth(member)
    url = f"/api/v1/issues/{issue.pk}/support"
    version, read = tally_version(issue.cycle_id), versions([f"issue:{issue.pk}"])

    response = client.post(url, **auth)
    assert response.status_code == 201
    body = response.json()
    assert body["support_count"] == 1 and body["supports_by_group"]["government"] == 1
    added = ("support.add", {"stakeholder_group": "government"}, member.public_id, "kenya-igf")
    assert _state(issue, "government") == {
        "rows": 1, "count": 1, "group": 1, "active": 1, "entries": [added],
    }  # fmt: skip
    assert Follow.objects.filter(membership=membership, issue=issue).exists()
    assert tally_version(issue.cycle_id) != version
    assert versions([f"issue:{issue.pk}"]) != read

    # A repeat is a 200 and writes nothing: no second row, count or entry.
    version, read = tally_version(issue.cycle_id), versions([f"issue:{issue.pk}"])
    repeat = client.post(url, **auth)
    assert repeat.status_code == 200
    assert repeat.json()["support_count"] == 1  # the counts as they are, read with it
    assert _state(issue, "government")["entries"] == [added]
    assert _state(issue, "government")["count"] == 1
    assert tally_version(issue.cycle_id) == version
    assert versions([f"issue:{issue.pk}"]) == read

    assert client.delete(url, **auth).status_code == 204
    withdrawn = ("support.withdraw", {"stakeholder_group": "government"}, member.public_id)
    state = _state(issue, "government")
    assert state["entries"][1][:3] == withdrawn
    assert {k: state[k] for k in ("rows", "count", "group", "active")} == {
        "rows": 0, "count": 0, "group": 0, "active": 0,
    }  # fmt: skip
    assert tally_version(issue.cycle_id) != version
    assert client.delete(url, **auth).status_code == 404
    assert len(_state(issue, "government")["entries"]) == 2


def test_a_member_with_other_supports_stays_among_the_active_members_when_withdrawing_one(
    batched: None, world: World, issue: Issue
) -> None:
    from commonground.issues.services import raise_issue

    other = raise_issue(
        world.member["academic_technical"], world.forum, title="Local content",
        description="Hosting at home.", topics=["access"],
    )  # fmt: skip
    client, auth = Client(), _auth(world.member["private_sector"])
    for target in (issue, other):
        assert client.post(f"/api/v1/issues/{target.pk}/support", **auth).status_code == 201
    assert active_counts(issue.cycle_id)["private_sector"] == 1
    assert client.delete(f"/api/v1/issues/{issue.pk}/support", **auth).status_code == 204
    assert active_counts(issue.cycle_id)["private_sector"] == 1
    assert client.delete(f"/api/v1/issues/{other.pk}/support", **auth).status_code == 204
    assert active_counts(issue.cycle_id)["private_sector"] == 0


def test_a_refused_support_says_why_and_writes_nothing(
    batched: None, world: World, issue: Issue
) -> None:
    client = Client()
    before = PendingEntry.objects.count()
    outsider = client.post(f"/api/v1/issues/{issue.pk}/support", **_auth(world.outsider))
    assert outsider.status_code == 403 and "Join" in outsider.json()["detail"]
    missing = client.post("/api/v1/issues/999999/support", **_auth(world.member["government"]))
    assert missing.status_code == 404
    assert Support.objects.filter(issue=issue).count() == 0
    assert PendingEntry.objects.count() == before


def test_a_withdrawal_after_the_members_group_changed_counts_out_of_the_supports_group(
    batched: None, world: World, issue: Issue
) -> None:
    membership = world.membership["civil_society"]
    client, auth = Client(), _auth(world.member["civil_society"])
    url = f"/api/v1/issues/{issue.pk}/support"
    assert client.post(url, **auth).status_code == 201
    membership.stakeholder_group = "private_sector"
    membership.save(update_fields=["stakeholder_group"])

    assert client.delete(url, **auth).status_code == 204
    state = _state(issue, "civil_society")
    assert {k: state[k] for k in ("rows", "count", "group", "active")} == {
        "rows": 0, "count": 0, "group": 0, "active": 0,
    }  # fmt: skip
    assert state["entries"][1][:2] == ("support.withdraw", {"stakeholder_group": "civil_society"})
    assert _state(issue, "private_sector")["active"] == 0
