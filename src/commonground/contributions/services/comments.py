"""Comments on issues and solutions, threads one level deep."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commonground.access.lookup import get_issue_to_act_on
from commonground.access.members import AnyUser, can_take_part, require_member
from commonground.contributions import comment_sql, events
from commonground.contributions.models import Comment, Kind, Solution, Stance
from commonground.contributions.services.common import (
    MAX_COMMENT,
    _issue_locked,
    _notify,
    _require_author,
    _require_open,
    _solution_for,
    _text,
    notice,
    visible_to,
)
from commonground.core import readcache
from commonground.core.errors import Conflict, InvalidInput, NotFound
from commonground.core.markdown import render_markdown
from commonground.issues.models import Issue
from commonground.ledger import sequencer
from commonground.ledger.services import append, pending_statement
from commonground.notifications import limits
from commonground.notifications.services import followers_statement, queue_follower_mails
from commonground.participants.models import Membership

# ---------------------------------------------------------------- comments


def _clean_comment(body: str, stance: str | None) -> tuple[str, str]:
    body = _text(body, "comment", MAX_COMMENT)
    stance = stance or ""
    if stance and stance not in Stance.values:
        raise InvalidInput(
            _("Unknown stance '%(stance)s'; choose one of %(choices)s.")
            % {"stance": stance[:20], "choices": ", ".join(Stance)}
        )
    return body, stance


COMMENTED = gettext_noop("%(name)s (%(group)s) commented on “%(title)s”")


def add_comment(
    user: AnyUser,
    *,
    issue: Issue | None = None,
    solution: Solution | None = None,
    body: str,
    stance: str | None = "",
    parent: Comment | int | None = None,
) -> Comment:
    """Comment on an issue or on one of its solutions; ``parent`` makes it a reply.

    A reply's parent must be a top-level comment on the same target (threads are
    one level deep) that is neither deleted nor hidden from the replier. The member's
    row lock makes their comments run one at a time, so the ``comments_per_hour`` limit
    is exact. A top-level comment on an issue is written by two hand-written statements
    on PostgreSQL (``contributions.comment_sql``; issue 19), with the same lock, rules,
    rows, ledger entry, read version and notifications.
    """
    if issue is not None and solution is None and parent is None:
        done = _comment_by_hand(user, issue.pk, body, stance)
        if done is not None:
            return done
    return _add_comment_orm(
        user, issue=issue, solution=solution, body=body, stance=stance, parent=parent
    )


def comment_on_issue(
    user: AnyUser,
    issue_id: int,
    *,
    body: str,
    stance: str | None = "",
    parent: Comment | int | None = None,
) -> Comment:
    """``add_comment`` on the issue with this id (the API's route): by hand on PostgreSQL
    without reading the issue first; otherwise, and on any refusal, the issue is looked
    up (NotFound) and the ORM path answers."""
    if parent is None:
        done = _comment_by_hand(user, issue_id, body, stance)
        if done is not None:
            return done
    issue = get_issue_to_act_on(issue_id)
    return _add_comment_orm(user, issue=issue, body=body, stance=stance, parent=parent)


def _comment_by_hand(user: AnyUser, issue_id: int, body: str, stance: str | None) -> Comment | None:
    """PostgreSQL's hand-written comment on an issue, when the rules let the member post it
    now; None otherwise (not a member, suspended, closed cycle, over the rate limit, no
    such issue), and nothing was written: the caller takes the ORM path, which says why.
    Invalid text is refused here, after the same checks as the ORM path makes first."""
    if connection.vendor != "postgresql" or not user.is_authenticated:
        return None
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        held = comment_sql.lock(user.pk, issue_id)
        if held is None:
            return None
        membership = Membership(
            id=held.member_id, forum_id=held.forum_id, status=held.status,
            stakeholder_group=held.group, verified=held.verified,
        )  # fmt: skip
        membership.user = user  # authenticated: a User
        if not can_take_part(membership) or not held.cycle_open:
            return None
        body, stance = _clean_comment(body, stance)
        now = timezone.now()
        comment = Comment(
            id=held.comment_id, forum_id=held.forum_id, issue_id=issue_id, author=membership,
            body=body, body_html=render_markdown(body), stance=stance,
            created_at=now, updated_at=now,
        )  # fmt: skip
        event = events.comment_added(comment, membership, held.slug)
        # Batched sequencing: the pending entry and the read version in the statement.
        # Inline: appended after it, under the ledger head's lock, as every write does.
        batched = sequencer.batched()
        also = []
        if batched:
            also.append(pending_statement([event], when=comment_sql.ALLOWED))
            bump = readcache.bump_statement([event], when=comment_sql.ALLOWED)
            also += [bump] if bump is not None else []
        notify = followers_statement(
            issue_id, membership.pk, kind=Kind.COMMENT, object_id=comment.pk,
            text=notice(held.title, membership, COMMENTED), when=comment_sql.ALLOWED,
        )  # fmt: skip
        rule = limits.limit("comments_per_hour")
        rate = (rule.name, rule.count, now - rule.window) if rule.count > 0 else None
        done = comment_sql.write(comment, rate, also, notify, commit=batched and outermost)
        if not done.allowed:  # at the limit: nothing written; the ORM path answers 429
            return None
        if not batched:
            append(event)
        queue_follower_mails(Issue(id=issue_id), done.mails)
    return comment


def _add_comment_orm(
    user: AnyUser,
    *,
    issue: Issue | None = None,
    solution: Solution | None = None,
    body: str,
    stance: str | None = "",
    parent: Comment | int | None = None,
) -> Comment:
    """``add_comment`` through the ORM: on SQLite, for solutions and replies, and where the
    hand-written path declines (a refusal, whose exact reason is given here)."""
    if (issue is None) == (solution is None):
        raise InvalidInput(_("A comment is on an issue or on a solution."))
    forum = (issue or solution).forum  # type: ignore[union-attr]
    with transaction.atomic():
        membership = require_member(user, forum, lock=True)
        if solution is not None:
            solution = _solution_for(membership, solution)
            issue = solution.issue
        assert issue is not None
        issue = _issue_locked(issue)
        _require_open(issue)
        body, stance = _clean_comment(body, stance)
        parent_comment = None
        if parent is not None:
            parent_id = parent.pk if isinstance(parent, Comment) else int(parent)
            parent_comment = Comment.objects.filter(pk=parent_id).first()
            if parent_comment is None or not visible_to(parent_comment, membership):
                raise NotFound(
                    _("There is no comment %(parent_id)s to reply to.") % {"parent_id": parent_id}
                )
            if parent_comment.issue_id != issue.pk or parent_comment.solution_id != (
                solution.pk if solution else None
            ):
                # Rules on the parent's state, not on the input: 409 (issue 11.17).
                raise Conflict(_("A reply must be on the same issue or solution as its parent."))
            if parent_comment.parent_id is not None:
                raise Conflict(_("Reply to the top-level comment: threads are one level deep."))
            if parent_comment.is_deleted:
                raise Conflict(_("That comment was deleted; it takes no more replies."))
        limits.consume(membership, "comments_per_hour")
        comment = Comment.objects.create(
            forum=issue.forum,
            issue=issue,
            solution=solution,
            parent=parent_comment,
            author=membership,
            body=body,
            body_html=render_markdown(body),
            stance=stance,
        )
        append(events.comment_added(comment, membership, issue.forum.slug))
        _notify(
            issue,
            membership,
            Kind.COMMENT,
            comment.pk,
            COMMENTED,
        )
    return comment


def _own_comment(user: AnyUser, comment: Comment) -> tuple[Membership, Comment]:
    membership = require_member(user, comment.forum, lock=True)
    comment = Comment.objects.select_for_update().select_related("issue__cycle").get(pk=comment.pk)
    _require_author(membership, comment, "comment")
    if comment.is_deleted:
        raise Conflict(_("This comment was deleted."))
    _require_open(comment.issue)
    return membership, comment


def edit_comment(user: AnyUser, comment: Comment, *, body: str, stance: str | None = "") -> Comment:
    """The author changes their comment's text and stance."""
    with transaction.atomic():
        membership, comment = _own_comment(user, comment)
        body, stance = _clean_comment(body, stance)
        limits.consume(membership, "edits_per_hour")
        comment.body, comment.stance = body, stance
        comment.body_html = render_markdown(body)
        comment.updated_at = timezone.now()
        comment.save()
        append(events.comment_edited(comment, membership, comment.forum.slug))
    return comment


def delete_comment(user: AnyUser, comment: Comment) -> Comment:
    """The author deletes their comment: the row stays (the thread shows "deleted"), text goes."""
    with transaction.atomic():
        membership, comment = _own_comment(user, comment)
        comment.body = comment.body_html = comment.stance = ""
        comment.deleted_at = comment.updated_at = timezone.now()
        comment.save()
        append(events.comment_deleted(comment, membership, comment.forum.slug))
    return comment
