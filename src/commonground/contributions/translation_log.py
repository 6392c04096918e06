"""Community translations hidden and restored in a forum, for its moderation log.

Translations sit in the issues app, below contributions, so their moderation is not a
``ModerationAction`` row: the public record of each hide and restore is its ledger entry
(with the steward's reason). This reads those entries back, newest first, the pending
ones of a batched ledger included, so a hide shows in the log at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from commonground.forums.models import Forum
from commonground.issues.models import Issue, IssueTranslation
from commonground.ledger.models import LedgerEntry, PendingEntry

# The ledger's hide and restore actions of the translated kinds (issues' own, and the
# solution_ and message_ ones): exact names, so the query stays on the forum's index.
_HIDE, _RESTORE = "translation.hide", "translation.restore"
ACTIONS = [f"{kind}{verb}" for kind in ("", "solution_", "message_") for verb in (_HIDE, _RESTORE)]
LIMIT = 50


@dataclass(frozen=True)
class TranslationAction:
    """One hide or restore of a community translation, as the log shows it."""

    created_at: datetime
    hidden: bool
    forum: str  # the forum's slug
    object_type: str  # the ledger's: translation, solution_translation, message_translation
    what: str
    object_id: str
    issue: Issue | None
    language: str
    reason: str


def _what(object_type: str) -> str:
    kinds = {
        "translation": _("Translation of an issue"),
        "solution_translation": _("Translation of a solution"),
        "message_translation": _("Translation of a message"),
    }
    return kinds.get(object_type, object_type.replace("_", " "))


def translation_actions(forum: Forum, limit: int = LIMIT) -> list[TranslationAction]:
    """The forum's latest hides and restores of community translations, newest first."""
    wanted = Q(forum=forum.slug, action__in=ACTIONS)
    fields = ("time", "action", "object_type", "object_id", "fields")
    rows = list(LedgerEntry.objects.filter(wanted).order_by("-seq").values_list(*fields)[:limit])
    rows += PendingEntry.objects.filter(wanted).order_by("-id").values_list(*fields)[:limit]
    rows.sort(key=lambda row: row[0], reverse=True)
    rows = rows[:limit]
    issue_ids = [int(r[3]) for r in rows if r[2] == "translation" and r[3].isdigit()]
    translations = {
        str(t.pk): t
        for t in IssueTranslation.objects.filter(pk__in=issue_ids).select_related("issue")
    }
    actions = []
    for time, action, object_type, object_id, data in rows:
        translation = translations.get(object_id) if object_type == "translation" else None
        actions.append(
            TranslationAction(
                created_at=time,
                hidden=action.endswith(_HIDE),
                forum=forum.slug,
                object_type=object_type,
                what=_what(object_type),
                object_id=object_id,
                issue=translation.issue if translation is not None else None,
                language=translation.language if translation is not None else "",
                reason=str((data or {}).get("reason", "")),
            )
        )
    return actions
