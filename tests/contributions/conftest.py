"""Fixtures for the contribution tests: an issue in the personas' forum, cheap hashing."""

from __future__ import annotations

import pytest

from commonground.contributions import services
from commonground.contributions.models import Solution
from commonground.issues.models import Issue
from tests.conftest import World

SIGNAL = {"jurisdiction": "KE", "priority": "high", "statement": "We are **concerned**."}
IGO_SIGNAL = {"jurisdiction": "ITU", "priority": "medium", "statement": "Of concern to members."}
ADVICE = {
    "feasibility": "feasible_with_conditions",
    "conditions": "Needs spectrum.",
    "benefits": "Cheaper access.",
    "risks": "Interference.",
    "affected_groups": ["civil_society", "private_sector"],
    "evidence": ["https://example.org/study"],
}


def signal_fields(group: str) -> dict[str, str]:
    """A valid signal for a member of ``group`` (a country for governments, else an acronym)."""
    return SIGNAL if group == "government" else IGO_SIGNAL


@pytest.fixture
def solution(world: World, issue: Issue) -> Solution:
    return services.propose_solution(
        world.member["private_sector"],
        issue,
        title="Open spectrum for community networks",
        description="License-exempt bands for **community** networks.",
        actors=["telecom regulators"],
    )
