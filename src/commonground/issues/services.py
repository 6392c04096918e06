"""State changes of issues: raising, editing, supporting and withdrawing support."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import get_supported_language_variant
from django.utils.translation import gettext as _

from commonground.access.lookup import get_issue_to_act_on, open_cycle_of
from commonground.access.members import AnyUser, can_take_part, require_member
from commonground.access.rules import (
    can_act_in_phase,
    require_issue_author,
    require_not_merged,
    require_phase,
)
from commonground.core import readcache, rows
from commonground.core.errors import InvalidInput
from commonground.core.markdown import render_markdown
from commonground.core.retry import retry_on_deadlock
from commonground.forums.models import Cycle, Forum
from commonground.issues import events, support_sql
from commonground.issues.models import TALLY_FIELDS, Issue, Support, Topic
from commonground.issues.sdgs import SDG_TITLES, sdg_label, sdg_slug
from commonground.issues.tallies import add_active, bump_version
from commonground.ledger import sequencer
from commonground.ledger.services import Event, append, pending_statement
from commonground.notifications.limits import consume as consume_rate_limit
from commonground.notifications.services import follow
from commonground.participants.models import Membership

MAX_TITLE = 200
MAX_DESCRIPTION = 20_000
MAX_TOPICS = 6
_SDG_RE = re.compile(r"^sdg[\s_-]*(\d{1,2})$", re.IGNORECASE)


def normalize_topics(topics: Sequence[str]) -> list[str]:
    """Turn free tags and SDG references ("SDG 9", "sdg-9") into topic slugs."""
    slugs: list[str] = []
    for raw in topics:
        text = str(raw).strip()
        if not text:
            continue
        match = _SDG_RE.match(text)
        if match:
            number = int(match.group(1))
            if number not in SDG_TITLES:
                raise InvalidInput(
                    _("There is no SDG %(number)s; the goals are numbered 1 to 17.")
                    % {"number": number}
                )
            slug = sdg_slug(number)
        else:
            slug = slugify(text)[:40].strip("-")
            if not slug:
                raise InvalidInput(
                    _("Topic '%(text)s' has no letters or digits.") % {"text": text[:40]}
                )
        if slug not in slugs:
            slugs.append(slug)
    if len(slugs) > MAX_TOPICS:
        raise InvalidInput(
            _("At most %(max_topics)s topics per issue.") % {"max_topics": MAX_TOPICS}
        )
    return slugs


def _topics(slugs: list[str]) -> list[Topic]:
    existing = {t.slug: t for t in Topic.objects.filter(slug__in=slugs)}
    result = []
    for slug in slugs:
        topic = existing.get(slug)
        if topic is None:
            if slug.startswith("sdg-") and slug[4:].isdigit():
                topic = Topic.objects.create(slug=slug, label=sdg_label(int(slug[4:])), is_sdg=True)
            else:
                topic = Topic.objects.create(slug=slug, label=slug.replace("-", " "))
        result.append(topic)
    return result


def topics_from_slugs(slugs: list[str]) -> list[Topic]:
    """The topics of these (normalized) slugs, made when new; for services of other apps."""
    return _topics(slugs)


def _clean_text(title: str, description: str) -> tuple[str, str]:
    title = " ".join((title or "").split())
    description = (description or "").strip()
    if not title:
        raise InvalidInput(_("An issue needs a title."))
    if len(title) > MAX_TITLE:
        raise InvalidInput(
            _("The title is %(length)s characters; the limit is %(max_title)s.")
            % {"length": len(title), "max_title": MAX_TITLE}
        )
    if not description:
        raise InvalidInput(_("An issue needs a description of the concern."))
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(
            _("The description is limited to %(max_description)s characters.")
            % {"max_description": MAX_DESCRIPTION}
        )
    return title, description


def issue_language(language: str | None) -> str:
    """The language an issue is written in: one of the six (``settings.LANGUAGES``).

    None or "" is the author's interface language (their chosen one, else their browser's).
    """
    codes = [code for code, _name in settings.LANGUAGES]
    if not language:
        try:
            return get_supported_language_variant(translation.get_language() or "")
        except LookupError:
            return str(settings.LANGUAGE_CODE)
    if language not in codes:
        raise InvalidInput(
            _("Unknown language '%(language)s'; choose one of %(choices)s.")
            % {"language": language[:20], "choices": ", ".join(codes)}
        )
    return language


def raise_issue(
    user: AnyUser,
    forum: Forum,
    *,
    title: str,
    description: str,
    topics: Sequence[str] = (),
    language: str | None = None,
) -> Issue:
    """A member raises an issue of concern in the forum's open cycle.

    Allowed during the call for issues and agenda setting. The six per-group
    tally columns start at zero; supports only ever update them.
    """
    title, description = _clean_text(title, description)
    slugs = normalize_topics(topics)
    language = issue_language(language)
    with transaction.atomic():
        # The row lock serializes a member's concurrent raises, so the limit holds exactly.
        membership = require_member(user, forum, lock=True)
        cycle = open_cycle_of(forum)
        require_phase(cycle, "raise_issue")
        consume_rate_limit(membership, "issues_per_hour")
        now = timezone.now()
        issue = Issue.objects.create(
            cycle=cycle,
            forum=forum,
            author=membership,
            title=title,
            description=description,
            description_html=render_markdown(description),
            language=language,
            raised_at=now,
            updated_at=now,
        )
        issue.topics.set(_topics(slugs))
        Cycle.objects.filter(pk=cycle.pk).update(tally_version=F("tally_version") + 1)
        follow(membership, issue)  # raising or supporting follows it
        append(events.issue_raised(issue, membership, slugs, now))
    return issue


def edit_issue(
    user: AnyUser,
    issue: Issue,
    *,
    title: str,
    description: str,
    topics: Sequence[str] = (),
    language: str | None = None,
) -> Issue:
    """The author edits their own issue while the cycle still takes issues (``language``:
    None keeps the issue's)."""
    title, description = _clean_text(title, description)
    slugs = normalize_topics(topics)
    language = issue.language if language is None else issue_language(language)
    with transaction.atomic():
        membership = require_member(user, issue.forum)
        require_issue_author(membership, issue)
        require_phase(issue.cycle, "edit_issue")
        issue.title = title
        issue.description = description
        issue.description_html = render_markdown(description)
        issue.language = language
        issue.updated_at = timezone.now()
        issue.save(
            update_fields=["title", "description", "description_html", "language", "updated_at"]
        )
        issue.topics.set(_topics(slugs))
        append(events.issue_edited(issue, membership, slugs))
    return issue


def _share_unmerged(issue: Issue) -> None:
    """Hold the issue against a merge for this support change, and refuse a merged issue.

    A merge (network app) locks both issues' rows FOR UPDATE and moves their supports.
    FOR KEY SHARE conflicts with that lock but not with other supports' key-share locks
    nor with their tally updates: supports of one issue no longer wait for one another
    here, and a support lands either before a merge (and moves with it) or after it (and
    is refused here, since the locking read returns the merged row).
    """
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Issue._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT merged_into_id FROM {table} WHERE id = %s FOR KEY SHARE", [issue.pk]
            )
            row = cursor.fetchone()
        issue.merged_into_id = row[0] if row else None
    else:  # SQLite runs one writer at a time: the transaction's own read is enough
        issue.merged_into_id = (
            Issue.objects.filter(pk=issue.pk).values_list("merged_into_id", flat=True).first()
        )
    require_not_merged(issue)


def _count(issue: Issue, group: str, delta: int, active_changed: bool, member_id: int) -> None:
    """Apply a support change to the tallies, at the end of its transaction.

    The issue's row is the one row every support of the issue updates, so it is updated
    at the very end and held only until the commit; the cycle-wide counters are sharded
    (commonground.issues.tallies). F() expressions make the database do the arithmetic:
    no read-modify-write race, so concurrent supports never lose a count.
    """
    if active_changed:
        add_active(issue.cycle_id, group, member_id, delta)
    column = TALLY_FIELDS[group]
    updated = Issue.objects.filter(pk=issue.pk, merged_into__isnull=True).update(
        support_count=F("support_count") + delta, **{column: F(column) + delta}
    )
    if not updated:  # merged since the check (SQLite); never on PostgreSQL's key share
        require_not_merged(Issue.objects.only("id", "merged_into").get(pk=issue.pk))
    bump_version(issue.cycle_id, issue.pk)


def _support_orm(user: AnyUser, issue: Issue) -> tuple[Support, bool]:
    """``support_issue`` through the ORM: on SQLite, and where the hand-written path
    declines (a refusal, whose exact reason the access layer gives here)."""
    with transaction.atomic():
        membership = require_member(user, issue.forum, lock=True)
        _share_unmerged(issue)
        # The member's supports in this cycle, one query: whether this one exists, and
        # whether it is their first (they join their group's active supporters).
        supported = set(
            Support.objects.filter(membership=membership, cycle_id=issue.cycle_id).values_list(
                "issue_id", flat=True
            )
        )
        if issue.pk in supported:
            return Support.objects.get(issue=issue, membership=membership), False
        require_phase(issue.cycle, "support_issue")
        group = membership.stakeholder_group
        # No savepoint around the insert: the member's row lock and the issue's key share
        # exclude every other way this (issue, member) row could appear meanwhile.
        support = Support.objects.create(
            issue=issue, membership=membership, cycle_id=issue.cycle_id, stakeholder_group=group
        )
        follow(membership, issue)  # raising or supporting follows it
        _count(issue, group, +1, not supported, membership.pk)
        # After the tallies: the entry also renews the issue's read-cache token, one more
        # row every support of the issue writes, so it too is held only until the commit.
        append(
            events.support_added(issue.pk, membership, group, issue.forum.slug, support.created_at)
        )
    return support, True


def _withdraw_orm(user: AnyUser, issue: Issue) -> bool:
    """``withdraw_support`` through the ORM (as ``_support_orm``)."""
    with transaction.atomic():
        membership = require_member(user, issue.forum, lock=True)
        _share_unmerged(issue)
        supported = dict(
            Support.objects.filter(membership=membership, cycle_id=issue.cycle_id).values_list(
                "issue_id", "stakeholder_group"
            )
        )
        group = supported.pop(issue.pk, None)
        if group is None:
            return False
        require_phase(issue.cycle, "withdraw_support")
        Support.objects.filter(issue=issue, membership=membership).delete()
        _count(issue, group, -1, not supported, membership.pk)
        # Last, as for a support.
        append(events.support_withdrawn(issue.pk, membership, group, issue.forum.slug))
    return True


class _Held(NamedTuple):
    """What the hand-written path knows of a member and an issue it holds."""

    membership: Membership
    cycle_id: int
    forum: str


def _held(user: AnyUser, issue_id: int, action: str) -> _Held | None:
    """PostgreSQL's hand-written path: the acting member and the issue, both locked in one
    statement, when the access rules let the member take ``action`` on it now; None
    otherwise (not a member, suspended, wrong phase, merged, no such issue), and the ORM
    path then gives the access layer's exact answer. Only the membership and the cycle
    are built as objects (what the access rules read): building the forum and the issue
    too cost as much CPU as the statement."""
    if connection.vendor != "postgresql" or not user.is_authenticated:
        return None
    row = support_sql.lock(user.pk, issue_id)
    if row is None:
        return None
    member_id, status, group, forum_id, slug, _name, cycle_id, cycle_name, is_open, phase = row[:10]
    # Built as ``Membership(...)`` and ``Cycle(...)`` would build them, without __init__.
    membership = rows.unsaved(
        Membership, id=member_id, forum_id=forum_id, status=status, stakeholder_group=group
    )
    membership.user = user  # authenticated: a User
    cycle = rows.unsaved(
        Cycle, id=cycle_id, forum_id=forum_id, name=cycle_name, is_open=is_open, phase=phase
    )
    if not can_take_part(membership) or not can_act_in_phase(cycle, action):
        return None
    if row[10] is not None:  # merged into another issue
        return None
    return _Held(membership, cycle_id, slug)


def _also(event: Event) -> list[tuple[str, Any]]:
    """With batched sequencing, the writes that record the change in its own statement
    (``support_sql``): the read versions and the ledger's pending entry, each written only
    when the statement's change happened. Inline sequencing appends after the statement,
    under the ledger head's lock, as every write does."""
    if not sequencer.batched():
        return []
    also = [pending_statement([event], when=support_sql.CHANGED)]
    bump = readcache.bump_statement([event], when=support_sql.CHANGED)
    return [*also, bump] if bump is not None else also  # the issue's hot row after


def _wait(event: Event) -> tuple[str, Any] | None:
    """With batched sequencing, the lock of the issue's read version, taken first in the
    change statement's message (``support_sql``, ``wait``)."""
    return readcache.lock_statement([event]) if sequencer.batched() else None


def _counted(done: support_sql.Counted, issue: Issue) -> None:
    """The caller's issue object shows the counts the statement returned."""
    issue.support_count = done.total
    for name, count in done.by_group.items():
        setattr(issue, TALLY_FIELDS[name], count)


COUNTS_AFTER = "_counts_after"


def counts_after(support: Support) -> tuple[int, dict[str, int]] | None:
    """The issue's support count and count per group right after ``support_issue`` made or
    found this support, when the hand-written path read them with its change (so the
    answer needs no query of its own); None otherwise."""
    found: tuple[int, dict[str, int]] | None = getattr(support, COUNTS_AFTER, None)
    return found


def _issue(issue: Issue | int) -> Issue:
    return issue if isinstance(issue, Issue) else get_issue_to_act_on(issue)


@retry_on_deadlock()
@support_sql.with_shards
def support_issue(user: AnyUser, issue: Issue | int) -> tuple[Support, bool]:
    """Draw attention to an issue (or the issue with this id): one support per participant,
    idempotent.

    Returns the support and whether it is new. The membership row lock serialises a
    member's own concurrent supports, so the check for an existing support and the count
    of active members stay exact; the unique constraint backs it. Supports of other
    members wait for nothing but the issue's tally update at the end (docs/scaling.md).
    On PostgreSQL two hand-written statements do it (``support_sql``; issue 19), with the
    same locks, rules, tallies and ledger entry as the ORM path.
    """
    issue_id = issue if isinstance(issue, int) else issue.pk
    if connection.vendor != "postgresql":
        return _support_orm(user, _issue(issue))
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        held = _held(user, issue_id, "support_issue")
        if held is None:
            return _support_orm(user, _issue(issue))
        membership = held.membership
        group, now = membership.stakeholder_group, timezone.now()
        event = events.support_added(issue_id, membership, group, held.forum, now)
        batched = sequencer.batched()
        done = support_sql.add_counted(
            issue_id, membership.pk, held.cycle_id, group, now, _also(event),
            commit=batched and outermost, wait=_wait(event),
        )  # fmt: skip
        if done.changed and not batched:
            append(event)
    if done.changed:
        support = rows.unsaved(
            Support, id=done.support_id, issue_id=issue_id, membership_id=membership.pk,
            cycle_id=held.cycle_id, stakeholder_group=group, created_at=now,
        )  # fmt: skip
        support.membership = membership  # as Support(membership=...) sets it
    elif done.existing_id is not None:  # supported already: nothing was written
        support = Support.objects.get(pk=done.existing_id)
    else:  # not found, yet not inserted: the ORM path says why (never seen)
        return _support_orm(user, _issue(issue))
    setattr(support, COUNTS_AFTER, (done.total, done.by_group))
    if isinstance(issue, Issue):
        _counted(done, issue)
    return support, done.changed


@retry_on_deadlock()
@support_sql.with_shards
def withdraw_support(user: AnyUser, issue: Issue | int) -> bool:
    """Withdraw one's support (of the issue, or the issue with this id); returns False when
    there was none to withdraw. On PostgreSQL, hand-written as ``support_issue``."""
    issue_id = issue if isinstance(issue, int) else issue.pk
    if connection.vendor != "postgresql":
        return _withdraw_orm(user, _issue(issue))
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        held = _held(user, issue_id, "withdraw_support")
        if held is None:
            return _withdraw_orm(user, _issue(issue))
        membership = held.membership
        # The support was counted in the member's group unless that group changed since;
        # the statement deletes it only if so (the entry records that group).
        group = membership.stakeholder_group
        event = events.support_withdrawn(issue_id, membership, group, held.forum)
        batched = sequencer.batched()
        done = support_sql.remove_counted(
            issue_id, membership.pk, held.cycle_id, group, _also(event),
            commit=batched and outermost, wait=_wait(event),
        )  # fmt: skip
        if done.changed and not batched:
            append(event)
    if not done.changed:
        if done.existing_group is None:
            return False
        # Made when the member was in another group: nothing was written; the ORM path
        # withdraws it with the group it was counted in.
        return _withdraw_orm(user, _issue(issue))
    if isinstance(issue, Issue):
        _counted(done, issue)
    return True
