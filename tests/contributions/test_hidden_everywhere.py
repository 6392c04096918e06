"""A hidden contribution's text is on no public surface: pages, lists, search, API, feeds,
agenda, moderation log, profiles, notifications or the ledger; its author still sees it.

Each kind gets a unique token in every free-text field. The token is checked on the
surfaces before hiding too, where they show the contribution, so the test would fail if
the surfaces simply never showed it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from django.test import Client

from commonground.contributions import services
from commonground.contributions.models import Advice, Comment, Signal, Solution
from commonground.issues.models import Issue
from commonground.ledger.models import LedgerEntry
from tests.conftest import World
from tests.contributions.conftest import ADVICE

pytestmark = pytest.mark.django_db

TOKEN = "Zqxjvk7781"  # appears nowhere else: not a word any page or fixture contains
# Searches use the token's first part: a search page repeats its query, and a match on the
# part would still bring up the whole token.
SEARCH = TOKEN[:6]


def _create(kind: str, world: World, issue: Issue, solution: Solution) -> tuple[Any, Any]:
    """The contribution of ``kind`` with the token in its free text, and its author."""
    if kind == "comment":
        author = world.member["civil_society"]
        body = f"Buy now {TOKEN}"
        return services.add_comment(author, issue=issue, body=body), author
    if kind == "signal":
        author = world.member["government"]
        item = services.signal_concern(
            author, issue, jurisdiction="KE", priority="high", statement=f"Alarm {TOKEN}"
        )
        return item, author
    if kind == "solution":
        author = world.member["civil_society"]
        item = services.propose_solution(
            author,
            issue,
            title=f"Plan {TOKEN}",
            description=f"Do {TOKEN}.",
            actors=[f"Ministry {TOKEN}"],
        )
        return item, author
    assert kind == "advice"
    author = world.member["academic_technical"]
    fields = {
        **ADVICE,
        "conditions": f"If {TOKEN}",
        "benefits": f"Gain {TOKEN}",
        "risks": f"Risk {TOKEN}",
        "evidence": [f"https://example.org/{TOKEN}"],
    }
    return services.give_advice(author, solution, **fields), author


def _surfaces(world: World, issue: Issue, solution: Solution, author: Any) -> list[str]:
    """Every public GET that could show the contribution's text."""
    slug = world.forum.slug
    size = LedgerEntry.objects.count()
    return [
        issue.get_absolute_url(),
        f"/forums/{slug}/",
        f"/forums/{slug}/issues/",
        f"/forums/{slug}/issues/?q={SEARCH}",
        f"/forums/{slug}/agenda/",
        f"/forums/{slug}/moderation/",
        f"/people/{author.public_id}/",
        f"/forums/{slug}/feeds/issues.atom",
        f"/forums/{slug}/feeds/agenda.atom",
        f"/forums/{slug}/feeds/moderation.atom",
        f"/issues/{issue.pk}/feeds/contributions.atom",
        f"/api/v1/issues/{issue.pk}",
        f"/api/v1/issues/{issue.pk}/signals",
        f"/api/v1/issues/{issue.pk}/solutions",
        f"/api/v1/issues/{issue.pk}/comments",
        f"/api/v1/solutions/{solution.pk}/advice",
        f"/api/v1/solutions/{solution.pk}/comments",
        f"/api/v1/forums/{slug}/issues",
        f"/api/v1/forums/{slug}/issues?q={SEARCH}",
        f"/api/v1/ledger/entries?start=1&end={size}",
        "/notifications/",
    ]


def _showing(client: Client, paths: list[str]) -> list[str]:
    """The paths whose answer contains the token (each must answer without a server error)."""
    found = []
    for path in paths:
        response = client.get(path)
        assert response.status_code < 500, path
        if TOKEN in response.content.decode():
            found.append(path)
    return found


@pytest.mark.parametrize("kind", ["comment", "signal", "solution", "advice"])
def test_hidden_text_is_on_no_public_surface_but_its_author_sees_it(
    world: World, issue: Issue, solution: Solution, kind: str
) -> None:
    item, author = _create(kind, world, issue, solution)
    paths = _surfaces(world, issue, solution, author)
    reader = world.client_for(world.member["private_sector"])  # follows the issue
    shown_before = _showing(reader, paths)
    assert issue.get_absolute_url() in shown_before
    assert f"/issues/{issue.pk}/feeds/contributions.atom" in shown_before
    assert any(p.startswith("/api/v1/") for p in shown_before)
    # The ledger never carried the text, only its digest.
    assert not any(p.startswith("/api/v1/ledger/") for p in shown_before)

    services.moderate(world.steward, kind, item, hide=True, reason="Advertising")
    paths = _surfaces(world, issue, solution, author)  # the ledger grew: read all of it
    for viewer in (None, world.member["private_sector"], world.outsider):
        assert _showing(world.client_for(viewer), paths) == [], viewer
    # Its author still sees it, marked hidden.
    own = world.client_for(author).get(issue.get_absolute_url()).content.decode()
    assert TOKEN in own and "Hidden by moderation" in own


def test_ledger_commits_to_the_text_by_its_sha256_digest(
    world: World, issue: Issue, solution: Solution
) -> None:
    comment, _ = _create("comment", world, issue, solution)
    services.edit_comment(world.member["civil_society"], comment, body=f"Edited {TOKEN}")
    signal, _ = _create("signal", world, issue, solution)
    advice, _ = _create("advice", world, issue, solution)

    def sha(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def fields(action: str, pk: int) -> dict[str, Any]:
        return LedgerEntry.objects.get(action=action, object_id=str(pk)).fields

    added = fields("comment.add", comment.pk)
    assert added["body_sha256"] == sha(f"Buy now {TOKEN}") and "body" not in added
    assert fields("comment.edit", comment.pk)["body_sha256"] == sha(f"Edited {TOKEN}")
    assert fields("signal.add", signal.pk)["statement_sha256"] == sha(f"Alarm {TOKEN}")
    proposed = fields("solution.propose", solution.pk)
    stored = Solution.objects.get(pk=solution.pk)
    assert proposed["title_sha256"] == sha(stored.title)
    assert proposed["actors_sha256"] == sha('["telecom regulators"]')
    given = fields("advice.give", advice.pk)
    assert given["feasibility"] == "feasible_with_conditions"
    assert sorted(given["affected_groups"]) == ["civil_society", "private_sector"]
    assert given["evidence_sha256"] == sha(f'["https://example.org/{TOKEN}"]')
    assert given["risks_sha256"] == sha(f"Risk {TOKEN}")
    everything = [json.dumps(e.fields, ensure_ascii=False) for e in LedgerEntry.objects.all()]
    assert not [text for text in everything if TOKEN in text]
    assert Comment.objects.filter(body__contains=TOKEN).exists()  # the text itself is kept
    assert Signal.objects.exists() and Advice.objects.exists()
