"""Follows, notifications, e-mail settings and rate-limit counters moved from the
``contributions`` app to ``notifications`` with their rows: a database made by the old
migrations keeps every row through the move, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from commonground.forums.models import Cycle, Forum
from commonground.issues.models import Issue
from commonground.notifications.models import EmailSetting, Follow, Notification, RateEvent
from commonground.participants.models import Membership, User

BEFORE = [("contributions", "0004_emailsetting_rateevent")]
AT = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


def _latest() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _old_rows(executor: MigrationExecutor) -> dict[str, int]:
    """Rows written through the old models, as a database of the previous release has them."""
    user = User.objects.create_user("amina@example.org", "x")
    forum = Forum.objects.create(slug="kenya-igf", name="Kenya IGF", level="national")
    cycle = Cycle.objects.create(forum=forum, name="2026")
    member = Membership.objects.create(
        forum=forum, user=user, stakeholder_group="civil_society", country="KE", region="african"
    )
    issue = Issue.objects.create(
        forum=forum, cycle=cycle, author=member, title="Cheaper data", description="D"
    )
    old = executor.loader.project_state(BEFORE).apps
    old.get_model("contributions", "Follow").objects.create(
        membership_id=member.pk, issue_id=issue.pk
    )
    note = old.get_model("contributions", "Notification").objects.create(
        recipient_id=member.pk, issue_id=issue.pk, kind="comment", object_id=7, text="Someone"
    )
    old.get_model("contributions", "EmailSetting").objects.create(user_id=user.pk, mode="daily")
    old.get_model("contributions", "RateEvent").objects.create(
        membership_id=member.pk, name="comments_per_hour", at=AT
    )
    return {"member": member.pk, "issue": issue.pk, "user": user.pk, "note": note.pk}


@pytest.mark.django_db(transaction=True)
def test_moving_the_tables_keeps_every_row_and_frees_the_old_names() -> None:
    latest = _latest()
    try:
        ids = _old_rows(_migrate(BEFORE))
        _migrate(latest)
        assert Follow.objects.filter(membership_id=ids["member"], issue_id=ids["issue"]).exists()
        note = Notification.objects.get(pk=ids["note"])
        assert (note.kind, note.object_id, note.text) == ("comment", 7, "Someone")
        assert EmailSetting.objects.get(user_id=ids["user"]).mode == "daily"
        assert RateEvent.objects.get(membership_id=ids["member"]).at == AT
        tables = set(connection.introspection.table_names())
        assert {"notifications_follow", "notifications_notification"} <= tables
        assert not {t for t in tables if t in {"contributions_follow", "contributions_rateevent"}}
        # and back: the move can be undone without losing the rows either
        _migrate(BEFORE)
        assert "contributions_notification" in set(connection.introspection.table_names())
    finally:
        _migrate(latest)
