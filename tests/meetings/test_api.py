"""The session routes (issue 13's API contract): status codes, fields, the blind queue."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from commonground.ledger.models import LedgerEntry
from commonground.meetings.models import Session
from commonground.participants.models import User
from tests.api.conftest import bearer, send
from tests.meetings.conftest import SPEAKERS, Programme, add_member, approve, proposal

pytestmark = pytest.mark.django_db
SCORE = {"relevance": 4, "content": 4, "interaction": 5, "diversity": 4}


def call(user: User | None, method: str, path: str, body: Any = None) -> Any:
    return send(Client(), method, path, body, headers=bearer(user) if user else None)


def test_propose_answers_201_with_status_and_screening(programme: Programme) -> None:
    proposer = programme.world.member["civil_society"]
    body = proposal(issue_ids=[programme.issue.pk])
    response = call(proposer, "POST", f"/forums/{programme.forum.slug}/sessions", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "submitted"
    assert data["screening"] == {"passed": True, "failures": []}
    assert data["proposer"] == proposer.public_id  # the proposer sees themselves
    assert LedgerEntry.objects.filter(action="session.propose", object_id=str(data["id"])).exists()
    men = [{**s, "gender": "man"} for s in SPEAKERS]
    response = call(
        proposer, "POST", f"/forums/{programme.forum.slug}/sessions", {**body, "speakers": men}
    )
    assert response.json()["screening"] == {
        "passed": False,
        "failures": ["speaker_gender_diversity"],
    }


def test_patch_fixes_a_failing_screen_and_delete_withdraws(programme: Programme) -> None:
    proposer = programme.world.member["civil_society"]
    session = programme.propose(speakers=SPEAKERS[:2])
    path = f"/sessions/{session.pk}"
    assert call(proposer, "GET", path + "/screening").json()["failures"] == [
        "min_confirmed_speakers"
    ]
    response = call(proposer, "PATCH", path, {"speakers": SPEAKERS})
    assert response.status_code == 200 and response.json()["screening"]["passed"]
    assert (
        call(programme.world.member["private_sector"], "PATCH", path, {"title": "x"}).status_code
        == 403
    )
    assert call(proposer, "DELETE", path).status_code == 204
    assert Session.objects.get(pk=session.pk).status == "withdrawn"
    # What was deleted is not found afterwards, on any of the session's routes.
    for method, sub in (("GET", ""), ("GET", "/screening"), ("PATCH", ""), ("DELETE", "")):
        body = {"title": "x"} if method == "PATCH" else None
        assert call(proposer, method, path + sub, body).status_code == 404, (method, sub)


def test_bad_proposals_are_4xx_and_change_nothing(programme: Programme) -> None:
    proposer = programme.world.member["civil_society"]
    url = f"/forums/{programme.forum.slug}/sessions"
    before = Session.objects.count()
    assert call(proposer, "POST", url, {"format": "keynote"}).status_code == 422
    # Well-formed ids that the forum's state does not hold: a conflict, not bad shape.
    assert call(proposer, "POST", url, {"issue_ids": [999999]}).status_code == 409
    assert call(proposer, "POST", url, {"title": "a\x00b"}).status_code == 422
    assert call(None, "POST", url, {"title": "x"}).status_code == 401
    assert call(programme.world.outsider, "POST", url, {"title": "x"}).status_code == 403
    assert Session.objects.count() == before


def test_a_speaker_linked_by_participant_id_must_be_a_member_of_the_forum(
    programme: Programme,
) -> None:
    proposer = programme.world.member["civil_society"]
    url = f"/forums/{programme.forum.slug}/sessions"
    before = Session.objects.count()
    outsider = {**SPEAKERS[0], "participant_id": programme.world.outsider.public_id}
    response = call(proposer, "POST", url, proposal(speakers=[outsider, *SPEAKERS[1:]]))
    assert response.status_code == 409 and "no member" in response.json()["detail"]
    assert Session.objects.count() == before
    member = {**SPEAKERS[0], "participant_id": programme.world.member["government"].public_id}
    response = call(proposer, "POST", url, proposal(speakers=[member, *SPEAKERS[1:]]))
    assert response.status_code == 201, response.content
    assert Session.objects.count() == before + 1


def test_the_list_hides_the_proposer_while_evaluation_is_blind(programme: Programme) -> None:
    session = programme.propose()
    url = f"/forums/{programme.forum.slug}/sessions"
    (row,) = call(None, "GET", url).json()
    assert row["id"] == session.pk and row["proposer"] is None
    (row,) = call(programme.steward, "GET", url).json()
    assert row["proposer"] == programme.world.member["civil_society"].public_id


def test_advisory_group_put_refuses_a_broken_composition_naming_rule_and_counts(
    programme: Programme,
) -> None:
    url = f"/forums/{programme.forum.slug}/advisory-group"
    governments = [
        add_member(programme.world, f"gov{i}@example.org", "government") for i in range(2)
    ]
    members = [u.public_id for u in programme.advisors + governments]
    response = call(programme.steward, "PUT", url, {"members": members})
    assert response.status_code == 400
    assert "government_share" in response.json()["detail"]
    assert "3 of 6" in response.json()["detail"]
    data = call(None, "GET", url).json()
    assert len(data["members"]) == 5
    assert data["seats_by_group"] == {
        "government": 1, "intergovernmental": 1, "internet_institution": 0,
        "private_sector": 1, "civil_society": 1, "academic_technical": 1,
    }  # fmt: skip
    assert (
        call(programme.world.member["government"], "PUT", url, {"members": []}).status_code == 403
    )
    ok = call(programme.steward, "PUT", url, {"members": members[:4]})
    assert ok.status_code == 200 and len(ok.json()["members"]) == 4


def test_the_blind_queue_names_no_proposer_and_leaves_out_conflicts(programme: Programme) -> None:
    proposer = add_member(
        programme.world, "nadia.named@example.org", "civil_society", affiliation="Unique Org Ltd"
    )
    proposer.display_name = "Nadia Namedproposer"
    proposer.save()
    first = programme.propose(proposer)
    second = programme.propose(programme.world.member["civil_society"], title="Second")
    programme.advance()
    advisor = programme.world.member["government"]
    url = f"/advisory/queue?forum={programme.forum.slug}"
    response = call(advisor, "GET", url)
    assert response.status_code == 200
    payload = response.text
    assert [row["id"] for row in response.json()] == [first.pk, second.pk]
    for row in response.json():
        assert not {"proposer", "proposer_name", "organisation", "affiliation"} & set(row)
    assert proposer.public_id not in payload
    assert "Nadia" not in payload and "Unique Org" not in payload
    assert call(advisor, "POST", f"/sessions/{second.pk}/conflict").status_code == 201
    assert [row["id"] for row in call(advisor, "GET", url).json()] == [first.pk]
    assert call(programme.world.member["internet_institution"], "GET", url).status_code == 403


def test_scores_answer_201_then_200_and_403_for_anyone_else(programme: Programme) -> None:
    session = programme.propose()
    programme.advance()
    url = f"/sessions/{session.pk}/scores"
    advisor = programme.world.member["government"]
    assert call(advisor, "POST", url, SCORE).status_code == 201
    changed = call(advisor, "POST", url, {**SCORE, "content": 5})
    assert changed.status_code == 200 and changed.json()["content"] == 5
    low = call(advisor, "POST", url, {**SCORE, "content": 2})
    assert low.status_code == 400 and "reason code" in low.json()["detail"]
    for user in (programme.world.member["internet_institution"], programme.steward):
        assert call(user, "POST", url, SCORE).status_code == 403
    assert call(advisor, "POST", url, {**SCORE, "content": 6}).status_code == 422


def test_ranking_decision_schedule_report_and_detail(programme: Programme) -> None:
    session = programme.propose()
    programme.advance()
    slug = programme.forum.slug
    call(programme.world.member["government"], "POST", f"/sessions/{session.pk}/scores", SCORE)
    ranking = call(programme.steward, "GET", f"/forums/{slug}/sessions/ranking")
    assert ranking.status_code == 200
    assert ranking.json()[0] | {"title": ""} == {
        "id": session.pk, "title": "", "mean_score": 4.25, "scores": 1, "spread": 0.0,
        "suggested_merge_with": [], "decision": "",
    }  # fmt: skip
    assert call(programme.advisors[0], "GET", f"/forums/{slug}/sessions/ranking").status_code == 403
    decided = call(
        programme.steward,
        "POST",
        f"/sessions/{session.pk}/decision",
        {"decision": "approved", "merge_with": None, "reason": "Well balanced."},
    )
    assert decided.status_code == 200 and decided.json()["decision"]["decision"] == "approved"
    published = call(programme.steward, "POST", f"/forums/{slug}/sessions/selection")
    assert published.status_code == 201 and published.json()["number"] == 1
    programme.advance()  # forum
    start = (timezone.now() - timedelta(hours=2)).replace(microsecond=0)
    body = {"room": "Room A", "starts_at": start.isoformat(), "duration_minutes": 60}
    scheduled = call(programme.steward, "POST", f"/sessions/{session.pk}/schedule", body)
    assert scheduled.status_code == 200, scheduled.content
    report = {
        "key_takeaways": ["Licensing is the bottleneck."],
        "calls_to_action": ["Regulators: open a community licence."],
        "attendance": {"onsite": 30, "online": 12, "women_share": 0.5},
    }
    proposer = programme.world.member["civil_society"]
    filed = call(proposer, "POST", f"/sessions/{session.pk}/report", report)
    assert filed.status_code == 201 and filed.json()["late"] is False
    detail = call(None, "GET", f"/sessions/{session.pk}").json()
    assert detail["schedule"]["room"] == "Room A"
    assert detail["report"]["attendance"] == {"onsite": 30, "online": 12, "women_share": 0.5}
    assert detail["proposer"] == proposer.public_id  # no longer blind


def test_a_clashing_slot_is_409_naming_the_clash(programme: Programme) -> None:
    a = programme.propose()
    b = programme.propose(programme.world.member["internet_institution"], title="Other")
    programme.advance()
    approve(programme, a)
    approve(programme, b)
    programme.advance()
    start = (timezone.now() + timedelta(days=1)).replace(microsecond=0).isoformat()
    body = {"room": "Room A", "starts_at": start, "duration_minutes": 60}
    assert call(programme.steward, "POST", f"/sessions/{a.pk}/schedule", body).status_code == 200
    clash = call(programme.steward, "POST", f"/sessions/{b.pk}/schedule", body)
    assert clash.status_code == 409 and "Room clash" in clash.json()["detail"]
    number = {**body, "starts_at": 0}  # not seconds since 1970: the schema says a text
    assert call(programme.steward, "POST", f"/sessions/{b.pk}/schedule", number).status_code == 422
    naive = {**body, "starts_at": start[:19]}
    assert call(programme.steward, "POST", f"/sessions/{b.pk}/schedule", naive).status_code == 400
    assert json.loads(call(None, "GET", f"/sessions/{b.pk}").content)["schedule"] is None
