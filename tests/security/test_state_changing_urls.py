"""Every state-changing URL is protected, found by walking the URL configuration.

Every HTML route (allauth's account pages, the admin and the API aside) must be listed in
``ROUTES`` below, or the walk fails: nobody adds a route the test cannot reach. For each
route that accepts POST we check, with a valid payload that its rightful user could submit:

* without a CSRF token (even as that rightful user) it answers 403 and nothing changes;
* as anonymous it redirects to the login page and nothing changes;
* as an outsider, and (for author- or steward-only routes) as another member, it is refused
  with 403 or 404 and nothing changes;
* as the rightful user with a token it does change something (so the payloads are real).

And a GET to every route, by anyone, changes nothing. "Nothing changes" compares every row
of every table (sessions aside) and the ledger's size before and after.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from commonground.contributions import services as contributions
from commonground.contributions.models import Advice, Comment, Signal, Solution
from commonground.contributions.services.translations import SOLUTION
from commonground.dialogue import services as dialogue
from commonground.dialogue.models import Conversation, Statement
from commonground.federation.models import Peer, RemoteChild, RemoteForum, RemoteParent
from commonground.forums.forum_settings import current as current_settings
from commonground.forums.models import Forum
from commonground.forums.services import advance_cycle, open_cycle
from commonground.issues import translating
from commonground.issues.models import Issue
from commonground.issues.services import raise_issue, support_issue
from commonground.issues.translations import add_translation
from commonground.ledger.models import LedgerEntry
from commonground.ledger.services import publish_checkpoint
from commonground.notifications import services as notifications
from commonground.outcomes.translations import MESSAGE
from commonground.participants.models import ApiToken, User
from commonground.participants.services import create_api_token
from commonground.recognition.services import live_agenda, publish_agenda
from tests.conftest import FAST_HASHERS, World, build_world

pytestmark = pytest.mark.django_db

SKIPPED_NAMESPACES = ("admin",)
# i18n/: the language switch, which anyone may use (it sets a cookie and, for a member,
# the profile's language): tests/i18n/test_language_choice.py.
SKIPPED_PREFIXES = ("accounts/", "api/", "admin/", "i18n/")

# Who may use a POST route: "steward" of the forum, the object's "author", any forum
# "member" (role rules aside), or any signed-in user acting on their "self".
STEWARD, AUTHOR, MEMBER, SELF = "steward", "author", "member", "self"
OTHER_MEMBER = "intergovernmental"  # neither an author of anything below nor a steward


@dataclass
class Scene:
    world: World
    issue: Issue
    solution: Solution
    signal: Signal
    advice: Advice
    comment: Comment
    conversation: Conversation
    statement: Statement
    token: ApiToken
    publication_number: int
    objects: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Route:
    kwargs: Callable[[Scene], dict[str, Any]]
    post: str | None = None  # who may POST (see above); None: GET only
    owner: Callable[[Scene], User] | None = None  # the rightful user for the POST
    data: Callable[[Scene], dict[str, Any]] = lambda s: {}
    # A GET that, like ``commonground export``, signs a checkpoint over the ledger when it
    # has grown (a signature over existing entries, not an entry); with the ledger already
    # signed it must change nothing at all.
    signs: bool = False
    # Called before a POST (with pytest's monkeypatch): stands in for another instance.
    prepare: Callable[[Scene, Any], None] | None = None


def _peer_lists_igf(monkeypatch: Any) -> None:
    """The pinned peer igf.example.org answers its well-known document listing its forum."""
    from commonground.federation import remote
    from commonground.federation.peering import PeerDocument

    peer = Peer.objects.get(url="https://igf.example.org")
    listed = {"slug": "igf", "level": "global", "url": "https://igf.example.org/forums/igf/"}
    document = PeerDocument(
        url=peer.url, name=peer.name, key_id=peer.key_id, public_key=b"\x01" * 32,
        software_version="0.1.0", forums=[listed],
    )  # fmt: skip
    monkeypatch.setattr(remote, "fetch_document", lambda url: document)


def slug(s: Scene) -> dict[str, Any]:
    return {"slug": s.world.forum.slug}


def issue_pk(s: Scene) -> dict[str, Any]:
    return {"pk": s.issue.pk}


def member(group: str) -> Callable[[Scene], User]:
    return lambda s: s.world.member[group]


def steward(s: Scene) -> User:
    return s.world.steward


def superuser(s: Scene) -> User:
    user, _ = User.objects.get_or_create(
        email="root@example.org", defaults={"is_superuser": True, "is_staff": True}
    )
    return user


def outsider(s: Scene) -> User:
    return s.world.outsider


def translation_routes(
    prefix: str,
    parent: Callable[[Scene], dict[str, Any]],
    key: str,
    added: dict[str, str],
    edited: dict[str, str],
) -> dict[str, Route]:
    """The three routes of a kind's community translations (named ``prefix`` +
    ``translate``, ``translation_edit``, ``translation_moderate``): any member adds one
    into Spanish (``added``), its author edits the one in ``s.objects[key]`` (``edited``),
    a steward hides it."""

    def translation(s: Scene) -> dict[str, Any]:
        return {"pk": s.objects[key].pk}

    return {
        f"{prefix}translate": Route(
            parent, MEMBER, member("government"), lambda s: {"language": "es", **added}
        ),
        f"{prefix}translation_edit": Route(
            translation, AUTHOR, member("government"), lambda s: dict(edited)
        ),
        f"{prefix}translation_moderate": Route(
            translation, STEWARD, steward, lambda s: {"action": "hide", "reason": "Not faithful."}
        ),
    }


def settings_form(forum: Any, **changes: Any) -> dict[str, Any]:
    """The settings page's form as a browser posts it (every setting), with some changed."""
    values = {**current_settings(forum), **changes}
    return {k: ("on" if v is True else v) for k, v in values.items() if v is not False}


def no_kwargs(s: Scene) -> dict[str, Any]:
    return {}


# ---------------------------------------------------------------- sessions (issue 13)
# Three small forums whose cycles stand in the call for sessions, evaluation and the
# forum phase, each with a published agenda, an advisory group (government, private
# sector, academic & technical) and one proposal by civil society.
SESSION_PHASES = {"call": 2, "eval": 3, "held": 4}  # steps after the call for issues


def _sessions_forum(world: World, key: str) -> Any:
    from commonground.forums.services import create_forum, join_forum
    from commonground.meetings.services import advisory, proposals, schedule, selection
    from commonground.participants.services import grant_steward

    forum = create_forum(
        None, slug=f"sessions-{key}", name=f"Sessions {key}", level="national",
        parent="africa-igf", country="KE",
    )  # fmt: skip
    Forum.objects.filter(pk=forum.pk).update(min_supporters=1, min_groups=1)
    forum.refresh_from_db()
    open_cycle(None, forum, "2027")
    m = world.member
    for group in ("civil_society", "government", "private_sector", "academic_technical"):
        join_forum(m[group], forum, stakeholder_group=group, country="KE")
    grant_steward(
        None, join_forum(world.steward, forum, stakeholder_group="civil_society", country="KE")
    )
    issue = raise_issue(m["civil_society"], forum, title="Access", description="Why.")
    support_issue(m["government"], issue)
    advance_cycle(None, forum)
    publish_agenda(world.steward, forum)
    advance_cycle(None, forum)  # call for sessions
    advisers = [m["government"], m["private_sector"], m["academic_technical"]]
    advisory.set_advisory_group(world.steward, forum, [u.public_id for u in advisers])
    speakers = [
        {"name": n, "stakeholder_group": g, "gender": x, "confirmed": True}
        for n, g, x in (("A", "civil_society", "woman"), ("B", "government", "man"),
                        ("C", "private_sector", "man"))
    ]  # fmt: skip
    session, _ = proposals.propose_session(
        m["civil_society"], forum,
        {"title": "T", "format": "workshop", "description": "D", "issue_ids": [issue.pk],
         "policy_questions": ["Q?"], "moderator": {"name": "M"}, "rapporteur": {"name": "R"},
         "speakers": speakers},
    )  # fmt: skip
    if SESSION_PHASES[key] >= 3:
        advance_cycle(None, forum)  # evaluation
        selection.decide_session(
            world.steward, session, {"decision": "approved", "reason": "Good."}
        )
    if SESSION_PHASES[key] >= 4:
        advance_cycle(None, forum)  # forum
        schedule.schedule_session(
            world.steward, session, room="R1",
            starts_at=timezone.now() - timedelta(hours=3), duration_minutes=60,
        )  # fmt: skip
    return forum, issue, session


def session_form(s: Scene, title: str) -> dict[str, Any]:
    return {
        "title": title, "format": "workshop", "description": "D",
        "issue_ids": [str(s.objects["call_issue"].pk)], "policy_question": ["Q?"],
        "moderator_name": "M", "rapporteur_name": "R",
        "speaker-0-name": "A", "speaker-0-group": "civil_society", "speaker-0-gender": "woman",
    }  # fmt: skip


def session_pk(key: str) -> Callable[[Scene], dict[str, Any]]:
    return lambda s: {"session_id": s.objects[f"{key}_session"].pk}


def sessions_slug(key: str) -> Callable[[Scene], dict[str, Any]]:
    return lambda s: {"slug": f"sessions-{key}"}


# ---------------------------------------------------------------- messages (issue 14)
# A small forum in the messages phase, one issue on its published agenda and one message
# in each state a route acts on: a draft, one open for comment (with an objection), one
# whose window has closed (designated, ready to publish), a published and a referred one.
def _messages_forum(world: World) -> dict[str, Any]:
    from commonground.forums.services import create_forum, join_forum
    from commonground.outcomes import chairing, followup
    from commonground.outcomes import services as outcomes
    from commonground.participants.services import grant_steward

    forum = create_forum(
        None, slug="messages-forum", name="Messages forum", level="national",
        parent="africa-igf", country="KE",
    )  # fmt: skip
    Forum.objects.filter(pk=forum.pk).update(min_supporters=1, min_groups=1)
    forum.refresh_from_db()
    open_cycle(None, forum, "2027")
    m = world.member
    for group in ("civil_society", "government", "private_sector", OTHER_MEMBER):
        join_forum(m[group], forum, stakeholder_group=group, country="KE")
    grant_steward(
        None, join_forum(world.steward, forum, stakeholder_group="civil_society", country="KE")
    )
    issue = raise_issue(m["civil_society"], forum, title="Access", description="Why.")
    support_issue(m["government"], issue)
    advance_cycle(None, forum)  # agenda setting
    publish_agenda(world.steward, forum)
    for _ in range(4):  # call for sessions, evaluation, forum, messages
        advance_cycle(None, forum)
    now = timezone.now()
    past = now - timedelta(days=40)

    def drafted(title: str) -> Any:
        return outcomes.draft_message(world.steward, issue, title=title, text="Fund access.")

    def windowed(title: str, opens_at: Any) -> Any:
        return outcomes.open_comment_window(
            world.steward, drafted(title), opens_at=opens_at,
            closes_at=opens_at + timedelta(days=30), now=opens_at,
        )  # fmt: skip

    draft = drafted("Draft")
    open_message = windowed("Open", now)
    objection = outcomes.record_position(
        m["civil_society"], open_message, position="object", text="Who pays?"
    )
    closed = windowed("Closed", past)
    chairing.designate(world.steward, closed, level="consensus", rationale="No objection.")
    published = windowed("Published", past)
    chairing.designate(world.steward, published, level="consensus", rationale="Agreed.")
    chairing.publish_message(world.steward, published)
    referred = windowed("Referred", past)
    chairing.designate(world.steward, referred, level="consensus", rationale="Agreed.")
    chairing.publish_message(world.steward, referred)
    followup.refer_message(world.steward, referred, name="Ministry of ICT", kind="government")
    return {
        "msg_issue": issue, "msg_draft": draft, "msg_open": open_message,
        "msg_objection": objection, "msg_closed": closed, "msg_published": published,
        "msg_referred": referred,
    }  # fmt: skip


def message_pk(key: str) -> Callable[[Scene], dict[str, Any]]:
    return lambda s: {"pk": s.objects[f"msg_{key}"].pk}


def objection_pks(s: Scene) -> dict[str, Any]:
    return {"pk": s.objects["msg_open"].pk, "objection_pk": s.objects["msg_objection"].pk}


def messages_slug(s: Scene) -> dict[str, Any]:
    return {"slug": "messages-forum"}


def messages_cycle(s: Scene) -> dict[str, Any]:
    return {"slug": "messages-forum", "cycle": "2027"}


ROUTES: dict[str, Route] = {
    # forums
    "forums:home": Route(no_kwargs),
    "forums:detail": Route(slug),
    "forums:members": Route(slug),
    "forums:join": Route(
        slug, SELF, outsider, lambda s: {"stakeholder_group": "civil_society", "country": "FR"}
    ),
    "forums:verify": Route(
        lambda s: {
            "slug": s.world.forum.slug,
            "membership_id": s.world.membership["government"].pk,
        },
        STEWARD,
        steward,
        lambda s: {"verified": "1"},
    ),
    "forums:advance": Route(slug, STEWARD, steward, lambda s: {"to": "call_for_sessions"}),
    "forums:correct": Route(
        slug, STEWARD, steward, lambda s: {"to": "call_for_issues", "reason": "Too early."}
    ),
    "forums:create": Route(
        no_kwargs,
        STEWARD,
        steward,
        lambda s: {
            "slug": "nairobi-igf",
            "name": "Nairobi IGF",
            "level": "subnational",
            "parent": "kenya-igf",
        },
    ),
    "forums:new_cycle": Route(
        lambda s: {"slug": "igf"}, STEWARD, superuser, lambda s: {"name": "2028"}
    ),
    "forums:settings": Route(
        slug,
        STEWARD,
        steward,
        lambda s: settings_form(s.world.forum, min_groups=2, agenda_slots=7),
    ),
    # issues
    "issues:index": Route(slug),
    "issues:create": Route(
        slug,
        MEMBER,
        member("government"),
        lambda s: {"title": "A new issue", "description": "Why.", "topics": "x"},
    ),
    "issues:detail": Route(issue_pk),
    "issues:edit": Route(
        issue_pk,
        AUTHOR,
        member("civil_society"),
        lambda s: {"title": "Edited title", "description": "Edited.", "topics": ""},
    ),
    "issues:support": Route(issue_pk, MEMBER, member("government")),
    **translation_routes(
        "issues:",
        issue_pk,
        "translation",
        {"title": "Conectividad", "description": "Por qué."},
        {"title": "Connectivité rurale", "description": "Pourquoi donc."},
    ),
    # recognition
    "recognition:agenda": Route(slug),
    "recognition:publish": Route(
        slug,
        STEWARD,
        steward,
        lambda s: {
            "agenda": ",".join(live_agenda(s.world.forum.open_cycle).to_json_dict()["agenda"])
        },
    ),
    "recognition:publication": Route(
        lambda s: {"slug": s.world.forum.slug, "number": s.publication_number}
    ),
    # participants
    "participants:profile": Route(lambda s: {"public_id": s.world.member["government"].public_id}),
    "participants:account": Route(
        no_kwargs, SELF, member("government"), lambda s: {"name": "another token"}
    ),
    "participants:revoke_token": Route(
        lambda s: {"token_id": s.token.pk}, AUTHOR, member("civil_society")
    ),
    # contributions
    "contributions:signal": Route(
        issue_pk,
        MEMBER,
        member("intergovernmental"),
        lambda s: {"jurisdiction": "ITU", "priority": "low", "statement": "Noted."},
    ),
    "contributions:signal_withdraw": Route(
        lambda s: {"pk": s.signal.pk}, AUTHOR, member("government")
    ),
    "contributions:solution_create": Route(
        issue_pk, MEMBER, member("government"), lambda s: {"title": "Fix", "description": "How."}
    ),
    "contributions:solution_edit": Route(
        lambda s: {"pk": s.solution.pk},
        AUTHOR,
        member("private_sector"),
        lambda s: {"title": "Edited", "description": "Edited."},
    ),
    **translation_routes(
        "contributions:solution_",
        lambda s: {"pk": s.solution.pk},
        "solution_translation",
        {"title": "Espectro abierto", "description": "Bandas."},
        {"title": "Spectre ouvert", "description": "Des bandes."},
    ),
    "contributions:advice": Route(
        lambda s: {"pk": s.solution.pk},
        MEMBER,
        member("internet_institution"),
        lambda s: {"feasibility": "feasible", "benefits": "Good."},
    ),
    "contributions:issue_comment": Route(
        issue_pk, MEMBER, member("government"), lambda s: {"body": "A comment.", "stance": ""}
    ),
    "contributions:solution_comment": Route(
        lambda s: {"pk": s.solution.pk},
        MEMBER,
        member("government"),
        lambda s: {"body": "On the solution.", "stance": ""},
    ),
    "contributions:issue_discussion": Route(issue_pk),
    "contributions:solution_discussion": Route(lambda s: {"pk": s.solution.pk}),
    "contributions:comment_link": Route(lambda s: {"pk": s.comment.pk}),
    "contributions:comment_edit": Route(
        lambda s: {"pk": s.comment.pk},
        AUTHOR,
        member("civil_society"),
        lambda s: {"body": "Edited comment.", "stance": ""},
    ),
    "contributions:comment_delete": Route(
        lambda s: {"pk": s.comment.pk}, AUTHOR, member("civil_society")
    ),
    "contributions:report": Route(
        lambda s: {"kind": "comment", "pk": s.comment.pk},
        MEMBER,
        member("government"),
        lambda s: {"reason": "spam", "note": ""},
    ),
    "contributions:moderate": Route(
        lambda s: {"kind": "comment", "pk": s.comment.pk},
        STEWARD,
        steward,
        lambda s: {"action": "hide", "reason": "Off topic."},
    ),
    "notifications:follow": Route(
        issue_pk, MEMBER, member("internet_institution"), lambda s: {"action": "follow"}
    ),
    "notifications:index": Route(no_kwargs, SELF, member("civil_society")),
    "contributions:moderation": Route(slug),
    "contributions:suspend": Route(
        slug,
        STEWARD,
        steward,
        lambda s: {
            "participant": s.world.member["government"].public_id,
            "action": "suspend",
            "reason": "Abuse.",
        },
    ),
    "contributions:settings": Route(slug),
    "contributions:queue": Route(slug),
    "contributions:queue_action": Route(
        lambda s: {"kind": "comment", "pk": s.comment.pk},
        STEWARD,
        steward,
        lambda s: {"action": "hide", "reason": "Spam."},
    ),
    # dialogue
    "dialogue:index": Route(slug),
    "dialogue:create": Route(
        issue_pk,
        AUTHOR,
        member("civil_society"),
        lambda s: {"topic": "Talk", "description": "", "moderation": "open"},
    ),
    "dialogue:vote": Route(lambda s: {"pk": s.conversation.pk}),
    "dialogue:cast": Route(
        lambda s: {"pk": s.conversation.pk},
        MEMBER,
        member("government"),
        lambda s: {"statement": s.objects["accepted"].pk, "vote": "agree"},
    ),
    "dialogue:add_statement": Route(
        lambda s: {"pk": s.conversation.pk},
        MEMBER,
        member("government"),
        lambda s: {"text": "A fresh statement."},
    ),
    "dialogue:moderate": Route(
        lambda s: {"pk": s.conversation.pk, "statement_pk": s.statement.pk},
        STEWARD,
        steward,
        lambda s: {"decision": "accepted"},
    ),
    "dialogue:map": Route(lambda s: {"pk": s.conversation.pk}),
    "dialogue:map_poll": Route(lambda s: {"pk": s.conversation.pk}),
    "search:all": Route(no_kwargs),
    "favicon": Route(no_kwargs),
    "opendata:ledger": Route(no_kwargs),
    "opendata:index": Route(slug),
    "opendata:package": Route(slug, signs=True),
    # network (issue 15): the second issue is on the published agenda, Africa's cycle is open
    "network:forward": Route(
        lambda s: {"pk": s.objects["on_agenda"].pk},
        STEWARD,
        steward,
        lambda s: {"to": "africa-igf"},
    ),
    "network:forward_message": Route(
        message_pk("published"), STEWARD, steward, lambda s: {"to": "africa-igf"}
    ),
    "network:merge": Route(
        lambda s: {"pk": s.objects["spare"].pk}, STEWARD, steward, lambda s: {"into": s.issue.pk}
    ),
    # federation (issue 16): Kenya's parent on another instance is a pinned peer's forum
    "deliveries:forward_remote": Route(
        lambda s: {"pk": s.objects["on_agenda"].pk},
        STEWARD,
        steward,
        lambda s: {"to": s.objects["remote_parent"]},
    ),
    "deliveries:forward_message_remote": Route(
        message_pk("published"),
        STEWARD,
        steward,
        lambda s: {"to": s.objects["remote_parent"]},
        prepare=lambda s, monkeypatch: _message_remote_parent(s),
    ),
    "network:dismiss": Route(
        lambda s: {"pk": s.issue.pk, "other": s.objects["spare"].pk}, STEWARD, steward
    ),
    "network:coherence": Route(issue_pk),
    "network:forum": Route(slug),
    "federation:well_known": Route(no_kwargs),
    "federation:create_forum": Route(
        no_kwargs,
        STEWARD,
        superuser,
        lambda s: {
            "slug": "kenya-national",
            "name": "Kenya national forum",
            "level": "national",
            "parent_url": "https://igf.example.org/forums/igf/",
        },
        prepare=lambda s, monkeypatch: _peer_lists_igf(monkeypatch),
    ),
    "federation:block": Route(
        lambda s: {"slug": s.world.forum.slug, "pk": s.objects["remote_child"].pk},
        STEWARD,
        steward,
        lambda s: {"blocked": "1"},
    ),
    "network:nri": Route(
        slug,
        STEWARD,
        steward,
        lambda s: {"action": "team", "name": "Ann", "stakeholder_group": "government"},
    ),
    # sessions (issue 13)
    "meetings:list": Route(sessions_slug("eval")),
    "meetings:propose": Route(
        sessions_slug("call"), MEMBER, member("civil_society"), lambda s: session_form(s, "New")
    ),
    "meetings:screen": Route(sessions_slug("call")),
    "meetings:edit": Route(
        session_pk("call"), AUTHOR, member("civil_society"), lambda s: session_form(s, "Edited")
    ),
    "meetings:withdraw": Route(session_pk("call"), AUTHOR, member("civil_society")),
    "meetings:detail": Route(session_pk("held")),
    "meetings:advisory": Route(
        sessions_slug("eval"),
        STEWARD,
        steward,
        lambda s: {
            "members": "\n".join(
                s.world.member[g].public_id for g in ("private_sector", "academic_technical")
            )
        },
    ),
    "meetings:queue": Route(sessions_slug("eval")),
    "meetings:score": Route(
        session_pk("eval"),
        MEMBER,
        member("government"),
        lambda s: {"relevance": "4", "content": "4", "interaction": "4", "diversity": "4"},
    ),
    "meetings:conflict": Route(session_pk("eval"), MEMBER, member("government")),
    "meetings:ranking": Route(sessions_slug("eval")),
    "meetings:decide": Route(
        session_pk("eval"), STEWARD, steward, lambda s: {"decision": "declined", "reason": "No."}
    ),
    "meetings:publish": Route(sessions_slug("eval"), STEWARD, steward),
    "meetings:selection": Route(sessions_slug("eval")),
    "meetings:schedule": Route(
        session_pk("held"),
        STEWARD,
        steward,
        lambda s: {"room": "R2", "starts_at": "2027-06-10T09:00", "duration_minutes": "60"},
    ),
    "meetings:report": Route(
        session_pk("held"), AUTHOR, member("civil_society"), lambda s: {"key_takeaway": ["One."]}
    ),
    "meetings:programme": Route(sessions_slug("held")),
    "meetings:ics": Route(sessions_slug("held")),
    "meetings:balance": Route(sessions_slug("held")),
    # messages (issue 14)
    "outcomes:forum_messages": Route(messages_slug),
    "outcomes:draft": Route(
        messages_slug,
        STEWARD,
        steward,
        lambda s: {"issue": str(s.objects["msg_issue"].pk), "title": "New", "text": "Fund it."},
    ),
    "outcomes:message": Route(message_pk("open")),
    "outcomes:diff": Route(message_pk("open")),
    "outcomes:revise": Route(
        message_pk("draft"),
        STEWARD,
        steward,
        lambda s: {"title": "Draft", "text": "Fund access now.", "note": "Sharper."},
    ),
    **translation_routes(
        "outcomes:",
        message_pk("draft"),
        "message_translation",
        {"title": "Borrador", "text": "Financiar el acceso."},
        {"title": "Brouillon", "text": "Financer l'accès."},
    ),
    "outcomes:window": Route(
        message_pk("draft"),
        STEWARD,
        steward,
        lambda s: {"opens_at": "2026-01-01 09:00", "closes_at": "2099-01-01 09:00"},
    ),
    "outcomes:position": Route(
        message_pk("open"), MEMBER, member("government"), lambda s: {"position": "support"}
    ),
    "outcomes:reply": Route(
        objection_pks, MEMBER, member("government"), lambda s: {"text": "The fund pays."}
    ),
    "outcomes:disposition": Route(
        objection_pks,
        STEWARD,
        steward,
        lambda s: {"disposition": "rejected", "reason": "Funding is national."},
    ),
    "outcomes:designate": Route(
        message_pk("closed"),
        STEWARD,
        steward,
        lambda s: {"level": "divergence", "rationale": "On reflection.", "minority_view": ""},
    ),
    "outcomes:publish": Route(message_pk("closed"), STEWARD, steward),
    "outcomes:refer": Route(
        message_pk("published"),
        STEWARD,
        steward,
        lambda s: {"name": "Ministry of ICT", "kind": "government", "contact": ""},
    ),
    "outcomes:uptake": Route(
        message_pk("referred"),
        MEMBER,
        member("government"),
        lambda s: {
            "body": "Ministry of ICT",
            "action": "policy",
            "summary": "A fund opened.",
            "date": "2026-03-01",
            "url": "",
        },
    ),
    "outcomes:document": Route(messages_cycle),
    "outcomes:document_pdf": Route(messages_cycle),
    "outcomes:follow_up": Route(messages_cycle),
    "outcomes:uptake_feed": Route(messages_cycle),
    # feeds
    "feeds:issues": Route(slug),
    "feeds:agenda": Route(slug),
    "feeds:moderation": Route(slug),
    "feeds:contributions": Route(issue_pk),
}

POST_ROUTES = sorted(name for name, route in ROUTES.items() if route.post)


def walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found.extend(walk(entry, route, inner))
        elif isinstance(entry, URLPattern):
            found.append((f"{namespace}{entry.name}", entry.callback))
    return found


def handles_post(view: Any) -> bool:
    """Whether a view's source (or its class's) mentions POST handling."""
    target = view
    while hasattr(target, "__wrapped__"):
        target = target.__wrapped__
    if not inspect.isfunction(target):
        target = type(target)
    return "POST" in inspect.getsource(target)


def snapshot() -> tuple[str, int]:
    """A digest of every row of every table (sessions aside), many-to-many tables included,
    and the ledger's size.

    Rows are read with one plain SELECT per table, as the database stores them: the ORM's
    conversion of each value is not needed to see a change, and this runs several times a
    test for some 400 tests."""
    digest = hashlib.sha256()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.label in ("sessions.Session",):
                continue
            table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
            cursor.execute(f"SELECT * FROM {table} ORDER BY {pk}")  # names from the models
            digest.update(repr(cursor.fetchall()).encode())
            digest.update(model._meta.label.encode())
    return digest.hexdigest(), LedgerEntry.objects.count()


@pytest.fixture(scope="module")
def built_scene(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Scene]:
    """The scene is built once for the module (it takes seconds and every test here reads
    it), inside a transaction rolled back when the module ends; each test runs in its own
    savepoint, so what one test's POST changes never reaches the next."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _build_scene(build_world())
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def scene(built_scene: Scene, db: None) -> Scene:
    """A fresh copy of the module's scene: its rows are as built (the test's savepoint
    starts there), and so are its objects in memory, whatever an earlier test did to its
    copy."""
    return copy.deepcopy(built_scene)


def _build_scene(world: World) -> Scene:
    m = world.member
    issue = raise_issue(m["civil_society"], world.forum, title="Connectivity", description="Why.")
    # One supporter per group counts here, so three groups put "Spectrum" on the agenda.
    Forum.objects.filter(pk=world.forum.pk).update(min_supporters=1)
    world.forum.refresh_from_db()
    on_agenda = raise_issue(
        m["private_sector"], world.forum, title="Spectrum", description="Why too."
    )
    for group in ("private_sector", "academic_technical", "internet_institution"):
        support_issue(m[group], on_agenda)
    spare = raise_issue(m["government"], world.forum, title="Spare", description="To merge.")
    open_cycle(None, Forum.objects.get(slug="africa-igf"), "2027")
    solution = contributions.propose_solution(
        m["private_sector"], issue, title="Open spectrum", description="Bands."
    )
    signal = contributions.signal_concern(
        m["government"], issue, jurisdiction="KE", priority="high", statement="Concerned."
    )
    advice = contributions.give_advice(
        m["academic_technical"], solution, feasibility="feasible", benefits="Cheap."
    )
    comment = contributions.add_comment(m["civil_society"], issue=issue, body="First.")
    notifications.follow_issue(m["civil_society"], issue, True)
    contributions.add_comment(m["academic_technical"], issue=issue, body="Notifies followers.")
    conversation = dialogue.open_conversation(world.steward, issue, topic="Connectivity talk")
    accepted = dialogue.add_statement(world.steward, conversation, "Spectrum should be open.")
    statement = dialogue.add_statement(m["civil_society"], conversation, "Prices are too high.")
    token, _ = create_api_token(m["civil_society"], "laptop")
    advance_cycle(None, world.forum)  # agenda setting: publishing is possible
    publication = publish_agenda(world.steward, world.forum)
    sessions: dict[str, Any] = {}
    for key in SESSION_PHASES:
        _, issue_of, session_of = _sessions_forum(world, key)
        sessions[f"{key}_issue"], sessions[f"{key}_session"] = issue_of, session_of
    sessions.update(_messages_forum(world))
    sessions["remote_parent"] = _remote_parent(world)
    peer = Peer.objects.create(
        url="https://igf.example.org", name="Global IGF", key_id="a" * 64,
        public_key="AQ" * 22, fingerprint="a" * 64,
    )  # fmt: skip
    remote = RemoteForum.objects.create(
        peer=peer, url="https://peer.example.org/forums/uganda-igf", slug="uganda-igf",
        name="Uganda IGF", level="national",
    )  # fmt: skip
    sessions["remote_child"] = RemoteChild.objects.create(remote=remote, target=world.forum)
    sessions["translation"] = add_translation(
        m["government"], issue, language="fr", title="Connectivité", description="Pourquoi."
    )
    sessions["solution_translation"] = translating.add_translation(
        SOLUTION, m["government"], solution, language="fr", title="Spectre", body="Bandes."
    )
    sessions["message_translation"] = translating.add_translation(
        MESSAGE, m["government"], sessions["msg_draft"], language="fr", title="Brouillon",
        body="Financer.",
    )  # fmt: skip
    return Scene(
        world,
        issue,
        solution,
        signal,
        advice,
        comment,
        conversation,
        statement,
        token,
        publication.number,
        {"accepted": accepted, "on_agenda": on_agenda, "spare": spare, **sessions},
    )


def _remote_parent(world: World) -> str:
    """A pinned peer whose global forum is the test forum's parent; its URL."""
    peer = Peer.objects.create(
        url="http://peer.test", name="Peer", key_id="ab" * 32,
        public_key=base64.b64encode(b"k" * 32).decode(), fingerprint="ab" * 32,
    )  # fmt: skip
    remote = RemoteForum.objects.create(
        peer=peer, url="http://peer.test/forums/igf", slug="igf", level="global"
    )
    RemoteParent.objects.create(forum=world.forum, remote=remote)
    return remote.url


def _message_remote_parent(s: Scene) -> None:
    """The messages forum's parent is the peer's forum too (the published message goes there)."""
    remote = RemoteForum.objects.get(url=s.objects["remote_parent"])
    RemoteParent.objects.get_or_create(forum=s.objects["msg_published"].forum, remote=remote)


def url_of(name: str, scene: Scene) -> str:
    return reverse(name, kwargs=ROUTES[name].kwargs(scene))


def logged_in(user: User | None, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    if user is not None:
        client.force_login(user)
    return client


def test_every_html_route_is_known_to_this_test() -> None:
    """A new route fails here until it is added to ROUTES, with its rightful user if it POSTs."""
    walked = walk(get_resolver())
    names = {name for name, _ in walked}
    assert names == set(ROUTES), (
        f"unknown routes: {sorted(names - set(ROUTES))}; stale: {sorted(set(ROUTES) - names)}"
    )
    for name, view in walked:
        assert handles_post(view) == bool(ROUTES[name].post), (
            f"{name}: POST handling in the view does not match ROUTES"
        )


def post_as(
    scene: Scene, name: str, monkeypatch: pytest.MonkeyPatch, who: Callable[[Route], Client]
) -> tuple[Any, bool]:
    """POST the route's payload with the client ``who(route)`` gives (after the route's
    ``prepare``): the answer, and whether anything changed."""
    route = ROUTES[name]
    if route.prepare is not None:
        route.prepare(scene, monkeypatch)
    client = who(route)
    before = snapshot()
    response = client.post(url_of(name, scene), route.data(scene))
    return response, snapshot() != before


def owner(scene: Scene, route: Route) -> User:
    assert route.owner is not None
    return route.owner(scene)


@pytest.mark.parametrize("name", POST_ROUTES)
def test_post_without_csrf_token_is_refused(
    scene: Scene, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    response, changed = post_as(
        scene, name, monkeypatch, lambda route: logged_in(owner(scene, route), csrf=True)
    )
    assert response.status_code == 403
    assert not changed


@pytest.mark.parametrize("name", POST_ROUTES)
def test_post_by_anonymous_redirects_to_login(
    scene: Scene, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    response, changed = post_as(scene, name, monkeypatch, lambda route: Client())
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not changed


@pytest.mark.parametrize("name", [n for n in POST_ROUTES if ROUTES[n].post != SELF])
def test_post_by_outsider_is_refused(
    scene: Scene, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    response, changed = post_as(
        scene, name, monkeypatch, lambda route: logged_in(scene.world.outsider)
    )
    assert response.status_code in (403, 404)
    assert not changed


@pytest.mark.parametrize("name", [n for n in POST_ROUTES if ROUTES[n].post in (STEWARD, AUTHOR)])
def test_post_by_another_member_is_refused(
    scene: Scene, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    response, changed = post_as(
        scene, name, monkeypatch, lambda route: logged_in(scene.world.member[OTHER_MEMBER])
    )
    assert response.status_code in (403, 404)
    assert not changed


@pytest.mark.parametrize("name", POST_ROUTES)
def test_post_by_rightful_user_changes_state(
    scene: Scene, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control: the payloads above are real, so "nothing changed" means refused."""
    response, changed = post_as(
        scene, name, monkeypatch, lambda route: logged_in(owner(scene, route))
    )
    assert response.status_code in (200, 302), response.content.decode()[:500]
    assert changed


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_get_changes_nothing(scene: Scene, name: str) -> None:
    w = scene.world
    clients = [logged_in(None), logged_in(w.outsider), logged_in(w.steward)]
    clients += [logged_in(w.member[g]) for g in ("civil_society", "government")]
    url = url_of(name, scene)
    if ROUTES[name].signs:
        publish_checkpoint()
    before = snapshot()
    for client in clients:
        response = client.get(url)
        assert response.status_code < 500
    # One comparison after all five readers: a GET that changed a row shows here whoever
    # sent it, and a change is not undone by another reader's GET.
    assert snapshot() == before, f"GET {url} changed state"
