"""Fixtures of the language tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation as django_translation

from commonground.contributions import services as contributions
from commonground.contributions.models import Solution
from commonground.issues.models import Issue
from tests.conftest import World


@pytest.fixture
def english_interface() -> Iterator[None]:
    """The fixtures write in English (an earlier request may leave another language
    active in the thread). A module uses it with ``pytest.mark.usefixtures``, so that it
    is set up before the fixtures the tests ask for."""
    with django_translation.override("en"):
        yield


@pytest.fixture
def solution(world: World, issue: Issue) -> Solution:
    """A short solution to the issue, in English, by the private sector's member."""
    return contributions.propose_solution(
        world.member["private_sector"], issue, title="Open spectrum", description="Bands."
    )
