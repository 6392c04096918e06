"""State changes of contributions and their moderation.

Every function validates, authorizes (forum membership through
``access.members.require_member``, the stakeholder-group role where one is
needed), writes inside ``transaction.atomic()`` and appends one ledger event in
the same transaction. Role refusals name the role required.

Contributions are allowed in every phase while the forum's cycle is open
(docs/process.md, step 2, puts no phase limit on them); a closed cycle refuses them.
Signals carry no weight in recognition: nothing here touches the tallies.

Creating, editing and reporting count against the named rate limits of
``notifications.limits`` (429 past one). Ledger entries carry free text only as
SHA-256 digests (``text_digests``), so hiding a contribution withdraws its text
from every public surface while the ledger stays verifiable.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from commonground.access.members import AnyUser, require_member, require_steward
from commonground.contributions import moderation
from commonground.contributions.models import (
    Advice,
    AdviceRevision,
    Comment,
    ContributionSettings,
    Feasibility,
    Kind,
    ModerationAction,
    Priority,
    Report,
    ReportReason,
    Resolution,
    Signal,
    Solution,
    Stance,
)
from commonground.core.errors import (
    Conflict,
    InvalidInput,
    NotAllowed,
    NotFound,
    WrongPhase,
)
from commonground.core.markdown import render_markdown
from commonground.forums import forum_settings
from commonground.forums.models import Forum
from commonground.issues.models import Issue
from commonground.ledger.services import Event, append
from commonground.notifications import limits
from commonground.notifications import services as notifications
from commonground.participants.models import Membership
from commonground.stakeholders import GROUP_LABELS, GROUPS, region_of

SIGNAL_GROUPS: tuple[str, ...] = ("government", "intergovernmental")
ADVICE_GROUPS: tuple[str, ...] = ("academic_technical", "internet_institution")
SIGNAL_ROLE = "government and intergovernmental members"
ADVICE_ROLE = "academic & technical community and Internet institution members"

MAX_JURISDICTION = 40
MAX_STATEMENT = 5000
MAX_TITLE = 200
MAX_DESCRIPTION = 10_000
MAX_ACTORS = 12
MAX_ACTOR = 120
MAX_ADVICE_TEXT = 3000
MAX_EVIDENCE = 10
MAX_URL = 500
MAX_COMMENT = 5000
MAX_NOTE = 500
MAX_REASON = 500

_ACRONYM = re.compile(r"^[A-Za-z][A-Za-z0-9&.\- ]{1,39}$")
_url = URLValidator(schemes=["http", "https"])

MODELS: dict[str, type[Signal | Solution | Advice | Comment]] = {
    Kind.SIGNAL: Signal,
    Kind.SOLUTION: Solution,
    Kind.ADVICE: Advice,
    Kind.COMMENT: Comment,
}


# ---------------------------------------------------------------- settings


def settings_of(forum: Forum) -> ContributionSettings:
    """The forum's contribution settings; the defaults (unsaved) when never edited."""
    found = ContributionSettings.objects.filter(forum=forum).first()
    return found if found is not None else ContributionSettings(forum=forum)


def update_settings(
    user: AnyUser, forum: Forum, *, verified_required: bool, report_threshold: int
) -> ContributionSettings:
    """A steward changes whether signals and advice need a verified group, and the threshold
    (through the forum's one settings service, ``forums.forum_settings``)."""
    forum_settings.update_settings(
        user,
        forum,
        {
            "verified_required_for_signals_and_advice": bool(verified_required),
            "report_threshold": report_threshold,
        },
    )
    return settings_of(forum)


# ---------------------------------------------------------------- shared checks


def _require_open(issue: Issue) -> None:
    if not issue.cycle.is_open:
        raise WrongPhase(f"The cycle {issue.cycle.name} is closed; it takes no contributions.")


def _require_role(
    membership: Membership, forum: Forum, groups: tuple[str, ...], role: str, verb: str
) -> None:
    if membership.stakeholder_group not in groups:
        raise NotAllowed(f"Only {role} can {verb}.")
    if settings_of(forum).verified_required_for_signals_and_advice and not membership.verified:
        raise NotAllowed(
            f"Only {role} whose stakeholder group is verified can {verb} in {forum.name}."
        )


def _require_author(membership: Membership, item: Any, what: str) -> None:
    if item.author_id != membership.pk:
        raise NotAllowed(f"Only the author can change this {what}.")


def _text(value: str | None, name: str, limit: int, *, required: bool = True) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        raise InvalidInput(f"The {name} must not contain NUL characters.")
    if required and not text:
        raise InvalidInput(f"The {name} is required.")
    if len(text) > limit:
        raise InvalidInput(f"The {name} is {len(text)} characters; the limit is {limit:,}.")
    return text


def visible_to(item: Any, membership: Membership | None) -> bool:
    """Hidden contributions are seen only by their author and the forum's stewards."""
    if not item.hidden:
        return True
    return membership is not None and (membership.is_steward or item.author_id == membership.pk)


def text_digests(**texts: str | Sequence[str]) -> dict[str, str]:
    """Ledger fields that commit to free text by digest: ``name`` becomes ``name_sha256``.

    The value is the lowercase hex SHA-256 of the text's UTF-8 bytes; a list of texts
    (actors, evidence links) is first written as a compact JSON array
    (``ensure_ascii=False``, separators ``,`` and ``:``). The ledger is public and
    permanent, while moderation must be able to withdraw a contribution's text: a digest
    lets anyone holding the text check it against the ledger without the ledger
    publishing it (docs/ledger.md, "Free text by digest").
    """
    fields: dict[str, str] = {}
    for name, value in texts.items():
        if not isinstance(value, str):
            value = json.dumps(list(value), ensure_ascii=False, separators=(",", ":"))
        fields[f"{name}_sha256"] = hashlib.sha256(value.encode("utf-8")).hexdigest()
    return fields


def _actor(membership: Membership) -> str:
    return membership.user.public_id


def _record(
    membership: Membership,
    action: str,
    object_type: str,
    object_id: int,
    forum: str,
    fields: dict[str, Any],
    time: datetime | None = None,
) -> None:
    """Append the ledger entry of a member's contribution change (in its transaction)."""
    actor = _actor(membership)
    append(
        Event(action, object_type, object_id, actor=actor, forum=forum, fields=fields, time=time)
    )


def _issue_locked(issue: Issue) -> Issue:
    return Issue.objects.select_related("cycle", "forum").get(pk=issue.pk)


# ---------------------------------------------------------------- following


def _notify(issue: Issue, actor: Membership, kind: str, pk: int, verb: str) -> None:
    """Tell the issue's followers (not the actor) about a new contribution; the actor follows."""
    group = GROUP_LABELS.get(actor.stakeholder_group, actor.stakeholder_group)
    text = f"{actor.user.public_name} ({group}) {verb} on “{issue.title}”"
    notifications.notify_followers(issue, actor, kind=kind, object_id=pk, text=text)


# ---------------------------------------------------------------- signals


def _clean_signal(
    membership: Membership, jurisdiction: str, priority: str, statement: str
) -> tuple[str, str, str]:
    code = _text(jurisdiction, "jurisdiction", MAX_JURISDICTION)
    if membership.stakeholder_group == "government":
        code = code.upper()
        if region_of(code) is None:
            raise InvalidInput(
                f"'{code[:40]}' is not a country: a government signals for an ISO 3166-1 "
                "alpha-2 country code, e.g. KE."
            )
    elif not _ACRONYM.match(code):
        raise InvalidInput(
            "The jurisdiction is the organization's acronym (letters, digits, spaces, '&', "
            "'.' or '-'), e.g. ITU."
        )
    if priority not in Priority.values:
        raise InvalidInput(f"Unknown priority '{priority}'; choose one of {', '.join(Priority)}.")
    return code, priority, _text(statement, "statement", MAX_STATEMENT)


def signal_concern(
    user: AnyUser, issue: Issue, *, jurisdiction: str, priority: str, statement: str
) -> Signal:
    """A government or IGO member formally signals concern about an issue (one per issue)."""
    with transaction.atomic():
        issue = _issue_locked(issue)
        membership = require_member(user, issue.forum, lock=True)
        _require_role(membership, issue.forum, SIGNAL_GROUPS, SIGNAL_ROLE, "signal concern")
        _require_open(issue)
        code, priority, statement = _clean_signal(membership, jurisdiction, priority, statement)
        if Signal.objects.filter(issue=issue, author=membership).exists():
            raise Conflict("You have signalled concern about this issue already; edit it instead.")
        limits.consume(membership, "signals_per_hour")
        try:
            with transaction.atomic():
                signal = Signal.objects.create(
                    issue=issue,
                    forum=issue.forum,
                    author=membership,
                    jurisdiction=code,
                    priority=priority,
                    statement=statement,
                    statement_html=render_markdown(statement),
                )
        except IntegrityError:
            raise Conflict("You have signalled concern about this issue already.") from None
        _record(
            membership,
            "signal.add",
            "signal",
            signal.pk,
            issue.forum.slug,
            {
                "issue": issue.pk,
                "jurisdiction": code,
                "priority": priority,
                **text_digests(statement=statement),
                "stakeholder_group": membership.stakeholder_group,
            },
            time=signal.created_at,
        )
        _notify(issue, membership, Kind.SIGNAL, signal.pk, f"signalled concern ({code})")
    return signal


def edit_signal(
    user: AnyUser, signal: Signal, *, jurisdiction: str, priority: str, statement: str
) -> Signal:
    """The author changes their signal."""
    with transaction.atomic():
        membership = require_member(user, signal.forum, lock=True)
        signal = Signal.objects.select_for_update().select_related("issue__cycle").get(pk=signal.pk)
        _require_author(membership, signal, "signal")
        _require_role(membership, signal.forum, SIGNAL_GROUPS, SIGNAL_ROLE, "signal concern")
        _require_open(signal.issue)
        code, priority, statement = _clean_signal(membership, jurisdiction, priority, statement)
        limits.consume(membership, "edits_per_hour")
        signal.jurisdiction, signal.priority, signal.statement = code, priority, statement
        signal.statement_html = render_markdown(statement)
        signal.updated_at = timezone.now()
        signal.save()
        _record(
            membership,
            "signal.edit",
            "signal",
            signal.pk,
            signal.forum.slug,
            {"jurisdiction": code, "priority": priority, **text_digests(statement=statement)},
        )
    return signal


def withdraw_signal(user: AnyUser, signal: Signal) -> None:
    """The author withdraws their signal; the row goes (the ledger keeps the history)."""
    with transaction.atomic():
        signal = Signal.objects.select_for_update().select_related("issue__cycle").get(pk=signal.pk)
        membership = require_member(user, signal.forum)
        _require_author(membership, signal, "signal")
        _require_open(signal.issue)
        pk, issue_id, forum_slug = signal.pk, signal.issue_id, signal.forum.slug
        Report.objects.filter(kind=Kind.SIGNAL, object_id=pk).delete()
        signal.delete()
        _record(membership, "signal.withdraw", "signal", pk, forum_slug, {"issue": issue_id})


# ---------------------------------------------------------------- solutions


def _clean_solution(
    title: str, description: str, actors: Sequence[str]
) -> tuple[str, str, list[str]]:
    title = " ".join(_text(title, "title", MAX_TITLE).split())
    description = _text(description, "description", MAX_DESCRIPTION)
    cleaned: list[str] = []
    for raw in actors or ():
        actor = " ".join(str(raw).split())
        if not actor:
            continue
        if len(actor) > MAX_ACTOR or "\x00" in actor:
            raise InvalidInput(f"An actor is at most {MAX_ACTOR} characters.")
        if actor not in cleaned:
            cleaned.append(actor)
    if len(cleaned) > MAX_ACTORS:
        raise InvalidInput(f"At most {MAX_ACTORS} actors per solution.")
    return title, description, cleaned


def propose_solution(
    user: AnyUser, issue: Issue, *, title: str, description: str, actors: Sequence[str] = ()
) -> Solution:
    """Any member proposes an envisaged solution to an issue."""
    with transaction.atomic():
        issue = _issue_locked(issue)
        membership = require_member(user, issue.forum, lock=True)
        _require_open(issue)
        title, description, actors = _clean_solution(title, description, actors)
        limits.consume(membership, "solutions_per_hour")
        solution = Solution.objects.create(
            issue=issue,
            forum=issue.forum,
            author=membership,
            title=title,
            description=description,
            description_html=render_markdown(description),
            actors=actors,
        )
        _record(
            membership,
            "solution.propose",
            "solution",
            solution.pk,
            issue.forum.slug,
            {
                "issue": issue.pk,
                **text_digests(title=title, description=description, actors=actors),
                "stakeholder_group": membership.stakeholder_group,
            },
            time=solution.created_at,
        )
        _notify(issue, membership, Kind.SOLUTION, solution.pk, "proposed a solution")
    return solution


def edit_solution(
    user: AnyUser, solution: Solution, *, title: str, description: str, actors: Sequence[str] = ()
) -> Solution:
    """The author changes their solution."""
    with transaction.atomic():
        membership = require_member(user, solution.forum, lock=True)
        solution = (
            Solution.objects.select_for_update().select_related("issue__cycle").get(pk=solution.pk)
        )
        _require_author(membership, solution, "solution")
        _require_open(solution.issue)
        title, description, actors = _clean_solution(title, description, actors)
        limits.consume(membership, "edits_per_hour")
        solution.title, solution.description, solution.actors = title, description, actors
        solution.description_html = render_markdown(description)
        solution.updated_at = timezone.now()
        solution.save()
        _record(
            membership,
            "solution.edit",
            "solution",
            solution.pk,
            solution.forum.slug,
            text_digests(title=title, description=description, actors=actors),
        )
    return solution


# ---------------------------------------------------------------- advice


def _clean_advice(
    feasibility: str,
    conditions: str,
    benefits: str,
    risks: str,
    affected_groups: Sequence[str],
    evidence: Sequence[str],
) -> dict[str, Any]:
    if feasibility not in Feasibility.values:
        raise InvalidInput(
            f"Unknown feasibility '{feasibility}'; choose one of {', '.join(Feasibility)}."
        )
    groups = set()
    for group in affected_groups or ():
        if group not in GROUPS:
            raise InvalidInput(f"Unknown stakeholder group '{str(group)[:40]}' among the affected.")
        groups.add(group)
    links: list[str] = []
    for raw in evidence or ():
        link = str(raw).strip()
        if not link:
            continue
        if len(link) > MAX_URL:
            raise InvalidInput(f"An evidence link is at most {MAX_URL} characters.")
        try:
            _url(link)
        except ValidationError:
            raise InvalidInput(
                f"'{link[:80]}' is not an http(s) address; evidence is a list of links."
            ) from None
        if link not in links:
            links.append(link)
    if len(links) > MAX_EVIDENCE:
        raise InvalidInput(f"At most {MAX_EVIDENCE} evidence links.")
    return {
        "feasibility": feasibility,
        "conditions": _text(conditions, "conditions", MAX_ADVICE_TEXT, required=False),
        "benefits": _text(benefits, "benefits", MAX_ADVICE_TEXT, required=False),
        "risks": _text(risks, "risks", MAX_ADVICE_TEXT, required=False),
        "affected_groups": [g for g in GROUPS if g in groups],
        "evidence": links,
    }


def _solution_for(membership: Membership, solution: Solution) -> Solution:
    solution = Solution.objects.select_related("issue__cycle", "forum").get(pk=solution.pk)
    if not visible_to(solution, membership):
        raise NotFound("There is no such solution.")
    return solution


def advice_ledger_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The advice's ledger fields: ratings and groups as they are, free text by digest."""
    return {
        "feasibility": fields["feasibility"],
        "affected_groups": fields["affected_groups"],
        **text_digests(
            conditions=fields["conditions"],
            benefits=fields["benefits"],
            risks=fields["risks"],
            evidence=fields["evidence"],
        ),
    }


def give_advice(
    user: AnyUser,
    solution: Solution,
    *,
    feasibility: str,
    conditions: str = "",
    benefits: str = "",
    risks: str = "",
    affected_groups: Sequence[str] = (),
    evidence: Sequence[str] = (),
) -> Advice:
    """A technical advisor assesses a solution (one advice per advisor per solution)."""
    with transaction.atomic():
        membership = require_member(user, solution.forum, lock=True)
        solution = _solution_for(membership, solution)
        _require_role(
            membership, solution.forum, ADVICE_GROUPS, ADVICE_ROLE, "give technical advice"
        )
        _require_open(solution.issue)
        fields = _clean_advice(feasibility, conditions, benefits, risks, affected_groups, evidence)
        if Advice.objects.filter(solution=solution, author=membership).exists():
            raise Conflict("You have advised on this solution already; revise your advice instead.")
        limits.consume(membership, "advice_per_hour")
        try:
            with transaction.atomic():
                advice = Advice.objects.create(
                    solution=solution, forum=solution.forum, author=membership, **fields
                )
        except IntegrityError:
            raise Conflict("You have advised on this solution already.") from None
        AdviceRevision.objects.create(
            advice=advice, number=1, created_at=advice.created_at, **fields
        )
        _record(
            membership,
            "advice.give",
            "advice",
            advice.pk,
            solution.forum.slug,
            {
                "solution": solution.pk,
                **advice_ledger_fields(fields),
                "stakeholder_group": membership.stakeholder_group,
            },
            time=advice.created_at,
        )
        _notify(solution.issue, membership, Kind.ADVICE, advice.pk, "gave technical advice")
    return advice


def revise_advice(
    user: AnyUser,
    advice: Advice,
    *,
    feasibility: str,
    conditions: str = "",
    benefits: str = "",
    risks: str = "",
    affected_groups: Sequence[str] = (),
    evidence: Sequence[str] = (),
) -> Advice:
    """The advisor revises their advice; every version is kept as an AdviceRevision."""
    with transaction.atomic():
        membership = require_member(user, advice.forum, lock=True)
        advice = (
            Advice.objects.select_for_update()
            .select_related("solution__issue__cycle")
            .get(pk=advice.pk)
        )
        _require_author(membership, advice, "advice")
        _require_role(membership, advice.forum, ADVICE_GROUPS, ADVICE_ROLE, "give technical advice")
        _require_open(advice.solution.issue)
        fields = _clean_advice(feasibility, conditions, benefits, risks, affected_groups, evidence)
        limits.consume(membership, "edits_per_hour")
        now = timezone.now()
        for name, value in fields.items():
            setattr(advice, name, value)
        advice.revision_count += 1
        advice.updated_at = now
        advice.save()
        AdviceRevision.objects.create(
            advice=advice, number=advice.revision_count, created_at=now, **fields
        )
        _record(
            membership,
            "advice.revise",
            "advice",
            advice.pk,
            advice.forum.slug,
            {"revision": advice.revision_count, **advice_ledger_fields(fields)},
            time=now,
        )
    return advice


# ---------------------------------------------------------------- comments


def _clean_comment(body: str, stance: str | None) -> tuple[str, str]:
    body = _text(body, "comment", MAX_COMMENT)
    stance = stance or ""
    if stance and stance not in Stance.values:
        raise InvalidInput(f"Unknown stance '{stance[:20]}'; choose one of {', '.join(Stance)}.")
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
        raise InvalidInput("A comment is on an issue or on a solution.")
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
                raise InvalidInput(f"There is no comment {parent_id} to reply to.")
            if parent_comment.issue_id != issue.pk or parent_comment.solution_id != (
                solution.pk if solution else None
            ):
                raise InvalidInput("A reply must be on the same issue or solution as its parent.")
            if parent_comment.parent_id is not None:
                raise InvalidInput("Reply to the top-level comment: threads are one level deep.")
            if parent_comment.is_deleted:
                raise InvalidInput("That comment was deleted; it takes no more replies.")
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
        _record(
            membership,
            "comment.add",
            "comment",
            comment.pk,
            issue.forum.slug,
            {
                "issue": issue.pk,
                "solution": solution.pk if solution else None,
                "parent": parent_comment.pk if parent_comment else None,
                **text_digests(body=body),
                "stance": stance or None,
                "stakeholder_group": membership.stakeholder_group,
            },
            time=comment.created_at,
        )
        _notify(issue, membership, Kind.COMMENT, comment.pk, "commented")
    return comment


def _own_comment(user: AnyUser, comment: Comment) -> tuple[Membership, Comment]:
    membership = require_member(user, comment.forum, lock=True)
    comment = Comment.objects.select_for_update().select_related("issue__cycle").get(pk=comment.pk)
    _require_author(membership, comment, "comment")
    if comment.is_deleted:
        raise Conflict("This comment was deleted.")
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
        _record(
            membership,
            "comment.edit",
            "comment",
            comment.pk,
            comment.forum.slug,
            {**text_digests(body=body), "stance": stance or None},
        )
    return comment


def delete_comment(user: AnyUser, comment: Comment) -> Comment:
    """The author deletes their comment: the row stays (the thread shows "deleted"), text goes."""
    with transaction.atomic():
        membership, comment = _own_comment(user, comment)
        comment.body = comment.body_html = comment.stance = ""
        comment.deleted_at = comment.updated_at = timezone.now()
        comment.save()
        _record(membership, "comment.delete", "comment", comment.pk, comment.forum.slug, {})
    return comment


# ---------------------------------------------------------------- moderation


def get_item(kind: str, pk: int) -> Any:
    """The contribution of this kind and id, or NotFound."""
    model = MODELS.get(kind)
    if model is None:
        raise NotFound(f"Unknown kind of contribution '{kind[:20]}'.")
    item = model.objects.select_related("forum", "author__user").filter(pk=pk).first()
    if item is None:
        raise NotFound(f"There is no {Kind(kind).label.lower()} {pk}.")
    return item


def issue_id_of(kind: str, item: Any) -> int:
    return int(item.solution.issue_id if kind == Kind.ADVICE else item.issue_id)


def _set_hidden(
    kind: str, item: Any, hidden: bool, reason: str, steward: Membership | None
) -> ModerationAction:
    now = timezone.now()
    type(item).objects.filter(pk=item.pk).update(
        hidden=hidden, hidden_at=now if hidden else None, hidden_reason=reason if hidden else ""
    )
    item.hidden, item.hidden_at, item.hidden_reason = hidden, now if hidden else None, reason
    action = ModerationAction.objects.create(
        forum_id=item.forum_id,
        kind=kind,
        object_id=item.pk,
        issue_id=issue_id_of(kind, item),
        action=ModerationAction.Action.HIDE if hidden else ModerationAction.Action.RESTORE,
        automatic=steward is None,
        reason=reason,
        steward=steward,
        created_at=now,
    )
    append(
        Event(
            "moderation.hide" if hidden else "moderation.restore",
            kind,
            item.pk,
            actor=steward.user.public_id if steward else None,
            forum=item.forum.slug,
            time=now,
            fields={"reason": reason, "automatic": steward is None},
        )
    )
    return action


def report(
    user: AnyUser, kind: str, item: Any, *, reason: str, note: str = ""
) -> tuple[Report, bool]:
    """A member reports a contribution; returns the report and whether it hid the item.

    One report per member per item. When the distinct reporters reach the forum's
    threshold the item is hidden automatically (once: after a steward restores
    it, further reports do not hide it again; the steward can). The ledger
    records the report without the reporter, who is never shown publicly.
    """
    if reason not in ReportReason.values:
        raise InvalidInput(
            f"Unknown reason '{reason[:20]}'; choose one of {', '.join(ReportReason)}."
        )
    note = _text(note, "note", MAX_NOTE, required=False)
    with transaction.atomic():
        model = MODELS[kind]
        membership = require_member(user, item.forum, lock=True)
        item = model.objects.select_for_update().select_related("forum").get(pk=item.pk)
        if not visible_to(item, membership):
            raise NotFound("There is no such contribution.")
        if item.author_id == membership.pk:
            raise InvalidInput("You cannot report your own contribution.")
        if isinstance(item, Comment) and item.is_deleted:
            raise InvalidInput("This comment was deleted.")
        limits.consume(membership, "reports_per_hour")
        try:
            with transaction.atomic():
                created = Report.objects.create(
                    forum_id=item.forum_id,
                    kind=kind,
                    object_id=item.pk,
                    reporter=membership,
                    reason=reason,
                    note=note,
                )
        except IntegrityError:
            raise Conflict("You have reported this already.") from None
        append(
            Event(
                "report.add",
                kind,
                item.pk,
                actor=None,
                forum=item.forum.slug,
                time=created.created_at,
                fields={"reason": reason},
            )
        )
        issue = Issue.objects.get(pk=issue_id_of(kind, item))
        moderation.tell_stewards(kind, item, issue, reason, hidden=False)
        hid = False
        count = Report.objects.filter(kind=kind, object_id=item.pk).count()
        threshold = settings_of(item.forum).report_threshold
        if not item.hidden and count == threshold:
            reasons = Report.objects.filter(kind=kind, object_id=item.pk).values_list(
                "reason", flat=True
            )
            labels = sorted({ReportReason(r).label.lower() for r in reasons})
            _set_hidden(
                kind,
                item,
                True,
                f"Reported by {count} members ({', '.join(labels)}).",
                None,
            )
            moderation.tell_stewards(kind, item, issue, reason, hidden=True)
            hid = True
    return created, hid


def moderate(user: AnyUser, kind: str, item: Any, *, hide: bool, reason: str) -> ModerationAction:
    """A steward hides or restores a contribution, giving the public reason; its open
    reports close (the moderation queue, ``moderation``)."""
    reason = _text(reason, "reason", MAX_REASON)
    with transaction.atomic():
        steward = require_steward(user, item.forum)
        item = MODELS[kind].objects.select_for_update().select_related("forum").get(pk=item.pk)
        if item.hidden == hide:
            raise Conflict("It is hidden already." if hide else "It is not hidden.")
        action = _set_hidden(kind, item, hide, reason, steward)
        resolution = Resolution.HIDDEN if hide else Resolution.RESTORED
        moderation.close_open_reports(kind, item, resolution, steward, reason)
        return action


def set_suspended(
    user: AnyUser, membership: Membership, *, suspended: bool, reason: str
) -> Membership:
    """A steward suspends a member (no more contributions, supports or issues) or lifts it."""
    reason = _text(reason, "reason", MAX_REASON)
    with transaction.atomic():
        steward = require_steward(user, membership.forum)
        membership = (
            Membership.objects.select_for_update()
            .select_related("forum", "user")
            .get(pk=membership.pk)
        )
        if membership.pk == steward.pk:
            raise InvalidInput("You cannot suspend yourself.")
        if suspended and membership.is_steward:
            raise NotAllowed("A steward cannot be suspended; withdraw the stewardship first.")
        target = Membership.Status.SUSPENDED if suspended else Membership.Status.ACTIVE
        if membership.status == target:
            raise Conflict(
                "The member is suspended already." if suspended else "The member is not suspended."
            )
        membership.status = target
        membership.save(update_fields=["status"])
        append(
            Event(
                "membership.suspend" if suspended else "membership.unsuspend",
                "membership",
                membership.pk,
                actor=steward.user.public_id,
                forum=membership.forum.slug,
                fields={"reason": reason},
            )
        )
    return membership


__all__ = [
    "ADVICE_GROUPS",
    "SIGNAL_GROUPS",
    "add_comment",
    "delete_comment",
    "edit_comment",
    "edit_signal",
    "edit_solution",
    "give_advice",
    "moderate",
    "propose_solution",
    "report",
    "revise_advice",
    "set_suspended",
    "signal_concern",
    "update_settings",
    "withdraw_signal",
]
