"""Community translations in the demo, added through the public services as members
would (``demo/data/translations.toml``): two issues of the global forum's open cycle and
one message of its finished cycle, each into French and Spanish, by members of the
forum; one issue is edited by its author between its two translations, so its French
translation shows as stale. Each act is its ledger entry, and the translations are in
the pages, the API and the open data like any other."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from commonground.demo import content
from commonground.forums.models import Forum
from commonground.issues import translating
from commonground.issues.models import Issue
from commonground.issues.services import edit_issue
from commonground.issues.translations import add_translation
from commonground.outcomes.models import Message
from commonground.outcomes.translations import MESSAGE
from commonground.participants.models import Membership, User

DATA = Path(__file__).parent / "data" / "translations.toml"

# Where a member translating into the language most likely lives (ISO 3166 codes); the
# demo picks its translators there when the forum has members from those countries.
SPEAKERS = {
    "fr": ("FR", "SN", "CI", "CM", "BE", "CH", "CA", "MA", "TN", "BJ", "ML", "HT"),
    "es": ("ES", "MX", "AR", "CO", "CL", "PE", "EC", "UY", "BO", "CR", "GT", "PY"),
}


def load() -> dict[str, Any]:
    with DATA.open("rb") as handle:
        return tomllib.load(handle)


def _translator(forum: Forum, language: str, author_id: int, steward: User) -> User:
    """A member of the forum (neither the original's author nor the steward), from a
    country where the language is spoken when there is one."""
    members = (
        Membership.objects.filter(forum=forum, status="active", role=Membership.Role.PARTICIPANT)
        .exclude(pk=author_id)
        .exclude(user=steward)
        .select_related("user")
        .order_by("pk")
    )
    speakers = members.filter(country__in=SPEAKERS.get(language, ()))
    chosen = speakers.first() or members.first()
    assert chosen is not None, f"no member of {forum.slug} to translate"
    return chosen.user


def seed_translations(forum: Forum, steward: User) -> int:
    """Add the demo's community translations in ``forum``; returns how many."""
    data = load()
    edited: set[str] = set()
    added = 0
    for entry in data["issue"]:
        title = content.ISSUES[content.issue_index(entry["key"])]["title"]
        issue = Issue.objects.select_related("forum", "author__user").get(forum=forum, title=title)
        if entry.get("after_edit") and entry["key"] not in edited:
            edit = data["issue_edit"]
            assert edit["key"] == entry["key"], "issue_edit names the issue edited"
            edit_issue(issue.author.user, issue, title=issue.title, description=edit["description"])
            edited.add(entry["key"])
        translator = _translator(forum, entry["language"], issue.author_id, steward)
        add_translation(
            translator, issue, language=entry["language"], title=entry["title"],
            description=entry["description"],
        )  # fmt: skip
        added += 1
    for entry in data["message"]:
        message = Message.objects.select_related("forum").get(forum=forum, title=entry["title"])
        translator = _translator(forum, entry["language"], message.created_by_id, steward)
        translating.add_translation(
            MESSAGE, translator, message, language=entry["language"],
            title=entry["translated_title"], body=entry["text"],
        )  # fmt: skip
        added += 1
    return added
