"""A comment on an issue through the API keeps every guarantee on the short path.

On PostgreSQL a top-level comment on an issue is written by two hand-written statements
(commonground.contributions.comment_sql, issue 19); on SQLite, for replies and solutions,
and wherever the short path declines, the ORM path writes it. With real commits, whatever
the path: the comment row, the rate limit's row, the author's follow, one notification
per follower in their language with its immediate e-mail, the ledger entry and the
issue's talk version come together, the API's answer is the same, and every refusal
gives the ORM path's answer and writes nothing. Each comment here is made on both paths
(the short one switched off for the second) and what they wrote is compared.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from commonground.contributions import comment_sql, services
from commonground.contributions.models import Comment
from commonground.contributions.services import comments as comment_services
from commonground.core import readcache
from commonground.core.errors import InvalidInput
from commonground.forums.models import Cycle
from commonground.issues.models import Issue
from commonground.ledger.models import LedgerEntry, PendingEntry
from commonground.notifications import limits
from commonground.notifications.email import set_mode
from commonground.notifications.models import Follow, Notification, RateEvent
from commonground.notifications.services import follow_issue
from commonground.participants.services import set_language
from tests.api.conftest import bearer, send
from tests.conftest import World

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=["batched", "inline"])
def sequencing(request: Any, settings: Any) -> str:
    settings.COMMONGROUND_LEDGER_SEQUENCING = request.param
    return str(request.param)


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the short path's write statements (one per comment it handles)."""
    calls: list[int] = []
    real = comment_sql.write

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(comment_sql, "write", counted)
    return calls


def _orm_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(comment_services, "_comment_by_hand", lambda *args: None)


def _entries(comment_id: int) -> list[tuple[Any, ...]]:
    model = PendingEntry if PendingEntry.objects.exists() else LedgerEntry
    return list(
        model.objects.filter(action="comment.add", object_id=str(comment_id)).values_list(
            "actor", "object_type", "forum", "fields"
        )
    )


def _written(comment_id: int, mails: list[Any]) -> dict[str, Any]:
    """What a comment wrote, without its id and times."""
    comment = Comment.objects.get(pk=comment_id)
    notes = Notification.objects.filter(kind="comment", object_id=comment_id)
    return {
        "comment": (
            comment.forum_id, comment.author_id, comment.issue_id, comment.solution_id,
            comment.parent_id, comment.body, comment.body_html, comment.stance, comment.hidden,
            comment.hidden_reason, comment.deleted_at, comment.created_at.second
            == comment.updated_at.second,
        ),
        "notifications": sorted(
            notes.values_list("recipient_id", "issue_id", "text", "read_at")
        ),
        "entries": _entries(comment_id),
        "mails": sorted((m.to[0], m.subject, m.body) for m in mails),
    }  # fmt: skip


def _answer(response: Any) -> dict[str, Any]:
    data = dict(response.json())
    for key in ("id", "created_at", "updated_at"):
        data.pop(key)
    return data


def test_both_paths_write_the_same_rows_entry_notifications_version_and_answer(
    sequencing: str,
    world: World,
    issue: Issue,
    mailoutbox: list[Any],
    writes: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    author = world.member["government"]
    follower, reader = world.member["private_sector"], world.member["civil_society"]
    follow_issue(follower, issue)
    set_language(follower, "fr")
    set_language(reader, "ar")
    set_mode(reader, "immediate")
    client, headers = Client(), bearer(author)
    path = f"/issues/{issue.pk}/comments"
    body = {"body": "Rural **towers** first.", "stance": "in_favour"}
    membership = world.membership["government"]

    def comment() -> tuple[Any, dict[str, Any], str]:
        mailoutbox.clear()
        talk = readcache.versions([f"talk:{issue.pk}"])
        response = send(client, "POST", path, body, headers=headers)
        assert response.status_code == 201, response.content
        assert readcache.versions([f"talk:{issue.pk}"]) != talk
        return response, _written(response.json()["id"], list(mailoutbox)), talk[0]

    assert not Follow.objects.filter(membership=membership, issue=issue).exists()
    short, short_wrote, _ = comment()
    assert Follow.objects.filter(membership=membership, issue=issue).exists()
    assert len(writes) == (1 if connection.vendor == "postgresql" else 0)
    _orm_only(monkeypatch)
    orm, orm_wrote, _ = comment()

    assert _answer(short) == _answer(orm)
    assert set(short.json()) == set(orm.json())
    assert short_wrote == orm_wrote
    assert [r for r, *_ in short_wrote["notifications"]] == sorted(
        [world.membership["private_sector"].pk, world.membership["civil_society"].pk]
    )
    assert "a commenté" in short_wrote["notifications"][0][2]  # in the follower's French
    assert len(short_wrote["mails"]) == 1 and len(short_wrote["entries"]) == 1
    assert RateEvent.objects.filter(membership=membership, name="comments_per_hour").count() == 2


def test_a_refused_comment_gets_the_orm_path_s_answer_and_writes_nothing(
    world: World, issue: Issue, monkeypatch: pytest.MonkeyPatch
) -> None:
    steward = world.steward
    services.set_suspended(steward, world.membership["private_sector"], suspended=True, reason="x")
    client = Client()

    def answers() -> dict[str, Any]:
        def post(issue_id: int, user: Any, body: str = "A comment.") -> tuple[int, str]:
            response = send(
                client, "POST", f"/issues/{issue_id}/comments", {"body": body},
                headers=bearer(user),
            )  # fmt: skip
            return response.status_code, response.json()["detail"]

        found = {
            "outsider": post(issue.pk, world.outsider),
            "suspended": post(issue.pk, world.member["private_sector"]),
            "no issue": post(999_999, world.member["government"]),
        }
        try:
            services.add_comment(world.member["government"], issue=issue, body="a\x00b")
        except InvalidInput as error:
            found["NUL"] = str(error)
        Cycle.objects.filter(pk=issue.cycle_id).update(is_open=False)
        found["closed"] = post(issue.pk, world.member["government"])
        Cycle.objects.filter(pk=issue.cycle_id).update(is_open=True)
        return found

    before = (Comment.objects.count(), RateEvent.objects.count(), Notification.objects.count())
    short = answers()
    assert short == {
        "outsider": (403, "Join Kenya IGF to take part in it."),
        "suspended": (403, "Your membership of Kenya IGF is suspended."),
        "no issue": (404, "No issue 999999."),
        "NUL": "The comment must not contain NUL characters.",
        "closed": (409, "The cycle 2027 is closed; it takes no contributions."),
    }
    _orm_only(monkeypatch)
    assert answers() == short
    after = (Comment.objects.count(), RateEvent.objects.count(), Notification.objects.count())
    assert after == before


def test_the_comment_limit_allows_the_40th_and_refuses_the_41st_on_the_short_path(
    sequencing: str, world: World, issue: Issue, writes: list[int]
) -> None:
    count = limits.DEFAULTS["comments_per_hour"].count
    assert count == 40
    client, headers = Client(), bearer(world.member["civil_society"])
    path = f"/issues/{issue.pk}/comments"
    for n in range(count):
        response = send(client, "POST", path, {"body": f"Comment {n}"}, headers=headers)
        assert response.status_code == 201, (n, response.content)
    response = send(client, "POST", path, {"body": "One too many"}, headers=headers)
    assert response.status_code == 429
    assert response.json()["detail"] == (
        "Rate limit comments_per_hour: you have posted 40 comments in Kenya IGF in the last "
        "hour, the most allowed. Please try again in 60 minutes."
    )
    assert Comment.objects.count() == count
    member = world.membership["civil_society"]
    assert RateEvent.objects.filter(membership=member, name="comments_per_hour").count() == count
    model = PendingEntry if sequencing == "batched" else LedgerEntry
    assert model.objects.filter(action="comment.add").count() == count
    # The short path wrote all 40 and counted the 41st in its statement (then declined).
    assert len(writes) == (count + 1 if connection.vendor == "postgresql" else 0)
