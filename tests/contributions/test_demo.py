"""The demo seeds signals, solutions, advice and comments with their ledger entries."""

from __future__ import annotations

import pytest
from django.test import Client

from commonground.contributions.models import Advice, AdviceRevision, Comment, Signal, Solution
from commonground.demo import content
from commonground.demo.seed import seed_demo
from commonground.ledger.models import Checkpoint, LedgerEntry

pytestmark = pytest.mark.django_db


def test_demo_seeds_contributions_with_ledger_entries() -> None:
    seed_demo(seed=11)
    assert Signal.objects.count() > len(content.SIGNALS) // 2
    assert Solution.objects.count() == len(content.SOLUTIONS)
    assert Advice.objects.count() > len(content.ADVICE) // 2
    assert AdviceRevision.objects.count() == Advice.objects.count()
    assert Comment.objects.filter(parent__isnull=False).exists()
    for action, model in (
        ("signal.add", Signal),
        ("solution.propose", Solution),
        ("advice.give", Advice),
        ("comment.add", Comment),
    ):
        assert LedgerEntry.objects.filter(action=action).count() == model.objects.count()
    for reply in Comment.objects.filter(parent__isnull=False).select_related("parent"):
        assert reply.parent.issue_id == reply.issue_id and reply.parent.parent_id is None
        assert reply.created_at >= reply.parent.created_at
    for signal in Signal.objects.select_related("author"):
        assert signal.author.stakeholder_group in ("government", "intergovernmental")
    for advice in Advice.objects.select_related("author"):
        assert advice.author.stakeholder_group in ("academic_technical", "internet_institution")
    issue = Signal.objects.first().issue
    html = Client().get(issue.get_absolute_url()).content.decode()
    assert "Signalled by" in html


def test_demo_publishes_a_checkpoint_over_its_whole_ledger() -> None:
    summary = seed_demo(seed=11)
    checkpoint = Checkpoint.objects.get()
    assert checkpoint.tree_size == LedgerEntry.objects.count() == summary.ledger_entries
    assert Client().get("/api/v1/ledger/checkpoint").status_code == 200
