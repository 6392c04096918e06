"""State changes of follows and notifications (private: none of them is in the ledger).

Domain apps call ``follow`` when a member takes part in an issue and ``notify_followers``
when something new happens on it; members follow or stop following with
``follow_issue`` and clear their list with ``mark_notifications_read``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from django.conf import settings
from django.db import connection
from django.utils import timezone, translation

from commonground.access.members import AnyUser, require_member, require_user
from commonground.forums.models import Forum
from commonground.notifications import email
from commonground.notifications.models import EmailSetting, Follow, Notification
from commonground.participants.models import Membership, User


class Followable(Protocol):
    """What members follow: an issue. This app sits below issues, so it names none."""

    pk: Any
    forum: Forum


def _row(issue: Followable) -> Any:
    """The issue as the ORM takes it: the type checker knows ``Follow.issue`` points at
    ``issues.Issue``, which this app (below issues) does not import."""
    return issue


def follow(membership: Membership, issue: Followable) -> None:
    """The member follows the issue (idempotent); called by the services they act through.

    One INSERT that does nothing when the follow exists (no read first, no savepoint).
    """
    Follow.objects.bulk_create(
        [Follow(membership=membership, issue=_row(issue))], ignore_conflicts=True
    )


def follow_issue(user: AnyUser, issue: Followable, following: bool = True) -> bool:
    """A member follows (or stops following) an issue; returns whether anything changed.

    Following is a private preference, so it is not written to the public ledger.
    """
    membership = require_member(user, issue.forum)
    if not following:
        deleted, _ = Follow.objects.filter(membership=membership, issue=_row(issue)).delete()
        return bool(deleted)
    _, created = Follow.objects.get_or_create(membership=membership, issue=_row(issue))
    return created


# What a notification says: a text, or a function that writes it in the active language
# (called once per recipients' language, so each reads it, and gets it by e-mail, in theirs).
Text = str | Callable[[], str]


def _texts(recipients: Iterable[int], text: Text) -> dict[int, str]:
    """Each recipient membership's text, written in its member's interface language."""
    ids = list(recipients)
    if isinstance(text, str):
        return dict.fromkeys(ids, text[:300])
    languages = dict(Membership.objects.filter(pk__in=ids).values_list("pk", "user__language"))
    written: dict[str, str] = {}
    for language in set(languages.values()):
        with translation.override(language or settings.LANGUAGE_CODE):
            written[language] = str(text())[:300]
    return {pk: written[languages[pk]] for pk in ids if pk in languages}


def _create(
    issue: Followable, recipients: Iterable[int], kind: str, object_id: int, text: Text
) -> list[Notification]:
    texts = _texts(recipients, text)
    created = Notification.objects.bulk_create(
        Notification(recipient_id=m, issue=_row(issue), kind=kind, object_id=object_id, text=t)
        for m, t in texts.items()
    )
    email.queue_immediate(created)
    return created


def notify_followers(
    issue: Followable, actor: Membership, *, kind: str, object_id: int, text: Text
) -> None:
    """Tell the issue's followers (not the actor) that ``actor`` did something; the actor
    follows the issue from now on.

    ``text`` says who did what and is shown and e-mailed as is (never a contribution's
    own text, which moderation may hide later); given as a function, it is written in each
    recipient's language. Immediate e-mails are queued to go out when the caller's
    transaction commits.

    One row per follower, written by one INSERT ... SELECT from the follows, each row's
    text picked by its recipient's language in the statement (issue 19: a comment on an
    issue with hundreds of followers built a model object per follower, most of its
    cost); the immediate e-mails' recipients come back from the same statement.
    """
    follow(actor, issue)
    where = [issue.pk, actor.pk]
    if isinstance(text, str):
        pick, pick_params = "%s", [text[:300]]
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT DISTINCT u.language {_followers()}", where)
            languages = [row[0] for row in cursor.fetchall()]
        if not languages:
            return
        written: dict[str, str] = {}
        for language in languages:
            with translation.override(language or settings.LANGUAGE_CODE):
                written[language] = str(text())[:300]
        pick = "CASE u.language " + " ".join(["WHEN %s THEN %s"] * len(languages)) + " END"
        pick_params = [value for language in languages for value in (language, written[language])]
    table = connection.ops.quote_name(Notification._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    insert = (
        f"INSERT INTO {table} (recipient_id, issue_id, kind, object_id, text, created_at, "
        f"read_at) SELECT f.membership_id, %s, %s, %s, {pick}, %s, NULL {_followers()}"
    )
    params = [issue.pk, kind, object_id, *pick_params, now, *where]
    mode = [EmailSetting.Mode.IMMEDIATE.value]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The recipients who want an e-mail now, from the rows just written (one
            # snapshot: the same followers as the rows).
            cursor.execute(
                f"WITH n AS ({insert} RETURNING recipient_id, text) "
                f"SELECT n.text, u.email, u.language FROM n {_mailed('n.recipient_id')}",
                [*params, *mode],
            )
        else:
            # SQLite: the transaction holds the database's write lock since its first
            # write, so the follows read next are the ones the insert read.
            cursor.execute(insert, params)
            cursor.execute(
                f"SELECT {pick}, u.email, u.language FROM {_table(Follow)} f "
                f"{_mailed('f.membership_id')} AND f.issue_id = %s AND f.membership_id <> %s",
                [*pick_params, *mode, *where],
            )
        mails = cursor.fetchall()
    if mails:
        path = _row(issue).get_absolute_url()
        email.queue_mails((note, address, language, path) for note, address, language in mails)


def followers_statement(
    issue_id: int, actor_id: int, *, kind: str, object_id: int, text: Text, when: str
) -> tuple[str, list[Any]]:
    """``notify_followers``' rows as one INSERT a hand-written write folds into its own
    statement (PostgreSQL; commonground.contributions.comment_sql), written only under
    ``when`` (an SQL condition without parameters), RETURNING each row's recipient and
    text for :func:`mailed_statement`. The caller makes the actor follow the issue.

    The text is written in every language an account can choose, picked per row by its
    recipient's (an empty or unknown one reads the default language's, as
    ``translation.override`` gives it): no read of the followers' languages first, and a
    follower who arrives between two statements still gets their own language."""
    pick, pick_params = _every_language(text)
    now = timezone.now()
    sql = (
        f"INSERT INTO {_table(Notification)} (recipient_id, issue_id, kind, object_id, text, "
        f"created_at, read_at) SELECT f.membership_id, %s, %s, %s, {pick}, %s, NULL "
        f"{_followers()} AND {when} RETURNING recipient_id, text"
    )
    return sql, [issue_id, kind, object_id, *pick_params, now, issue_id, actor_id]


def _every_language(text: Text) -> tuple[str, list[Any]]:
    """A CASE over the recipient's ``u.language`` giving ``text`` in it, with its params."""
    if isinstance(text, str):
        return "%s", [text[:300]]
    default = settings.LANGUAGE_CODE
    params: list[Any] = []
    for code, _name in settings.LANGUAGES:
        if code != default:
            with translation.override(code):
                params += [code, str(text())[:300]]
    with translation.override(default):
        params.append(str(text())[:300])
    whens = " ".join(["WHEN %s THEN %s"] * (len(params) // 2))
    return f"CASE u.language {whens} ELSE %s END", params


def mailed_statement(rows: str) -> tuple[str, list[Any]]:
    """The (text, address, language) of the rows of ``followers_statement`` (a CTE named
    ``rows``) whose recipients want an e-mail at once, as a JSON array of arrays."""
    mode = EmailSetting.Mode.IMMEDIATE.value
    return (
        "SELECT coalesce(json_agg(json_build_array(n.text, u.email, u.language)), '[]') "
        f"FROM {rows} n {_mailed('n.recipient_id')}",
        [mode],
    )


def queue_follower_mails(issue: Followable, mails: Iterable[Sequence[str]]) -> None:
    """Queue (after the commit) the e-mails ``mailed_statement`` found."""
    found = list(mails)
    if found:
        path = _row(issue).get_absolute_url()
        email.queue_mails((note, address, language, path) for note, address, language in found)


def _table(model: Any) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def _followers() -> str:
    """FROM and WHERE of an issue's followers but one (params: issue, actor), each with
    its user as ``u``."""
    return (
        f"FROM {_table(Follow)} f JOIN {_table(Membership)} m ON m.id = f.membership_id "
        f"JOIN {_table(User)} u ON u.id = m.user_id "
        "WHERE f.issue_id = %s AND f.membership_id <> %s"
    )


def _mailed(recipient: str) -> str:
    """The joins from a recipient membership column to its user ``u`` who chose immediate
    e-mails (param: the mode)."""
    return (
        f"JOIN {_table(Membership)} m ON m.id = {recipient} "
        f"JOIN {_table(User)} u ON u.id = m.user_id "
        f"JOIN {_table(EmailSetting)} e ON e.user_id = u.id WHERE e.mode = %s"
    )


def notify_stewards(
    forum: Forum, issue: Followable, *, kind: str, object_id: int, text: Text
) -> list[Notification]:
    """Tell the forum's active stewards of something that needs them (a report to look at),
    whether or not they follow the issue. ``text`` follows ``notify_followers``' rule."""
    stewards = Membership.objects.filter(
        forum=forum, role=Membership.Role.STEWARD, status=Membership.Status.ACTIVE
    ).values_list("pk", flat=True)
    return _create(issue, stewards, kind, object_id, text)


def mark_notifications_read(user: AnyUser) -> int:
    """Mark all of the user's notifications read; returns how many were unread."""
    return Notification.objects.filter(
        recipient__user=require_user(user), read_at__isnull=True
    ).update(read_at=timezone.now())


def unread_count(user: AnyUser) -> int:
    """How many unread notifications the user has (0 for anonymous visitors)."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient__user=user, read_at__isnull=True).count()


def is_following(membership: Membership | None, issue: Followable) -> bool:
    """Whether the member follows the issue (False without a membership)."""
    return (
        membership is not None
        and Follow.objects.filter(membership=membership, issue=_row(issue)).exists()
    )
