"""Session pages: the live screening, the blind queue page, ranking, programme, feed, balance."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from commonground.meetings.models import Session
from commonground.meetings.services import advisory, reports
from tests.meetings.conftest import SPEAKERS, Programme, add_member, approve, slot

pytestmark = pytest.mark.django_db


def form_fields(programme: Programme, speakers: list[dict]) -> dict:
    data = {
        "title": "Community networks",
        "format": "workshop",
        "description": "Affordable access.",
        "issue_ids": [str(programme.issue.pk)],
        "policy_question": ["What licence?", "", ""],
        "moderator_name": "Dana",
        "rapporteur_name": "Rita",
    }
    for i, s in enumerate(speakers):
        data |= {
            f"speaker-{i}-name": s["name"],
            f"speaker-{i}-group": s["stakeholder_group"],
            f"speaker-{i}-gender": s["gender"],
            f"speaker-{i}-country": s["country"],
        }
        if s["confirmed"]:
            data[f"speaker-{i}-confirmed"] = "on"
    return data


def test_the_live_screen_names_the_failing_rule_and_then_passes(programme: Programme) -> None:
    client = programme.world.client_for(programme.world.member["civil_society"])
    url = f"/forums/{programme.forum.slug}/sessions/screen/"
    men = [{**s, "gender": "man"} for s in SPEAKERS]
    failing = client.get(url, form_fields(programme, men), HTTP_HX_REQUEST="true")
    assert failing.status_code == 200
    html = failing.content.decode()
    assert 'data-rule="speaker_gender_diversity" data-passed="false"' in html
    assert "The speakers are not all of one gender." in html
    passing = client.get(url, form_fields(programme, SPEAKERS)).content.decode()
    assert 'data-passed="false"' not in passing and "Passes every rule" in passing
    assert Session.objects.count() == 0  # nothing saved while typing


def test_the_propose_form_saves_and_shows_the_session(programme: Programme) -> None:
    client = programme.world.client_for(programme.world.member["civil_society"])
    page = client.get(f"/forums/{programme.forum.slug}/sessions/new/")
    assert page.status_code == 200 and b'id="screening"' in page.content
    response = client.post(
        f"/forums/{programme.forum.slug}/sessions/new/", form_fields(programme, SPEAKERS)
    )
    session = Session.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/sessions/{session.pk}/"
    assert session.speakers.count() == 3 and session.issues.get() == programme.issue
    detail = client.get(f"/sessions/{session.pk}/").content.decode()
    assert "Community networks" in detail and "Passes every rule" in detail


def test_the_queue_page_names_no_proposer(programme: Programme) -> None:
    proposer = add_member(
        programme.world, "zed.zebra@example.org", "civil_society", affiliation="Zebra Org"
    )
    proposer.display_name = "Zed Zebraproposer"
    proposer.save()
    programme.propose(proposer)
    programme.advance()
    page = programme.world.client_for(programme.world.member["government"]).get(
        f"/forums/{programme.forum.slug}/advisory-group/queue/"
    )
    html = page.content.decode()
    assert page.status_code == 200 and "Community networks for rural Kenya" in html
    assert "0 of 1 scored" in html
    assert "Zebra" not in html and proposer.public_id not in html
    outsider = programme.world.client_for(programme.world.member["internet_institution"])
    assert outsider.get(f"/forums/{programme.forum.slug}/advisory-group/queue/").status_code == 400


def test_scoring_from_the_queue_page_counts_in_the_progress(programme: Programme) -> None:
    session = programme.propose()
    programme.advance()
    client = programme.world.client_for(programme.world.member["government"])
    values = {"relevance": "4", "content": "5", "interaction": "4", "diversity": "4"}
    assert client.post(f"/sessions/{session.pk}/score/", values).status_code == 302
    page = client.get(f"/forums/{programme.forum.slug}/advisory-group/queue/").content.decode()
    assert "1 of 1 scored" in page


def test_the_advisory_group_page_shows_the_composition_chart(programme: Programme) -> None:
    html = (
        programme.world.client_for(None)
        .get(f"/forums/{programme.forum.slug}/advisory-group/")
        .content.decode()
    )
    assert 'role="img"' in html and "Advisory group seats by stakeholder group" in html
    assert "Governments hold 1 of 4 counted seats" in html
    steward = programme.world.client_for(programme.steward)
    ids = [u.public_id for u in programme.advisors]
    extra = [
        add_member(programme.world, f"g{i}@example.org", "government").public_id for i in range(2)
    ]
    refused = steward.post(
        f"/forums/{programme.forum.slug}/advisory-group/", {"members": "\n".join(ids + extra)}
    )
    assert refused.status_code == 400 and "government_share" in refused.content.decode()
    assert len(advisory.advisory_members(programme.forum)) == 5


def test_the_ranking_page_is_for_stewards(programme: Programme) -> None:
    programme.propose()
    programme.advance()
    url = f"/forums/{programme.forum.slug}/sessions/ranking/"
    assert programme.world.client_for(programme.steward).get(url).status_code == 200
    assert programme.world.client_for(programme.advisors[0]).get(url).status_code == 403


def _scheduled(programme: Programme) -> tuple[Session, Session]:
    a = programme.propose()
    b = programme.propose(
        programme.world.member["internet_institution"],
        title="Open data for climate",
        format="open_forum",
        speakers=[
            {**s, "name": s["name"] + " B", "stakeholder_group": "government"} for s in SPEAKERS[:2]
        ]
        + [{**SPEAKERS[2], "name": "Wei B"}],
    )
    programme.advance()
    approve(programme, a)
    approve(programme, b)
    programme.advance()
    a = slot(a, programme, "Room 1", -24 * 20)  # report overdue
    b = slot(b, programme, "Room 2", 24)
    return a, b


def test_the_programme_lists_by_day_and_room_with_filters_and_flags(programme: Programme) -> None:
    a, b = _scheduled(programme)
    client = programme.world.client_for(None)
    url = f"/forums/{programme.forum.slug}/programme/"
    html = client.get(url).content.decode()
    assert f'data-session="{a.pk}"' in html and f'data-session="{b.pk}"' in html
    assert "Room 1" in html and "Room 2" in html and "Report overdue" in html
    only_forums = client.get(url + "?format=open_forum").content.decode()
    assert f'data-session="{b.pk}"' in only_forums and f'data-session="{a.pk}"' not in only_forums
    governments = client.get(url + "?group=government").content.decode()
    assert f'data-session="{b.pk}"' in governments and f'data-session="{a.pk}"' not in governments
    reports.file_report(programme.world.member["civil_society"], a, {"key_takeaways": ["One."]})
    assert "Report filed late" in client.get(url).content.decode()


def test_the_ical_feed_parses_with_one_event_per_scheduled_session(programme: Programme) -> None:
    a, b = _scheduled(programme)
    response = programme.world.client_for(None).get(f"/forums/{programme.forum.slug}/programme.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {a.title, b.title}
    event = events[b.title]
    assert event.decoded("dtstart") == b.starts_at
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=60)
    assert str(event["location"]) == "Room 2"
    assert str(event["uid"]).startswith(f"session-{b.pk}@")


def test_the_balance_dashboard_counts_speakers_and_flags_uncovered_issues(
    programme: Programme,
) -> None:
    _scheduled(programme)
    html = (
        programme.world.client_for(None)
        .get(f"/forums/{programme.forum.slug}/programme/balance/")
        .content.decode()
    )
    assert "6 speakers in 2 selected sessions." in html
    assert "Speakers by gender" in html and "Sessions per agenda issue" in html
    assert "Agenda issues with no session" not in html  # the one issue has sessions
    assert timezone.now()
