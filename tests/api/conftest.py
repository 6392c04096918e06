"""Helpers for the API tests: bearer tokens, JSON calls and a snapshot of the database.

The ``world`` personas come from tests/conftest.py. ``snapshot()`` captures every
row count and counter a write could touch, so a refused request can be checked
to have changed nothing at all.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import Sum
from django.test import Client

from commonground.issues.models import TALLY_FIELDS, ActiveTally, Issue, Support, Topic
from commonground.ledger.models import LedgerEntry
from commonground.participants.models import ApiToken, Membership, User
from commonground.participants.services import create_api_token
from tests.conftest import World

API = "/api/v1"


def pytest_configure(config: pytest.Config) -> None:
    # Registered here rather than in pyproject.toml, beside the only tests that use it.
    config.addinivalue_line(
        "markers",
        "conformance: the Schemathesis run over the OpenAPI document (never skipped for a "
        "missing tool; CI runs the member's run in its PostgreSQL leg, the anonymous one in "
        "its SQLite leg)",
    )


def bearer(user: User) -> dict[str, str]:
    """Request headers authenticating ``user`` with a fresh API token."""
    _, key = create_api_token(user, "tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def send(
    client: Client,
    method: str,
    path: str,
    body: Any = None,
    *,
    raw: str | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    """One API call with a JSON body (or a raw string body); returns the response."""
    data = raw if raw is not None else (json.dumps(body) if body is not None else "")
    call = getattr(client, method.lower())
    return call(f"{API}{path}", data, content_type="application/json", **(headers or {}))


def snapshot() -> dict[str, Any]:
    """Everything a write through the API could change, as comparable values."""
    return {
        "issues": list(
            Issue.objects.order_by("pk").values_list(
                "pk", "title", "description", "updated_at", "support_count"
            )
        ),
        "issue_topics": list(
            Issue.topics.through.objects.order_by("pk").values_list("issue_id", "topic_id")
        ),
        "topics": Topic.objects.count(),
        "supports": list(Support.objects.order_by("pk").values_list("pk", "issue_id")),
        "tallies": list(Issue.objects.order_by("pk").values_list(*TALLY_FIELDS.values())),
        "active": ActiveTally.objects.aggregate(n=Sum("count"))["n"],
        "memberships": list(
            Membership.objects.order_by("pk").values_list("pk", "stakeholder_group", "country")
        ),
        "ledger": LedgerEntry.objects.count(),
        "tokens": ApiToken.objects.count(),
    }


@pytest.fixture
def as_user(world: World) -> Callable[[User], Client]:
    """A test client logged in (session) as the user."""
    return world.client_for
