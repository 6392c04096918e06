"""The network cast: Kenya IGF with a published agenda, the Africa IGF and the global IGF
with open cycles and their own stewards (``world`` from tests/conftest.py underneath)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from commonground.forums.models import Forum
from commonground.forums.services import advance_cycle, join_forum, open_cycle
from commonground.issues.models import Issue
from commonground.issues.services import raise_issue, support_issue
from commonground.participants.models import User
from commonground.participants.services import grant_steward
from commonground.recognition.models import AgendaPublication
from commonground.recognition.services import publish_agenda
from tests.conftest import World, make_user


@dataclass
class Network:
    world: World
    kenya: Forum
    africa: Forum
    igf: Forum
    on_agenda: Issue  # on Kenya's published agenda
    off_agenda: Issue  # raised in Kenya, supported by one group only
    publication: AgendaPublication
    africa_steward: User
    igf_steward: User


def recognize(world: World, issue: Issue, groups: tuple[str, ...]) -> None:
    for group in groups:
        support_issue(world.member[group], issue)


def steward_of(forum: Forum, email: str, country: str) -> User:
    user = make_user(email)
    grant_steward(None, join_forum(user, forum, stakeholder_group="government", country=country))
    return user


@pytest.fixture
def network(world: World) -> Network:
    kenya = world.forum
    # One persona per group: let one supporter count for a group in the test forum.
    Forum.objects.filter(pk=kenya.pk).update(min_supporters=1)
    kenya.refresh_from_db()
    on_agenda = raise_issue(
        world.member["civil_society"], kenya, title="Affordable rural connectivity",
        description="Villages pay more for less bandwidth.", topics=["SDG 9", "access"],
    )  # fmt: skip
    off_agenda = raise_issue(
        world.member["government"], kenya, title="Spectrum auctions",
        description="Auction rules keep small operators out.",
    )  # fmt: skip
    recognize(world, on_agenda, ("civil_society", "government", "academic_technical"))
    recognize(world, off_agenda, ("government",))
    advance_cycle(None, kenya)  # agenda setting
    publication = publish_agenda(world.steward, kenya)
    africa = Forum.objects.get(slug="africa-igf")
    igf = Forum.objects.get(slug="igf")
    open_cycle(None, africa, "2027")
    open_cycle(None, igf, "2027")
    africa_steward = steward_of(africa, "amina.africa@example.org", "NG")
    igf_steward = steward_of(igf, "gus.global@example.org", "CH")
    return Network(
        world, kenya, africa, igf, on_agenda, off_agenda, publication, africa_steward, igf_steward
    )
