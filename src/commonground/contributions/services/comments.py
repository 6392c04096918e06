"""Comments on issues and solutions, threads one level deep."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commonground.access.members import AnyUser, require_member
from commonground.contributions import events
from commonground.contributions.models import Comment, Kind, Solution, Stance
from commonground.contributions.services.common import (
    MAX_COMMENT,
    _issue_locked,
    _notify,
    _require_author,
    _require_open,
    _solution_for,
    _text,
    visible_to,
)
from commonground.core.errors import Conflict, InvalidInput, NotFound
from commonground.core.markdown import render_markdown
from commonground.issues.models import Issue
from commonground.ledger.services import append
from commonground.notifications import limits
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
    one level deep) that is neither deleted nor hidden from the replier.
    """
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
            gettext_noop("%(name)s (%(group)s) commented on “%(title)s”"),
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
