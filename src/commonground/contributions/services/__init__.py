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

The services live in one module per kind (``signals``, ``solutions``, ``advice``,
``comments``) and one for ``moderation``; ``common`` holds what they share. This
package re-exports them, so callers write ``from commonground.contributions import
services`` and ``services.add_comment(...)``.
"""

from commonground.contributions.services.advice import give_advice, revise_advice
from commonground.contributions.services.comments import (
    add_comment,
    comment_on_issue,
    delete_comment,
    edit_comment,
)
from commonground.contributions.services.common import (
    ADVICE_GROUPS,
    ADVICE_ROLE,
    MAX_ACTOR,
    MAX_ACTORS,
    MAX_ADVICE_TEXT,
    MAX_COMMENT,
    MAX_DESCRIPTION,
    MAX_EVIDENCE,
    MAX_JURISDICTION,
    MAX_NOTE,
    MAX_REASON,
    MAX_STATEMENT,
    MAX_TITLE,
    MAX_URL,
    MODELS,
    SIGNAL_GROUPS,
    SIGNAL_ROLE,
    get_item,
    issue_id_of,
    settings_of,
    visible_to,
)
from commonground.contributions.services.moderation import (
    moderate,
    report,
    set_suspended,
    update_settings,
)
from commonground.contributions.services.signals import edit_signal, signal_concern, withdraw_signal
from commonground.contributions.services.solutions import edit_solution, propose_solution
from commonground.ledger.vocabulary import text_digests

__all__ = [
    "ADVICE_GROUPS",
    "ADVICE_ROLE",
    "MAX_ACTOR",
    "MAX_ACTORS",
    "MAX_ADVICE_TEXT",
    "MAX_COMMENT",
    "MAX_DESCRIPTION",
    "MAX_EVIDENCE",
    "MAX_JURISDICTION",
    "MAX_NOTE",
    "MAX_REASON",
    "MAX_STATEMENT",
    "MAX_TITLE",
    "MAX_URL",
    "MODELS",
    "SIGNAL_GROUPS",
    "SIGNAL_ROLE",
    "add_comment",
    "comment_on_issue",
    "delete_comment",
    "edit_comment",
    "edit_signal",
    "edit_solution",
    "get_item",
    "give_advice",
    "issue_id_of",
    "moderate",
    "propose_solution",
    "report",
    "revise_advice",
    "set_suspended",
    "settings_of",
    "signal_concern",
    "text_digests",
    "update_settings",
    "visible_to",
    "withdraw_signal",
]
