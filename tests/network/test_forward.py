"""Forwarding an agenda issue up the tree: the record, its refusals, notifications, ledger."""

from __future__ import annotations

import pytest

from commonground.core.errors import Conflict, InvalidInput, NotAllowed, WrongPhase
from commonground.forums.models import Forum
from commonground.forums.services import advance_cycle, create_forum, open_cycle
from commonground.issues.models import Issue
from commonground.issues.services import support_issue
from commonground.ledger.models import LedgerEntry
from commonground.network.models import Forward
from commonground.network.services import forward_issue
from commonground.notifications.models import Notification
from commonground.participants.models import Membership
from tests.api.conftest import send
from tests.network.conftest import Network


def test_forward_creates_an_issue_in_the_target_with_frozen_provenance(network: Network) -> None:
    forward = forward_issue(network.world.steward, network.on_agenda, network.africa)
    new = Issue.objects.get(pk=forward.target_issue_id)
    assert new.forum == network.africa
    assert new.cycle == network.africa.open_cycle
    assert new.title == network.on_agenda.title
    assert {t.slug for t in new.topics.all()} == {"sdg-9", "access"}
    entry = network.publication.entries[0]
    assert forward.agenda_rank == 1
    assert forward.publication_number == network.publication.number
    assert forward.balanced_support == entry["balanced_support"]
    assert forward.breadth == 3
    assert forward.supports_by_group["civil_society"] == 1
    assert forward.supports_by_group["private_sector"] == 0
    assert forward.source_forum == "kenya-igf" and forward.source_region == "african"
    # Recognition stays local: the target's issue starts with no supports of its own.
    assert new.support_count == 0


def test_provenance_stays_frozen_when_the_source_changes_later(network: Network) -> None:
    forward = forward_issue(network.world.steward, network.on_agenda, network.africa)
    frozen = forward.payload()
    Issue.objects.filter(pk=network.on_agenda.pk).update(title="Renamed", supports_government=9)
    forward.refresh_from_db()
    assert forward.payload() == frozen
    assert forward.title == "Affordable rural connectivity"


def test_a_member_who_is_not_a_steward_cannot_forward(network: Network) -> None:
    with pytest.raises(NotAllowed):
        forward_issue(network.world.member["government"], network.on_agenda, network.africa)
    assert not Forward.objects.exists()


def test_an_issue_off_the_published_agenda_is_refused(network: Network) -> None:
    with pytest.raises(Conflict, match="not on it"):
        forward_issue(network.world.steward, network.off_agenda, network.africa)


def test_forwarding_twice_to_the_same_forum_names_the_existing_issue(network: Network) -> None:
    first = forward_issue(network.world.steward, network.on_agenda, network.africa)
    with pytest.raises(Conflict, match=f"issue {first.target_issue_id} there"):
        forward_issue(network.world.steward, network.on_agenda, network.africa)
    # The same issue may still go to the global forum: a different target.
    second = forward_issue(network.world.steward, network.on_agenda, network.igf)
    assert second.target_forum == network.igf
    assert Forward.objects.count() == 2


def test_a_target_that_is_not_an_ancestor_is_refused(network: Network) -> None:
    sibling = create_forum(None, slug="nigeria-igf", name="Nigeria IGF", level="national",
                           parent="africa-igf", country="NG")  # fmt: skip
    open_cycle(None, sibling, "2027")
    with pytest.raises(InvalidInput, match="not above"):
        forward_issue(network.world.steward, network.on_agenda, sibling)
    with pytest.raises(InvalidInput):
        forward_issue(network.world.steward, network.on_agenda, network.kenya)


def test_a_target_past_agenda_setting_or_closed_is_refused(network: Network) -> None:
    advance_cycle(None, network.africa)  # agenda setting: still takes forwards
    forward_issue(network.world.steward, network.on_agenda, network.africa)
    advance_cycle(None, network.igf)
    advance_cycle(None, network.igf)  # call for sessions: one phase past
    with pytest.raises(WrongPhase):
        forward_issue(network.world.steward, network.on_agenda, network.igf)
    Forum.objects.get(slug="igf").cycles.update(is_open=False)
    with pytest.raises(WrongPhase, match="no open cycle"):
        forward_issue(network.world.steward, network.on_agenda, network.igf)


def test_target_stewards_and_source_followers_are_told_and_the_ledger_records_it(
    network: Network,
) -> None:
    forward = forward_issue(network.world.steward, network.on_agenda, network.africa)
    steward = Membership.objects.get(forum=network.africa, user=network.africa_steward)
    assert Notification.objects.filter(recipient=steward, issue_id=forward.target_issue_id,
                                       kind="forward").exists()  # fmt: skip
    author = network.world.membership["civil_society"]
    assert Notification.objects.filter(recipient=author, issue=network.on_agenda).exists()
    entry = LedgerEntry.objects.get(action="issue.forward")
    assert entry.forum == "kenya-igf"
    assert entry.fields["to"] == "africa-igf"
    assert entry.fields["issue_id"] == forward.target_issue_id
    assert entry.fields["figures"]["agenda_rank"] == 1


def test_supports_in_the_target_count_only_there(network: Network) -> None:
    forward = forward_issue(network.world.steward, network.on_agenda, network.africa)
    new = Issue.objects.get(pk=forward.target_issue_id)
    support_issue(network.africa_steward, new)
    new.refresh_from_db()
    assert new.support_count == 1
    network.on_agenda.refresh_from_db()
    assert network.on_agenda.support_count == 3


# ---------------------------------------------------------------- the API


def test_api_forward_answers_201_then_409_and_the_detail_shows_both_ends(network: Network) -> None:
    client = network.world.client_for(network.world.steward)
    path = f"/issues/{network.on_agenda.pk}/forward"
    response = send(client, "post", path, {"to": "africa-igf"})
    assert response.status_code == 201, response.content
    new_id = response.json()["issue_id"]
    assert response.json()["provenance"]["agenda_rank"] == 1
    again = send(client, "post", path, {"to": "africa-igf"})
    assert again.status_code == 409 and str(new_id) in again.json()["detail"]
    detail = send(client, "get", f"/issues/{new_id}").json()
    assert detail["provenance"][0]["forum"] == "kenya-igf"
    assert detail["provenance"][0]["issue_id"] == network.on_agenda.pk
    assert detail["provenance"][0]["supports_by_group"]["government"] == 1
    assert detail["merged_into"] is None
    source = send(client, "get", f"/issues/{network.on_agenda.pk}").json()
    assert source["forwarded_to"] == [{"forum": "africa-igf", "issue_id": new_id}]
    assert source["provenance"] == []


@pytest.mark.parametrize(
    ("who", "target", "status"),
    [("member", "africa-igf", 403), ("steward", "kenya-igf", 400), ("steward", "nowhere", 404),
     ("anonymous", "africa-igf", 401)],
)  # fmt: skip
def test_api_forward_refusals(network: Network, who: str, target: str, status: int) -> None:
    user = {"member": network.world.member["government"], "steward": network.world.steward,
            "anonymous": None}[who]  # fmt: skip
    client = network.world.client_for(user)
    response = send(client, "post", f"/issues/{network.on_agenda.pk}/forward", {"to": target})
    assert response.status_code == status, response.content
    assert response.json()["detail"]
    assert not Forward.objects.exists()
    assert Issue.objects.count() == 2


def test_api_forward_of_an_issue_off_the_agenda_is_409(network: Network) -> None:
    client = network.world.client_for(network.world.steward)
    response = send(client, "post", f"/issues/{network.off_agenda.pk}/forward", {"to": "igf"})
    assert response.status_code == 409
    assert "latest published agenda" in response.json()["detail"]
