"""Merging B into A: supports move once, recognition follows, B redirects, the ledger knows."""

from __future__ import annotations

import pytest

from commonground.contributions.models import Comment
from commonground.contributions.services import add_comment
from commonground.core.errors import Conflict, InvalidInput, NotAllowed, WrongPhase
from commonground.forums.models import Forum
from commonground.forums.services import advance_cycle, create_forum, join_forum, open_cycle
from commonground.issues.models import Issue, Support
from commonground.issues.services import raise_issue, support_issue
from commonground.ledger.models import LedgerEntry
from commonground.network.merge import merge_issues
from commonground.network.models import Forward
from commonground.network.services import forward_issue
from commonground.recognition.services import check_tallies, live_agenda
from tests.api.conftest import send
from tests.conftest import World
from tests.network.conftest import Network


def _pair(world: World) -> tuple[Issue, Issue]:
    a = raise_issue(world.member["civil_society"], world.forum, title="Rural broadband costs",
                    description="Connectivity is too expensive in villages.")  # fmt: skip
    b = raise_issue(world.member["government"], world.forum, title="Coût de la connexion rurale",
                    description="La connexion coûte trop cher dans les villages.",
                    language="fr")  # fmt: skip
    return a, b


def test_supports_move_once_and_a_member_who_supported_both_keeps_one(world: World) -> None:
    a, b = _pair(world)
    for group in ("civil_society", "government"):
        support_issue(world.member[group], a)
    for group in ("government", "academic_technical", "private_sector"):
        support_issue(world.member[group], b)
    merge = merge_issues(world.steward, b, a)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (merge.supports_moved, merge.supports_deduplicated) == (2, 1)
    assert a.support_count == 4  # 2 + 3 supporters, one of whom supported both
    assert Support.objects.filter(issue=a).count() == 4
    assert b.support_count == 0 and not Support.objects.filter(issue=b).exists()
    assert a.supports_by_group["government"] == 1
    assert b.merged_into_id == a.pk
    assert check_tallies(world.cycle) == []


def test_recognition_follows_the_merge(world: World) -> None:
    Forum.objects.filter(pk=world.forum.pk).update(min_supporters=1)
    a, b = _pair(world)
    support_issue(world.member["civil_society"], a)
    support_issue(world.member["government"], a)
    support_issue(world.member["academic_technical"], b)
    world.cycle.forum.refresh_from_db()
    agenda = live_agenda(world.cycle)
    assert a.pk not in [agenda.result.issue_ids[i] for i in agenda.result.agenda]
    merge_issues(world.steward, b, a)
    agenda = live_agenda(world.cycle)
    assert [agenda.result.issue_ids[i] for i in agenda.result.agenda] == [a.pk]


def test_comments_topics_and_provenance_move_and_the_ledger_names_both(network: Network) -> None:
    africa = network.africa
    forward = forward_issue(network.world.steward, network.on_agenda, africa)
    b = Issue.objects.get(pk=forward.target_issue_id)
    a = raise_issue(network.africa_steward, africa, title="Connectivity costs",
                    description="Too expensive.", topics=["infrastructure"])  # fmt: skip
    add_comment(network.africa_steward, issue=b, body="Same as the Nigerian one.")
    merge_issues(network.africa_steward, b, a)
    assert Forward.objects.get().target_issue_id == a.pk
    assert Comment.objects.get().issue_id == a.pk
    assert {t.slug for t in a.topics.all()} == {"infrastructure", "sdg-9", "access"}
    entry = LedgerEntry.objects.get(action="issue.merge")
    assert (entry.fields["issue"], entry.fields["into"]) == (b.pk, a.pk)
    assert entry.forum == "africa-igf"


def test_merging_across_forums_is_refused(network: Network) -> None:
    forward = forward_issue(network.world.steward, network.on_agenda, network.africa)
    with pytest.raises(InvalidInput, match="different forums"):
        merge_issues(
            network.world.steward, network.on_agenda, Issue.objects.get(pk=forward.target_issue_id)
        )


def test_only_a_steward_merges_and_not_twice_nor_into_itself(world: World) -> None:
    a, b = _pair(world)
    with pytest.raises(NotAllowed):
        merge_issues(world.member["government"], b, a)
    with pytest.raises(InvalidInput):
        merge_issues(world.steward, a, a)
    merge_issues(world.steward, b, a)
    with pytest.raises(Conflict, match="merged into"):
        merge_issues(world.steward, b, a)
    with pytest.raises(Conflict):
        merge_issues(world.steward, a, b)


def test_a_merged_issue_takes_no_support(world: World) -> None:
    a, b = _pair(world)
    merge_issues(world.steward, b, a)
    with pytest.raises(Conflict, match=f"merged into issue {a.pk}"):
        support_issue(world.member["private_sector"], b)


def test_merging_after_agenda_setting_is_refused(world: World) -> None:
    a, b = _pair(world)
    advance_cycle(None, world.forum)
    merge_issues(world.steward, b, a)  # agenda setting: still allowed
    c = Issue.objects.create(cycle=world.cycle, forum=world.forum, author=a.author,
                             title="c", description="c", description_html="c")  # fmt: skip
    advance_cycle(None, world.forum)  # call for sessions
    with pytest.raises(WrongPhase):
        merge_issues(world.steward, c, a)


def test_merged_issue_page_redirects_to_the_one_it_was_merged_into(world: World, anonymous) -> None:
    a, b = _pair(world)
    merge_issues(world.steward, b, a)
    response = anonymous.get(f"/issues/{b.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/issues/{a.pk}/?merged_from={b.pk}"
    assert anonymous.get(f"/issues/{b.pk}/?stay=1").status_code == 200


def test_api_merge_and_its_refusals(world: World) -> None:
    a, b = _pair(world)
    support_issue(world.member["government"], a)
    support_issue(world.member["government"], b)
    member = world.client_for(world.member["government"])
    assert send(member, "post", f"/issues/{b.pk}/merge", {"into": a.pk}).status_code == 403
    other = create_forum(None, slug="uganda-igf", name="Uganda IGF", level="national",
                         parent="africa-igf", country="UG")  # fmt: skip
    open_cycle(None, other, "2027")
    join_forum(world.steward, other, stakeholder_group="civil_society", country="UG")
    elsewhere = raise_issue(world.steward, other, title="Elsewhere", description="Other forum.")
    steward = world.client_for(world.steward)
    refused = send(steward, "post", f"/issues/{b.pk}/merge", {"into": elsewhere.pk})
    assert refused.status_code == 400 and "different forums" in refused.json()["detail"]
    response = send(steward, "post", f"/issues/{b.pk}/merge", {"into": a.pk})
    assert response.status_code == 200, response.content
    assert response.json() == {"issue": b.pk, "merged_into": a.pk, "supports_moved": 0,
                               "supports_deduplicated": 1, "support_count": 1}  # fmt: skip
    assert send(steward, "post", f"/issues/{b.pk}/merge", {"into": a.pk}).status_code == 409
    assert send(steward, "get", f"/issues/{b.pk}").json()["merged_into"] == a.pk
