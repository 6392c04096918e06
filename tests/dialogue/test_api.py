"""The dialogue API: conversations, statements, votes, next statement, moderation and the
opinion map, with every refusal (anonymous 401, outsider and plain member 403, missing
404, closed 409, bad input 400/422) leaving the dialogue tables and the ledger unchanged."""

from __future__ import annotations

from typing import Any

from django.test import Client

from commonground.dialogue import services
from commonground.dialogue.models import Conversation, OpinionSnapshot, Statement, Vote
from commonground.issues.models import Issue
from commonground.ledger.models import LedgerEntry
from commonground.participants.models import User
from tests.api.conftest import bearer, send
from tests.conftest import World
from tests.security.test_state_changing_urls import snapshot as database_state


def dialogue_state() -> tuple[Any, ...]:
    """Everything a dialogue write could change (API token bookkeeping aside)."""
    return (
        list(Conversation.objects.order_by("pk").values_list("pk", "topic", "is_open")),
        list(Statement.objects.order_by("pk").values_list("pk", "text", "status")),
        list(Vote.objects.order_by("pk").values_list("pk", "value", "updated_at")),
        OpinionSnapshot.objects.count(),
        LedgerEntry.objects.count(),
    )


def call(user: User | None, method: str, path: str, body: Any = None) -> Any:
    headers = bearer(user) if user is not None else None
    return send(Client(), method, path, body, headers=headers)


def refused(user: User | None, method: str, path: str, body: Any, status: int) -> dict:
    """Send a request that must be refused with ``status`` and change nothing."""
    headers = bearer(user) if user is not None else None  # made before the state is taken
    before = dialogue_state()
    response = send(Client(), method, path, body, headers=headers)
    assert response.status_code == status, response.content
    assert dialogue_state() == before
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail
    return response.json()


# -- conversations ----------------------------------------------------------------------------


def test_anyone_reads_the_conversations_of_an_issue(
    world: World, issue: Issue, conversation: Conversation, statements: list[Statement]
) -> None:
    listing = call(None, "GET", f"/issues/{issue.pk}/conversations")
    assert listing.status_code == 200
    assert [c["id"] for c in listing.json()] == [conversation.pk]
    one = call(None, "GET", f"/conversations/{conversation.pk}").json()
    assert one["topic"] == "Platform accountability"
    assert one["forum"] == world.forum.slug and one["issue"] == issue.pk
    assert one["moderation"] == "open" and one["is_open"] and one["statements"] == 8
    assert call(None, "GET", "/issues/99999/conversations").status_code == 404
    assert call(None, "GET", "/conversations/99999").status_code == 404
    assert call(None, "GET", "/conversations/0").status_code == 422
    bad_token = send(
        Client(), "GET", "/issues/1/conversations", headers={"HTTP_AUTHORIZATION": "Bearer x"}
    )
    assert bad_token.status_code == 401


def test_only_a_steward_or_the_issue_author_opens_a_conversation(
    world: World, issue: Issue
) -> None:
    path = f"/issues/{issue.pk}/conversations"
    body = {"topic": "Accountability", "moderation": "open"}
    refused(None, "POST", path, body, 401)
    refused(world.outsider, "POST", path, body, 403)
    refused(world.member["government"], "POST", path, body, 403)
    refused(world.steward, "POST", "/issues/99999/conversations", body, 404)
    refused(world.steward, "POST", path, {"topic": "x", "moderation": "loose"}, 422)
    refused(world.steward, "POST", path, {"topic": "x", "author": "me"}, 422)
    refused(world.steward, "POST", path, {"topic": "   "}, 422)  # the schema says non-blank
    by_author = call(world.member["civil_society"], "POST", path, body)
    assert by_author.status_code == 201
    created = Conversation.objects.get(pk=by_author.json()["id"])
    assert created.created_by == world.membership["civil_society"]
    assert created.moderation == "open"
    by_steward = call(world.steward, "POST", path, {"topic": "Steward's"})
    assert by_steward.status_code == 201 and by_steward.json()["moderation"] == "strict"
    assert LedgerEntry.objects.filter(action="conversation.open").count() == 2


def test_a_session_write_without_its_csrf_token_is_refused(world: World, issue: Issue) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.steward)
    before = dialogue_state()
    response = send(client, "POST", f"/issues/{issue.pk}/conversations", {"topic": "No token"})
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert dialogue_state() == before


# -- statements and moderation ----------------------------------------------------------------


def test_members_add_statements_and_pending_ones_are_shown_to_stewards_and_authors(
    world: World, issue: Issue
) -> None:
    conversation = services.open_conversation(world.steward, issue, topic="Strict one")
    path = f"/conversations/{conversation.pk}/statements"
    body = {"text": "Fines should   scale with turnover."}
    refused(None, "POST", path, body, 401)
    refused(world.outsider, "POST", path, body, 403)
    refused(world.member["government"], "POST", "/conversations/99999/statements", body, 404)
    # The schema states the 280-character limit and that the text is not blank (11.17).
    refused(world.member["government"], "POST", path, {"text": "x" * 281}, 422)
    refused(world.member["government"], "POST", path, {"text": "   "}, 422)
    refused(world.member["government"], "POST", path, {"text": 5}, 422)
    added = call(world.member["government"], "POST", path, body)
    assert added.status_code == 201
    out = added.json()
    assert out["text"] == "Fines should scale with turnover."
    assert out["status"] == "pending" and out["mine"]
    assert out["author"]["id"] == world.member["government"].public_id
    refused(world.member["private_sector"], "POST", path, body, 409)  # duplicate

    assert call(None, "GET", path).json() == []
    assert call(world.member["private_sector"], "GET", path).json() == []
    (own,) = call(world.member["government"], "GET", path).json()
    assert own["status"] == "pending" and own["mine"]
    (queued,) = call(world.steward, "GET", path).json()
    assert queued["author"]["stakeholder_group"] == "government" and not queued["mine"]

    services.moderate_statement(world.steward, Statement.objects.get(pk=out["id"]), "accepted")
    (public,) = call(None, "GET", path).json()
    assert public["status"] == "accepted" and public["author"] is None and not public["mine"]


def test_only_a_steward_moderates_a_statement(world: World, issue: Issue) -> None:
    conversation = services.open_conversation(world.steward, issue, topic="Strict one")
    statement = services.add_statement(world.member["government"], conversation, "Hold them.")
    path = f"/conversations/{conversation.pk}/statements/{statement.pk}/moderation"
    accept = {"decision": "accepted"}
    refused(None, "POST", path, accept, 401)
    refused(world.outsider, "POST", path, accept, 403)
    refused(world.member["government"], "POST", path, accept, 403)
    refused(world.steward, "POST", path, {"decision": "maybe"}, 422)
    other = services.open_conversation(world.steward, issue, topic="Another")
    wrong = f"/conversations/{other.pk}/statements/{statement.pk}/moderation"
    refused(world.steward, "POST", wrong, accept, 404)
    response = call(world.steward, "POST", path, accept)
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    statement.refresh_from_db()
    assert statement.status == Statement.Status.ACCEPTED
    rejected = call(world.steward, "POST", path, {"decision": "rejected"})
    assert rejected.json()["status"] == "rejected"
    assert LedgerEntry.objects.filter(action="statement.moderate").count() == 2


# -- votes and routing ------------------------------------------------------------------------


def test_members_vote_and_the_last_vote_counts(
    world: World, statements: list[Statement], issue: Issue
) -> None:
    conversation_id = statements[0].conversation_id
    path = f"/conversations/{conversation_id}/votes"
    body = {"statement": statements[0].pk, "vote": 1}
    refused(None, "POST", path, body, 401)
    refused(world.outsider, "POST", path, body, 403)
    refused(world.member["government"], "POST", path, {"statement": 99999, "vote": 1}, 404)
    refused(world.member["government"], "POST", path, {"statement": statements[0].pk}, 422)
    refused(world.member["government"], "POST", path, {**body, "vote": 2}, 422)
    refused(world.member["government"], "POST", path, {**body, "vote": "agree"}, 422)
    refused(world.member["government"], "POST", path, {**body, "vote": True}, 422)
    refused(
        world.member["government"], "POST", path, {**body, "statement": str(body["statement"])}, 422
    )
    first = call(world.member["government"], "POST", path, body)
    assert first.status_code == 201
    assert first.json()["statement"] == statements[0].pk and first.json()["vote"] == 1
    # "12" is not the whole number 12, 12.5 is not one, and 12.0 is 12 (JSON Schema's
    # integer, the one the OpenAPI document states: issues 11.17 and 11.18).
    refused(world.member["government"], "POST", path, {**body, "vote": -0.5}, 422)
    as_float = {**body, "statement": float(statements[0].pk), "vote": -1.0}
    assert call(world.member["government"], "POST", path, as_float).status_code == 200
    assert Vote.objects.get(statement=statements[0]).value == -1
    again = call(world.member["government"], "POST", path, {**body, "vote": -1})
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Vote.objects.get(statement=statements[0]).value == -1

    strict = services.open_conversation(world.steward, issue, topic="Strict one")
    pending = services.add_statement(world.member["government"], strict, "Not yet accepted.")
    pending_body = {"statement": pending.pk, "vote": 1}
    refused(world.member["private_sector"], "POST", f"/conversations/{strict.pk}/votes",
            pending_body, 409)  # fmt: skip
    Conversation.objects.filter(pk=conversation_id).update(is_open=False)
    refused(world.member["private_sector"], "POST", path, body, 409)


def test_next_statement_walks_the_member_through_every_statement(
    world: World, statements: list[Statement]
) -> None:
    conversation_id = statements[0].conversation_id
    path = f"/conversations/{conversation_id}/next"
    member = world.member["academic_technical"]
    headers = bearer(member)
    seen: set[int] = set()
    for n in range(len(statements)):
        out = send(Client(), "GET", path, headers=headers).json()
        assert out["voted"] == n and out["total"] == 8
        # The same statement until the member votes.
        assert send(Client(), "GET", path, headers=headers).json() == out
        shown = out["statement"]["id"]
        assert shown not in seen
        seen.add(shown)
        vote = {"statement": shown, "vote": 0}
        response = send(Client(), "POST", f"/conversations/{conversation_id}/votes", vote,
                        headers=headers)  # fmt: skip
        assert response.status_code == 201
    done = send(Client(), "GET", path, headers=headers).json()
    assert done == {"statement": None, "voted": 8, "total": 8}
    assert seen == {s.pk for s in statements}
    anonymous = call(None, "GET", path).json()
    assert anonymous["voted"] == 0 and anonymous["statement"]["id"] in seen
    assert call(None, "GET", "/conversations/99999/next").status_code == 404


# -- the opinion map --------------------------------------------------------------------------


def _two_camps(world: World, statements: list[Statement], capture: Any) -> None:
    with capture(execute=True):
        for i, user in enumerate(world.member.values()):
            for j, statement in enumerate(statements):
                services.cast_vote(user, statement, 1 if (i < 3) == (j < 4) else -1)


def test_opinion_map_json_has_the_cli_fields_and_the_stakeholder_views(
    world: World, statements: list[Statement], django_capture_on_commit_callbacks
) -> None:
    conversation_id = statements[0].conversation_id
    path = f"/conversations/{conversation_id}/opinion-map"
    assert "nobody has voted" in call(None, "GET", path).json()["detail"]
    _two_camps(world, statements, django_capture_on_commit_callbacks)
    snapshot = OpinionSnapshot.objects.first()
    assert snapshot is not None
    before = database_state()
    response = call(None, "GET", path)
    assert response.status_code == 200
    out = response.json()
    assert database_state() == before
    for field in ("participants", "statements", "votes", "in_conversation", "k", "groups",
                  "consensus", "statements_stats", "computed_at", "cross_table"):  # fmt: skip
        assert field in out, field
    assert (out["participants"], out["statements"], out["votes"]) == (6, 8, 48)
    assert out["k"] == len(out["groups"]) >= 2
    assert not out["recomputing"]
    assert out["computed_at"].startswith(snapshot.computed_at.isoformat()[:19])
    members = [m for g in out["groups"] for m in g["members"]]
    assert sorted(members) == sorted(u.public_id for u in world.member.values())
    for group in out["groups"]:
        assert group["size"] == len(group["members"])
        for r in group["representative"]:
            assert set(r) >= {"statement_id", "direction", "repness", "repness_test",
                              "p_success", "p_test"}  # fmt: skip
    stats = out["statements_stats"]
    assert [s["statement_id"] for s in stats] == [s.pk for s in statements]
    assert all(s["agree"] + s["disagree"] + s["pass"] == s["seen"] == 6 for s in stats)
    assert all(s["stakeholder_informed_consensus"] is not None for s in stats)
    cross = out["cross_table"]
    assert len(cross["counts"]) == out["k"]
    assert sum(map(sum, cross["counts"])) == out["in_conversation"]
    assert set(cross["stakeholder_groups"]) == set(world.member)
    # A vote whose recompute has not run yet: the map says a new one is coming.
    services.cast_vote(world.steward, statements[0], "agree")
    assert call(None, "GET", path).json()["recomputing"] is True


def test_opinion_map_without_a_saved_one_is_computed_for_the_response_only(
    world: World, statements: list[Statement]
) -> None:
    for i, user in enumerate(world.member.values()):
        for j, statement in enumerate(statements):
            services.cast_vote(user, statement, 1 if (i < 3) == (j < 4) else -1)
    before = database_state()
    out = call(None, "GET", f"/conversations/{statements[0].conversation_id}/opinion-map").json()
    assert out["computed_at"] is None and out["recomputing"] and out["votes"] == 48
    assert database_state() == before
