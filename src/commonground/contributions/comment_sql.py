"""The statements of a comment on an issue on PostgreSQL, written by hand (issue 19).

A comment went through the ORM as ~15 statements (the issue read by the API, the member's
lock, the issue read again with its forum and cycle, the rate limit's delete, count and
insert, the comment's insert, the ledger's pending entry and read version, the follow,
the followers' languages, the notifications), each built by Django's query compiler:
about 13 ms of application CPU, and comments were 17 % of the app server's CPU during the
mixed forum day (docs/performance.md). These builders give the same reads and writes in
two statements; the decisions (who may comment, on what, within which limit) stay in
``commonground.contributions.services.comments``, which calls them. Table and column
names come from the models, so a renamed field breaks here loudly.

1. ``lock``: the acting member's membership (FOR NO KEY UPDATE, as ``require_member(lock=
   True)``: a member's own writes run one at a time, which keeps the rate limit exact),
   with what the rules and the answer read (the membership's status, group and
   verification, the forum, whether the cycle is open, the issue's title) and the new
   comment's id, drawn from its sequence (so every row that names the comment can be
   written in the next statement with plain parameters).
2. ``write``: the rate limit counted in the statement's snapshot (taken after the lock:
   the member's rows change only under it) and, only when the member is under it, the
   limit's row (and the old ones dropped), the comment, the follow, the followers'
   notifications, the ledger's pending entry and the issue's talk version; it returns the
   count it found and the notifications to e-mail. The COMMIT can follow in the same
   message.

Both run as prepared statements of the database session (``commonground.core.prepared``).
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from commonground.contributions.models import Comment
from commonground.core import prepared
from commonground.forums.models import Cycle, Forum
from commonground.issues.models import Issue
from commonground.notifications.models import Follow, RateEvent
from commonground.notifications.services import mailed_statement
from commonground.participants.models import Membership

Row = tuple[Any, ...]

# The limit's CTE is ``ok``: one row when the member may comment, none otherwise.
ALLOWED = "EXISTS (SELECT 1 FROM ok)"


@cache
def _names() -> dict[str, str]:
    """The quoted table names, once per process."""
    models = {
        "issue": Issue, "forum": Forum, "cycle": Cycle, "membership": Membership,
        "comment": Comment, "follow": Follow, "rate": RateEvent,
    }  # fmt: skip
    return prepared.quoted_tables(models)


class Held(NamedTuple):
    """What ``lock`` read: the membership (locked), its forum, the cycle's state, the issue's
    title and the new comment's id."""

    member_id: int
    status: str
    group: str
    verified: bool
    forum_id: int
    slug: str
    forum_name: str
    cycle_open: bool
    cycle_name: str
    title: str
    comment_id: int


@cache
def _lock_sql() -> str:
    t = _names()
    return (
        "SELECT m.id, m.status, m.stakeholder_group, m.verified, f.id, f.slug, f.name, "
        "c.is_open, c.name, i.title, "
        f"nextval(pg_get_serial_sequence('{Comment._meta.db_table}', 'id')) "
        f"FROM {t['issue']} i JOIN {t['forum']} f ON f.id = i.forum_id "
        f"JOIN {t['cycle']} c ON c.id = i.cycle_id "
        f"JOIN {t['membership']} m ON m.forum_id = i.forum_id AND m.user_id = %s "
        "WHERE i.id = %s FOR NO KEY UPDATE OF m"
    )


def lock(user_id: int, issue_id: int) -> Held | None:
    """The user's membership in the issue's forum, locked, with what the rules read and a
    new comment id; None when the issue or the membership is missing (the caller then
    asks the access layer why). A membership changed while this waited is read as it is
    now."""
    row = prepared.fetch(_lock_sql(), [user_id, issue_id])
    return Held(*row) if row is not None else None


class Written(NamedTuple):
    """What ``write`` did: ``allowed`` (when False nothing was written: the member had
    reached the limit) and the (text, address, language) of the notifications to e-mail."""

    allowed: bool
    mails: list[list[str]]


@cache
def _write_sql(limited: bool, also: tuple[str, ...], notify: str, mailed: str) -> str:
    """The text of ``write``'s statement, built once per shape (``also``, ``notify`` and
    ``mailed``: the folded writes' texts)."""
    t = _names()
    if limited:
        parts = [
            f"r AS (SELECT count(*) AS n FROM {t['rate']} "
            "WHERE membership_id = %s AND name = %s AND at >= %s)",
            "ok AS (SELECT 1 FROM r WHERE r.n < %s)",
            # Rows older than the window never count again (notifications.limits.consume).
            f"d AS (DELETE FROM {t['rate']} WHERE membership_id = %s AND name = %s "
            f"AND at < %s AND {ALLOWED} RETURNING 1)",
            f"e AS (INSERT INTO {t['rate']} (membership_id, name, at) "
            "SELECT %s, %s, %s FROM ok RETURNING 1)",
        ]
    else:
        parts = ["r AS (SELECT 0 AS n)", "ok AS (SELECT 1)"]
    parts.append(
        f"c AS (INSERT INTO {t['comment']} (id, forum_id, author_id, created_at, updated_at, "
        "hidden, hidden_at, hidden_reason, issue_id, solution_id, parent_id, body, body_html, "
        "stance, deleted_at) SELECT %s, %s, %s, %s, %s, false, NULL, '', %s, NULL, NULL, "
        "%s, %s, %s, NULL FROM ok RETURNING 1)"
    )
    # The actor follows the issue (notify_followers' rule); the notifications read the
    # follows as the statement's snapshot shows them, and leave the actor out anyway.
    parts.append(
        f"fo AS (INSERT INTO {t['follow']} (membership_id, issue_id, created_at) "
        "SELECT %s, %s, %s FROM ok ON CONFLICT DO NOTHING RETURNING 1)"
    )
    parts += [f"w{n} AS ({sql})" for n, sql in enumerate(also)]
    parts.append(f"n AS ({notify})")
    return f"WITH {', '.join(parts)} SELECT r.n, ({mailed}) FROM r"


def write(
    comment: Comment,
    rate: tuple[str, int, datetime] | None,
    also: list[tuple[str, list[Any]]],
    notify: tuple[str, list[Any]],
    commit: bool = False,
) -> Written:
    """Record the comment (its id, forum, author, issue, times and texts set) in one
    statement with the writes in ``also`` (the ledger's pending entry, the read version)
    and ``notify`` (the followers' notifications, RETURNING recipient and text), each
    carrying ``ALLOWED`` as its condition, under the rate limit ``rate`` (name, count,
    window start; None: no limit). ``commit``: the COMMIT goes in the same message
    (``commonground.issues.support_sql._counted`` says why and what a failure does).
    """
    member_id, now = comment.author_id, comment.created_at
    params: list[Any] = []
    if rate is not None:
        name, count, since = rate
        params += [member_id, name, since, count, member_id, name, since, member_id, name, now]
    params += [comment.pk, comment.forum_id, member_id, now, comment.updated_at]
    params += [comment.issue_id, comment.body, comment.body_html, comment.stance]
    params += [member_id, comment.issue_id, now]
    for _sql, more in also:
        params += more
    notify_sql, notify_params = notify
    mailed_sql, mailed_params = mailed_statement("n")
    params += notify_params + mailed_params
    sql = _write_sql(rate is not None, tuple(sql for sql, _ in also), notify_sql, mailed_sql)
    row = prepared.fetch(sql, params, "; COMMIT" if commit else "")
    assert row is not None, "the count's row is always there"
    limit = rate[1] if rate is not None else 1
    return Written(allowed=int(row[0]) < limit, mails=list(row[1] or []))
