"""Irreversible acts are confirmed (issue 11.12): moving the phase names the next phase and
waits for a confirmation that works without JavaScript, a step taken by mistake can be
corrected within the cycle, and publishing the agenda shows what will be frozen first."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commonground.core.errors import Conflict, InvalidInput, NotAllowed
from commonground.forums.forum_settings import update_settings
from commonground.forums.models import Cycle, PhaseChange
from commonground.forums.phase_changes import correct_phase, planned_advance
from commonground.forums.services import advance_cycle
from commonground.issues.models import Issue
from commonground.issues.services import support_issue
from commonground.ledger.models import LedgerEntry
from commonground.recognition.models import AgendaPublication
from commonground.recognition.services import publish_agenda
from tests.api.conftest import bearer, send
from tests.conftest import World

pytestmark = pytest.mark.django_db


def phase(world: World) -> str:
    return Cycle.objects.get(pk=world.cycle.pk).phase


# -- advancing


def test_confirmation_page_names_the_next_phase_and_what_changes(world: World) -> None:
    page = world.client_for(world.steward).get(reverse("forums:advance", args=["kenya-igf"]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Move the cycle 2027 to Agenda setting?" in html
    assert 'name="to" value="agenda_setting"' in html and "Publishing the agenda" in html
    assert phase(world) == "call_for_issues"


def test_forum_page_button_names_the_next_phase(world: World) -> None:
    html = world.client_for(world.steward).get(reverse("forums:detail", args=["kenya-igf"]))
    assert "Move to Agenda setting…" in html.content.decode()


def test_confirmed_step_moves_once_and_a_repeat_changes_nothing(world: World) -> None:
    steward = world.client_for(world.steward)
    url = reverse("forums:advance", args=["kenya-igf"])
    assert steward.post(url, {"to": "agenda_setting"}).status_code == 302
    assert steward.post(url, {"to": "agenda_setting"}).status_code == 409
    assert phase(world) == "agenda_setting"
    assert steward.post(url, {}).status_code == 400  # no confirmation: nothing happens
    assert phase(world) == "agenda_setting"


def test_member_cannot_see_or_confirm_the_step(world: World) -> None:
    member = world.client_for(world.member["government"])
    url = reverse("forums:advance", args=["kenya-igf"])
    assert member.get(url).status_code == 403
    assert member.post(url, {"to": "agenda_setting"}).status_code == 403
    assert phase(world) == "call_for_issues"


def test_the_last_step_closes_the_cycle(world: World) -> None:
    for _ in range(6):
        advance_cycle(None, world.forum)
    assert planned_advance(world.forum).after == "closed"
    advance_cycle(world.steward, world.forum, expected="closed")
    assert not Cycle.objects.get(pk=world.cycle.pk).is_open


# -- correcting


def test_steward_corrects_a_step_taken_by_mistake(world: World) -> None:
    advance_cycle(world.steward, world.forum)
    advance_cycle(world.steward, world.forum)
    correct_phase(world.steward, world.forum, "agenda_setting", "Moved on too early.")
    assert phase(world) == "agenda_setting"
    change = PhaseChange.objects.order_by("-id").first()
    assert (change.from_phase, change.to_phase, change.reason) == (
        "call_for_sessions", "agenda_setting", "Moved on too early.",
    )  # fmt: skip
    entry = LedgerEntry.objects.get(action="cycle.correct")
    assert entry.fields == {
        "from": "call_for_sessions", "to": "agenda_setting", "reason": "Moved on too early."
    }  # fmt: skip
    assert entry.actor == world.steward.public_id


@pytest.mark.parametrize(
    ("to", "reason", "error"),
    [
        ("agenda_setting", "Oops.", Conflict),  # the current phase: not a step back
        ("forum", "Oops.", Conflict),  # forward is not a correction
        ("nowhere", "Oops.", InvalidInput),
        ("call_for_issues", "", InvalidInput),
        ("call_for_issues", "x" * 501, InvalidInput),
    ],
)
def test_a_correction_goes_back_with_a_reason_or_changes_nothing(
    world: World, to: str, reason: str, error: type[Exception]
) -> None:
    advance_cycle(world.steward, world.forum)
    before = LedgerEntry.objects.count()
    with pytest.raises(error):
        correct_phase(world.steward, world.forum, to, reason)
    assert phase(world) == "agenda_setting" and LedgerEntry.objects.count() == before


def test_only_a_steward_corrects(world: World) -> None:
    advance_cycle(world.steward, world.forum)
    with pytest.raises(NotAllowed):
        correct_phase(world.member["government"], world.forum, "call_for_issues", "No.")
    assert phase(world) == "agenda_setting"


def test_correction_page_offers_earlier_phases_and_applies_one(world: World) -> None:
    advance_cycle(world.steward, world.forum)
    steward = world.client_for(world.steward)
    url = reverse("forums:correct", args=["kenya-igf"])
    html = steward.get(url).content.decode()
    assert 'value="call_for_issues"' in html and 'value="agenda_setting"' not in html
    response = steward.post(url, {"to": "call_for_issues", "reason": "Too early."})
    assert response.status_code == 302 and phase(world) == "call_for_issues"
    detail = steward.get(reverse("forums:detail", args=["kenya-igf"])).content.decode()
    assert "correction: Too early." in detail


# -- publishing the agenda


def _agenda_setting(world: World, issue: Issue) -> None:
    """The issue recognized (one supporter counts a group here) in agenda setting."""
    update_settings(world.steward, world.forum, {"min_supporters": 1})
    for group in ("government", "private_sector", "academic_technical"):
        support_issue(world.member[group], issue)
    advance_cycle(world.steward, world.forum)


def test_publication_page_shows_what_will_be_frozen(world: World, issue: Issue) -> None:
    _agenda_setting(world, issue)
    steward = world.client_for(world.steward)
    page = steward.get(reverse("recognition:publish", args=["kenya-igf"]))
    html = page.content.decode()
    assert page.status_code == 200 and "Publish agenda #1 of the cycle 2027?" in html
    assert issue.title in html and f'name="agenda" value="{issue.pk}"' in html
    assert not AgendaPublication.objects.exists()


def test_confirmed_publication_freezes_the_agenda_shown(world: World, issue: Issue) -> None:
    _agenda_setting(world, issue)
    url = reverse("recognition:publish", args=["kenya-igf"])
    response = world.client_for(world.steward).post(url, {"agenda": str(issue.pk)})
    assert response.status_code == 302
    assert AgendaPublication.objects.get().agenda == [str(issue.pk)]


def test_publication_refused_when_the_agenda_changed_since(world: World, issue: Issue) -> None:
    _agenda_setting(world, issue)
    with pytest.raises(Conflict):
        publish_agenda(world.steward, world.forum, expected_agenda=[])
    url = reverse("recognition:publish", args=["kenya-igf"])
    assert world.client_for(world.steward).post(url, {}).status_code == 400
    assert not AgendaPublication.objects.exists()


def test_agenda_page_links_to_the_confirmation(world: World, issue: Issue) -> None:
    _agenda_setting(world, issue)
    html = world.client_for(world.steward).get(reverse("recognition:agenda", args=["kenya-igf"]))
    assert reverse("recognition:publish", args=["kenya-igf"]) in html.content.decode()


# -- API


def test_api_phase_change_forward_and_back(world: World, client) -> None:
    path = "/forums/kenya-igf/phase-changes"
    steward = bearer(world.steward)
    response = send(client, "POST", path, {"to": "agenda_setting"}, headers=steward)
    assert response.status_code == 201 and response.json()["phase"] == "agenda_setting"
    assert send(client, "POST", path, {"to": "agenda_setting"}, headers=steward).status_code == 409
    assert send(client, "POST", path, {"to": "evaluation"}, headers=steward).status_code == 409
    back = {"to": "call_for_issues"}
    assert send(client, "POST", path, back, headers=steward).status_code == 400  # no reason
    back["reason"] = "Too early."
    response = send(client, "POST", path, back, headers=steward)
    assert response.status_code == 201 and response.json()["phase"] == "call_for_issues"
    assert response.json()["phase_history"][-1]["reason"] == "Too early."


def test_api_phase_change_403_member_401_anonymous(world: World, client) -> None:
    path = "/forums/kenya-igf/phase-changes"
    body = {"to": "agenda_setting"}
    member = bearer(world.member["government"])
    assert send(client, "POST", path, body, headers=member).status_code == 403
    assert send(client, "POST", path, body).status_code == 401
    assert phase(world) == "call_for_issues"


def test_api_publishes_the_agenda(world: World, issue: Issue, client) -> None:
    path = "/forums/kenya-igf/agenda/publications"
    steward = bearer(world.steward)
    assert send(client, "POST", path, {}, headers=steward).status_code == 409  # wrong phase
    _agenda_setting(world, issue)
    assert send(client, "POST", path, {"agenda": []}, headers=steward).status_code == 409
    member = bearer(world.member["government"])
    assert send(client, "POST", path, {}, headers=member).status_code == 403
    assert send(client, "POST", path, {}).status_code == 401
    response = send(client, "POST", path, {"agenda": [str(issue.pk)]}, headers=steward)
    assert response.status_code == 201
    assert response.json()["number"] == 1 and response.json()["agenda"] == [str(issue.pk)]
    response = send(client, "POST", path, headers=steward)  # no body: as it is
    assert response.status_code == 201 and response.json()["number"] == 2


def test_a_member_is_refused_before_the_correction_is_checked(world: World, client) -> None:
    advance_cycle(world.steward, world.forum)
    body = {"to": "call_for_issues", "reason": ""}
    member = bearer(world.member["government"])
    assert (
        send(client, "POST", "/forums/kenya-igf/phase-changes", body, headers=member).status_code
        == 403
    )
