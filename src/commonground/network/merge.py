"""Merging two issues of one forum that are the same concern (docs/network.md)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.access.members import AnyUser, require_steward
from commonground.access.rules import require_not_merged, require_phase
from commonground.contributions.models import Comment, ModerationAction, Signal, Solution
from commonground.core.errors import InvalidInput
from commonground.core.retry import retry_on_deadlock
from commonground.forums.models import Cycle
from commonground.issues.models import TALLY_FIELDS, Issue, Support
from commonground.ledger.services import append
from commonground.network.events import issue_merged
from commonground.network.models import Forward, Merge
from commonground.notifications.models import Follow
from commonground.notifications.services import notify_followers
from commonground.participants.models import Membership
from commonground.stakeholders import GROUPS


def _require_mergeable(issue: Issue, into: Issue) -> None:
    if issue.pk == into.pk:
        raise InvalidInput(_("An issue cannot be merged into itself."))
    if issue.forum_id != into.forum_id:
        raise InvalidInput(
            _("Issues %(a)s and %(b)s are in different forums; only issues of one forum merge. "
              "Forward one of them up the tree instead.")
            % {"a": issue.pk, "b": into.pk}
        )  # fmt: skip
    if issue.cycle_id != into.cycle_id:
        raise InvalidInput(
            _("Issues %(a)s and %(b)s are in different cycles; only issues of one cycle merge.")
            % {"a": issue.pk, "b": into.pk}
        )


def _recount(issue_ids: list[int]) -> None:
    """Set the six tally columns and the support count from the support rows themselves."""
    counts: dict[int, dict[str, int]] = {pk: dict.fromkeys(GROUPS, 0) for pk in issue_ids}
    rows = (
        Support.objects.filter(issue_id__in=issue_ids)
        .values("issue_id", "stakeholder_group")
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts[row["issue_id"]][row["stakeholder_group"]] = row["n"]
    for pk, by_group in counts.items():
        Issue.objects.filter(pk=pk).update(
            support_count=sum(by_group.values()),
            **{TALLY_FIELDS[g]: n for g, n in by_group.items()},
        )


def _move_supports(issue: Issue, into: Issue) -> tuple[int, int]:
    """Move the supports; a member who supported both keeps the one on ``into``.

    The set of members active in the cycle does not change (each keeps a support in it),
    so the per-group active counts (``n_g``) stay as they are.
    """
    both = Support.objects.filter(
        issue=issue, membership_id__in=Support.objects.filter(issue=into).values("membership_id")
    )
    deduplicated, _rows = both.delete()
    moved = Support.objects.filter(issue=issue).update(issue=into)
    _recount([issue.pk, into.pk])
    return moved, deduplicated


def _move_the_rest(issue: Issue, into: Issue) -> None:
    """Provenance, topics, solutions, comments, signals and followers move to ``into``."""
    Forward.objects.filter(target_issue=issue).update(target_issue=into)
    into.topics.add(*issue.topics.all())
    Solution.objects.filter(issue=issue).update(issue=into)
    Comment.objects.filter(issue=issue).update(issue=into)
    ModerationAction.objects.filter(issue=issue).update(issue=into)
    # One signal per member and issue: a member who signalled both keeps both texts, the
    # second one staying on the merged issue's page.
    signalled = Signal.objects.filter(issue=into).values("author_id")
    Signal.objects.filter(issue=issue).exclude(author_id__in=signalled).update(issue=into)
    following = Follow.objects.filter(issue=into).values("membership_id")
    Follow.objects.filter(issue=issue).exclude(membership_id__in=following).update(issue=into)


def merge_issues(user: AnyUser, issue: Issue, into: Issue) -> Merge:
    """A steward merges ``issue`` (B) into ``into`` (A), two issues of one forum and cycle.

    B's provenance, topics, solutions, comments, signals and supports move to A (a member
    who supported both keeps one support); B records that it was merged and redirects to
    A; both issues' tallies are recounted from the support rows, so recognition follows.
    Both issue rows are locked first, in id order, FOR UPDATE: that waits for the supports
    in flight (each holds its issue FOR KEY SHARE) and holds off new ones, so a concurrent
    support lands before the merge (and moves) or after it (refused on B, counted on A).
    """
    steward, merge, issue, into = _merge(user, issue, into)

    # Notifications point at memberships, which supports lock; writing them while this
    # transaction holds the issue rows could deadlock with a support waiting on those rows.
    def text() -> str:  # in each follower's language
        return _("%(name)s merged “%(title)s” into “%(into)s”.") % {
            "name": steward.user.public_name,
            "title": issue.title[:100],
            "into": into.title[:100],
        }

    with transaction.atomic():
        notify_followers(into, steward, kind="merge", object_id=merge.pk, text=text)
    issue.merged_into = into
    return merge


# While the merge waits for the supports in flight, a support waiting for another's tally
# update queues behind it: PostgreSQL aborts one of the two, and it runs again.
@retry_on_deadlock()
def _merge(user: AnyUser, issue: Issue, into: Issue) -> tuple[Membership, Merge, Issue, Issue]:
    """The merge's transaction (see ``merge_issues``); returns the steward, the merge and
    the two issues as locked."""
    with transaction.atomic():
        steward = require_steward(user, issue.forum)
        _require_mergeable(issue, into)
        locked = {
            i.pk: i
            for i in Issue.objects.select_for_update()
            .filter(pk__in=[issue.pk, into.pk])
            .order_by("pk")
        }
        issue, into = locked[issue.pk], locked[into.pk]
        require_not_merged(issue)
        require_not_merged(into)
        require_phase(issue.cycle, "merge_issues")
        moved, deduplicated = _move_supports(issue, into)
        _move_the_rest(issue, into)
        now = timezone.now()
        Issue.objects.filter(pk=issue.pk).update(merged_into=into, updated_at=now)
        Issue.objects.filter(pk=into.pk).update(updated_at=now)
        Cycle.objects.filter(pk=issue.cycle_id).update(tally_version=F("tally_version") + 1)
        merge = Merge.objects.create(
            forum=issue.forum, issue=issue, into=into, merged_by=steward.user.public_id,
            merged_at=now, supports_moved=moved, supports_deduplicated=deduplicated,
        )  # fmt: skip
        append(issue_merged(merge, issue.forum.slug))
    return steward, merge, issue, into
