"""A storm of parallel supports and withdrawals on a few issues stays exact.

Supports of different members no longer wait for one another's rows until their tally
update at the very end (docs/scaling.md, section 1): the counts, the sharded active
members and the sharded tally version must still come out exact, and the agenda cached
before the storm must not be served after it. Real HTTP requests on PostgreSQL, where
they truly run in parallel:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/commonground uv run pytest tests/api
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from commonground.forums.services import join_forum
from commonground.issues.models import Issue, Support
from commonground.issues.services import raise_issue, support_issue
from commonground.issues.tallies import active_counts, tally_version
from commonground.participants.models import User
from commonground.participants.services import create_account, create_api_token
from commonground.recognition.services import check_tallies, compute_live_agenda, live_agenda
from commonground.stakeholders import GROUPS
from tests.conftest import World
from tests.parallel import Call, all_at_once

MEMBERS = 24

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (DATABASE_URL=postgres://...): SQLite runs one writer at a "
        "time, so parallel supports cannot race there",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_parallel_supports_and_withdrawals_on_three_issues_are_exact_and_the_agenda_fresh(
    world: World, live_server: Any
) -> None:
    issues = [
        raise_issue(world.member["civil_society"], world.forum, title=f"Hot {n}", description="D")
        for n in range(3)
    ]
    crowd: list[tuple[User, str]] = []
    for n in range(MEMBERS):
        user = create_account(f"storm{n}@example.org", None)
        join_forum(user, world.forum, stakeholder_group=GROUPS[n % 6], country="KE")
        crowd.append((user, create_api_token(user, "storm")[1]))
        support_issue(user, issues[0])  # before the storm: everyone supports the first
    cached = live_agenda(world.cycle)  # cached before the storm
    version = tally_version(world.cycle.pk)

    # Each member at once: withdraws from the first issue, supports the second, and every
    # other member the third: 60 requests in flight together.
    calls = []
    for n, (_user, token) in enumerate(crowd):
        calls.append(("DELETE", issues[0], token))
        calls.append(("POST", issues[1], token))
        if n % 2 == 0:
            calls.append(("POST", issues[2], token))
    answers = all_at_once([
        Call(method, f"{live_server.url}/api/v1/issues/{issue.pk}/support", token)
        for method, issue, token in calls
    ])  # fmt: skip
    out = [(a.call.method, a.status or a.body) for a in answers]

    assert sorted(out) == sorted(
        [("DELETE", 204)] * MEMBERS + [("POST", 201)] * (MEMBERS + MEMBERS // 2)
    ), out
    counts = {i.pk: Issue.objects.get(pk=i.pk).support_count for i in issues}
    assert counts == {issues[0].pk: 0, issues[1].pk: MEMBERS, issues[2].pk: MEMBERS // 2}
    assert Support.objects.filter(issue__in=issues).count() == MEMBERS + MEMBERS // 2
    assert check_tallies(world.cycle) == []
    # Every member still supports the second issue: each group counts its members once.
    assert active_counts(world.cycle.pk) == {g: MEMBERS // 6 for g in GROUPS}
    assert tally_version(world.cycle.pk) > version
    served = live_agenda(world.cycle)
    assert served is not cached
    fresh = compute_live_agenda(world.cycle, served.settings)
    assert served.result.to_json_dict(served.settings) == fresh.result.to_json_dict(fresh.settings)
