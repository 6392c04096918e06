"""A hidden contribution's text is on no public surface: pages, lists, search, API, feeds,
agenda, moderation log, profiles, notifications or the ledger; its author still sees it.

Each kind gets its own token in every free-text field (all four share one prefix, so one
search finds them all). The token is checked on the surfaces before hiding too, where they
show the contribution, so the test would fail if the surfaces simply never showed it. One
world holds one contribution of each kind, on objects of their own (the advice is on a
solution that stays visible), so hiding the four at once checks each as hiding it alone
would, with one walk of the surfaces per viewer instead of one per kind.
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
KINDS = ("comment", "signal", "solution", "advice")
# No kind's token is part of another's.
KIND_TOKEN = {kind: f"{TOKEN}{kind}" for kind in KINDS}


def _create(
    kind: str, world: World, issue: Issue, solution: Solution, token: str = TOKEN
) -> tuple[Any, Any]:
    """The contribution of ``kind`` with ``token`` in its free text, and its author."""
    if kind == "comment":
        author = world.member["civil_society"]
        body = f"Buy now {token}"
        return services.add_comment(author, issue=issue, body=body), author
    if kind == "signal":
        author = world.member["government"]
        item = services.signal_concern(
            author, issue, jurisdiction="KE", priority="high", statement=f"Alarm {token}"
        )
        return item, author
    if kind == "solution":
        author = world.member["civil_society"]
        item = services.propose_solution(
            author,
            issue,
            title=f"Plan {token}",
            description=f"Do {token}.",
            actors=[f"Ministry {token}"],
        )
        return item, author
    assert kind == "advice"
    author = world.member["academic_technical"]
    fields = {
        **ADVICE,
        "conditions": f"If {token}",
        "benefits": f"Gain {token}",
        "risks": f"Risk {token}",
        "evidence": [f"https://example.org/{token}"],
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


def _pages(client: Client, paths: list[str]) -> dict[str, str]:
    """Each path's answer (each must answer without a server error)."""
    pages = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code < 500, path
        pages[path] = response.content.decode()
    return pages


def _showing(pages: dict[str, str], token: str) -> list[str]:
    """The paths whose answer contains ``token``."""
    return [path for path, text in pages.items() if token in text]


def test_hidden_text_is_on_no_public_surface_but_its_author_sees_it(
    world: World, issue: Issue, solution: Solution
) -> None:
    created = {kind: _create(kind, world, issue, solution, KIND_TOKEN[kind]) for kind in KINDS}
    author_of = {kind: author for kind, (_, author) in created.items()}
    paths = sorted(
        {p for author in author_of.values() for p in _surfaces(world, issue, solution, author)}
    )
    reader = world.client_for(world.member["private_sector"])  # follows the issue
    before = _pages(reader, paths)
    for kind in KINDS:
        shown_before = _showing(before, KIND_TOKEN[kind])
        assert issue.get_absolute_url() in shown_before, kind
        assert f"/issues/{issue.pk}/feeds/contributions.atom" in shown_before, kind
        assert any(p.startswith("/api/v1/") for p in shown_before), kind
        # The ledger never carried the text, only its digest.
        assert not any(p.startswith("/api/v1/ledger/") for p in shown_before), kind

    for kind, (item, _) in created.items():
        services.moderate(world.steward, kind, item, hide=True, reason="Advertising")
    # The ledger grew: read all of it.
    paths = sorted(
        {p for author in author_of.values() for p in _surfaces(world, issue, solution, author)}
    )
    for viewer in (None, world.member["private_sector"], world.outsider):
        assert _showing(_pages(world.client_for(viewer), paths), TOKEN) == [], viewer
    # Each author still sees their own, each marked hidden.
    for author in set(author_of.values()):
        own = world.client_for(author).get(issue.get_absolute_url()).content.decode()
        theirs = [kind for kind in KINDS if author_of[kind] == author]
        assert all(KIND_TOKEN[kind] in own for kind in theirs), theirs
        assert own.count("Hidden by moderation") == len(theirs), theirs


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
