"""A merge racing with supports on both issues loses no support and doubles none.

Run on PostgreSQL, where requests truly run in parallel (SQLite serialises writers):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cg_network uv run pytest tests/network
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection

from commonground.forums.services import join_forum
from commonground.issues.models import Issue, Support
from commonground.issues.services import raise_issue, support_issue
from commonground.participants.services import create_account, create_api_token
from commonground.recognition.services import check_tallies
from commonground.stakeholders import GROUPS
from tests.conftest import World
from tests.parallel import Call, all_at_once

PARALLEL = 24
COUNTRIES = ("KE", "CH", "UA", "BR", "SN", "IN")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (DATABASE_URL=postgres://...): SQLite runs one writer at a "
        "time, so a merge cannot race with supports there",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_merge_racing_with_supports_on_both_issues_counts_each_member_once(
    world: World, live_server: Any
) -> None:
    a = raise_issue(world.member["civil_society"], world.forum, title="A", description="Same.")
    b = raise_issue(world.member["government"], world.forum, title="B", description="Same.")
    tokens: list[str] = []
    users = []
    for n in range(PARALLEL):
        user = create_account(f"racer{n}@example.org", None, display_name=f"Racer {n}")
        join_forum(user, world.forum, stakeholder_group=GROUPS[n % 6], country=COUNTRIES[n % 6])
        users.append(user)
        tokens.append(create_api_token(user, "race")[1])
    # Before the race: a third support B, a third support both.
    for user in users[: PARALLEL // 3]:
        support_issue(user, b)
    for user in users[PARALLEL // 3 : 2 * PARALLEL // 3]:
        support_issue(user, a)
        support_issue(user, b)
    api = f"{live_server.url}/api/v1/issues"
    # In the race: every member supports A or B again (some for the first time), and the
    # steward merges B into A at the same moment.
    calls = [
        Call("POST", f"{api}/{(a if n % 2 else b).pk}/support", token)
        for n, token in enumerate(tokens)
    ]
    steward_token = create_api_token(world.steward, "merge")[1]
    merge = json.dumps({"into": a.pk}).encode()
    calls.append(Call("POST", f"{api}/{b.pk}/merge", steward_token, merge))
    out = [(answer.call.url, answer.call.token, answer.status) for answer in all_at_once(calls)]
    merge_status = next(status for url, _, status in out if url.endswith("/merge"))
    assert merge_status == 200, out
    supports = [(url, token, status) for url, token, status in out if url.endswith("/support")]
    # A support on B is either before the merge (moved) or after it (409, refused).
    assert {status for _, _, status in supports} <= {200, 201, 409}, out
    assert all(f"/{b.pk}/" in url for url, _, s in supports if s == 409)
    # Every member who supported before the race, or whose support in it was accepted,
    # has exactly one support on A; nobody else has one.
    accepted = {token for _, token, s in supports if s in (200, 201)}
    expected = {u.pk for u in users[: 2 * PARALLEL // 3]} | {
        u.pk for u, token in zip(users, tokens, strict=True) if token in accepted
    }
    supporters = list(Support.objects.filter(issue=a).values_list("membership__user_id", flat=True))
    assert sorted(supporters) == sorted(expected)
    assert not Support.objects.filter(issue=b).exists()
    a.refresh_from_db()
    assert a.support_count == len(expected)
    assert Issue.objects.get(pk=b.pk).support_count == 0
    assert check_tallies(world.cycle) == []
