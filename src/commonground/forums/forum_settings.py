"""A forum's settings: the one list of them, and the one service that changes them.

Every per-forum setting a steward may change is a ``Setting`` in ``SETTINGS`` below.
The web page (``forums:settings``), the API (``PATCH /api/v1/forums/{slug}/settings``)
and the CLI (``commonground forum settings``) are all built from this list, so a new
setting is one column (on ``Forum``, or on a one-to-one table of a higher app named in
``holder``) plus one entry here.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground.access.members import AnyUser, require_steward, require_user
from commonground.core.errors import InvalidInput
from commonground.forums import events
from commonground.forums.models import Forum
from commonground.ledger.services import append

RECOGNITION = gettext_lazy("Recognition")
CONTRIBUTIONS = gettext_lazy("Contributions and moderation")
ABOUT = gettext_lazy("About the forum")
MESSAGES = gettext_lazy("Messages and consensus")
SESSIONS = gettext_lazy("Sessions: screening, advisory group, schedule and reports")


@dataclass(frozen=True)
class Setting:
    """One setting: its JSON and form name, its type and bounds, and where it is stored."""

    name: str
    kind: type  # bool, int, float or str
    label: Promise
    help_text: Promise
    section: Promise
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    multiline: bool = False
    # "" for a column of Forum; otherwise the related name of a one-to-one table (with a
    # ``forum`` field) that a higher app keeps its forum settings in. Named, not imported,
    # so this low app never imports the higher one.
    holder: str = ""


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "name",
        str,
        gettext_lazy("Name"),
        gettext_lazy("The forum's name, as shown everywhere."),
        ABOUT,
        max_length=160,
    ),
    Setting(
        "description",
        str,
        gettext_lazy("Description"),
        gettext_lazy("What the forum is for (Markdown), shown on its page."),
        ABOUT,
        max_length=4000,
        multiline=True,
    ),
    Setting(
        "min_groups",
        int,
        gettext_lazy("Groups needed for recognition"),
        gettext_lazy("How many stakeholder groups must each bring enough support (1 to 6)."),
        RECOGNITION,
        minimum=1,
        maximum=6,
    ),
    Setting(
        "min_supporters",
        int,
        gettext_lazy("Supporters a group needs to count"),
        gettext_lazy("The fewest supporters from one group for that group to count."),
        RECOGNITION,
        minimum=1,
        maximum=1_000_000,
    ),
    Setting(
        "min_share",
        float,
        gettext_lazy("Share of a group's active members it needs to count"),
        gettext_lazy("A fraction between 0 and 1, e.g. 0.05 for 5 %."),
        RECOGNITION,
        minimum=0.0,
        maximum=1.0,
    ),
    Setting(
        "agenda_slots",
        int,
        gettext_lazy("Agenda slots"),
        gettext_lazy("How many recognized issues the agenda lists at most."),
        RECOGNITION,
        minimum=1,
        maximum=10_000,
    ),
    Setting(
        "verified_required_for_signals_and_advice",
        bool,
        gettext_lazy("Only verified members may signal or advise"),
        gettext_lazy("Signals of concern and technical advice need a verified stakeholder group."),
        CONTRIBUTIONS,
        holder="contribution_settings",
    ),
    Setting(
        "report_threshold",
        int,
        gettext_lazy("Reports that hide a contribution"),
        gettext_lazy("Distinct members whose reports hide a contribution automatically."),
        CONTRIBUTIONS,
        minimum=1,
        maximum=1000,
        holder="contribution_settings",
    ),
    Setting(
        "message_comment_min_days",
        int,
        gettext_lazy("Shortest comment window (days)"),
        gettext_lazy("A message's public comment window lasts at least this many days."),
        MESSAGES,
        minimum=1,
        maximum=365,
        holder="message_settings",
    ),
    Setting(
        "consensus_max_mean",
        float,
        gettext_lazy("Consensus: highest mean share of objections"),
        gettext_lazy("O, the mean over groups of their share of objections, is at most this."),
        MESSAGES,
        minimum=0.0,
        maximum=1.0,
        holder="message_settings",
    ),
    Setting(
        "consensus_max_group",
        float,
        gettext_lazy("Consensus: highest share in any group"),
        gettext_lazy("No group objects with a larger share than this."),
        MESSAGES,
        minimum=0.0,
        maximum=1.0,
        holder="message_settings",
    ),
    Setting(
        "strong_support_min",
        float,
        gettext_lazy("Strong support: lowest mean share"),
        gettext_lazy("A, the mean over groups of support or can-live-with, is at least this."),
        MESSAGES,
        minimum=0.0,
        maximum=1.0,
        holder="message_settings",
    ),
    Setting(
        "minority_group_min",
        float,
        gettext_lazy("Minority view: a group's share of objections"),
        gettext_lazy("A group objecting with at least this share is named as a minority."),
        MESSAGES,
        minimum=0.0,
        maximum=1.0,
        holder="message_settings",
    ),
    Setting(
        "min_confirmed_speakers",
        int,
        gettext_lazy("Confirmed speakers a proposal needs"),
        gettext_lazy(
            "Screening declines a proposal with fewer confirmed speakers (rule "
            "min_confirmed_speakers)."
        ),
        SESSIONS,
        minimum=0,
        maximum=50,
        holder="session_settings",
    ),
    Setting(
        "require_gender_diversity",
        bool,
        gettext_lazy("Speakers not all of one gender"),
        gettext_lazy(
            "When ticked, screening declines a proposal whose speakers are all of one gender "
            "(rule speaker_gender_diversity)."
        ),
        SESSIONS,
        holder="session_settings",
    ),
    Setting(
        "min_speaker_groups",
        int,
        gettext_lazy("Stakeholder groups among the speakers"),
        gettext_lazy(
            "Screening declines a proposal whose speakers come from fewer stakeholder groups "
            "(rule min_speaker_groups)."
        ),
        SESSIONS,
        minimum=0,
        maximum=6,
        holder="session_settings",
    ),
    Setting(
        "bar_advisory_members",
        bool,
        gettext_lazy("Advisory group members may not propose"),
        gettext_lazy(
            "When ticked, screening declines a proposal made by a member of the advisory group "
            "(rule advisory_member_proposer)."
        ),
        SESSIONS,
        holder="session_settings",
    ),
    Setting(
        "past_report_cycles",
        int,
        gettext_lazy("Past cycles whose sessions need a report"),
        gettext_lazy(
            "Screening declines a proposal whose proposer left a session of these last cycles "
            "without a report; 0 switches it off (rule missing_past_report)."
        ),
        SESSIONS,
        minimum=0,
        maximum=20,
        holder="session_settings",
    ),
    Setting(
        "max_proposals_per_proposer",
        int,
        gettext_lazy("Proposals per proposer"),
        gettext_lazy(
            "Screening declines a proposer's proposals past this number in a cycle (rule "
            "max_proposals_per_proposer)."
        ),
        SESSIONS,
        minimum=1,
        maximum=1000,
        holder="session_settings",
    ),
    Setting(
        "max_policy_questions",
        int,
        gettext_lazy("Policy questions per proposal at most"),
        gettext_lazy("A proposal asks 1 to this many policy questions."),
        SESSIONS,
        minimum=1,
        maximum=20,
        holder="session_settings",
    ),
    Setting(
        "government_max_share",
        float,
        gettext_lazy("Largest government share of advisory seats"),
        gettext_lazy("A fraction, e.g. 0.4 for 40 %; IGO observers are not counted."),
        SESSIONS,
        minimum=0.0,
        maximum=1.0,
        holder="session_settings",
    ),
    Setting(
        "balanced_groups_max_difference",
        int,
        gettext_lazy("Largest seat difference between balanced groups"),
        gettext_lazy("Civil society, private sector and the technical community."),
        SESSIONS,
        minimum=0,
        maximum=100,
        holder="session_settings",
    ),
    Setting(
        "reason_required_at_or_below",
        int,
        gettext_lazy("Scores that need a reason"),
        gettext_lazy("A score at or below this needs a reason code and a comment."),
        SESSIONS,
        minimum=0,
        maximum=5,
        holder="session_settings",
    ),
    Setting(
        "merge_similarity",
        float,
        gettext_lazy("Similarity that suggests a merge"),
        gettext_lazy("Word overlap (0 to 1) of two proposals on one issue."),
        SESSIONS,
        minimum=0.0,
        maximum=1.0,
        holder="session_settings",
    ),
    Setting(
        "max_sessions_per_speaker",
        int,
        gettext_lazy("Sessions per speaker at most"),
        gettext_lazy("The schedule refuses a speaker in more sessions."),
        SESSIONS,
        minimum=1,
        maximum=100,
        holder="session_settings",
    ),
    Setting(
        "report_due_days",
        int,
        gettext_lazy("Days after a session its report is due"),
        gettext_lazy("Later reports are flagged late."),
        SESSIONS,
        minimum=1,
        maximum=365,
        holder="session_settings",
    ),
    Setting(
        "max_key_takeaways",
        int,
        gettext_lazy("Key takeaways per report at most"),
        gettext_lazy("A report gives 1 to this many key takeaways."),
        SESSIONS,
        minimum=1,
        maximum=20,
        holder="session_settings",
    ),
)

BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


def _holder_model(setting: Setting) -> type[models.Model]:
    return Forum._meta.get_field(setting.holder).related_model  # type: ignore[return-value]


def _holder(forum: Forum, setting: Setting, *, lock: bool = False) -> models.Model:
    """The row holding the setting: the forum, or its one-to-one settings row (made when
    first written; read as the model's defaults until then)."""
    if not setting.holder:
        return forum
    model = _holder_model(setting)
    if lock:
        row, _created = model.objects.select_for_update().get_or_create(forum=forum)  # type: ignore[attr-defined]
        return row
    found = model.objects.filter(forum=forum).first()  # type: ignore[attr-defined]
    return found if found is not None else model(forum=forum)


def current(forum: Forum) -> dict[str, Any]:
    """Every setting of the forum by name (one query per holder table)."""
    rows: dict[str, models.Model] = {}
    values = {}
    for setting in SETTINGS:
        if setting.holder not in rows:
            rows[setting.holder] = _holder(forum, setting)
        values[setting.name] = getattr(rows[setting.holder], setting.name)
    return values


def clean(setting: Setting, value: Any) -> Any:
    """The value checked against the setting's type and bounds, or InvalidInput naming it.

    Types are strict, as in the API's schemas: ``true`` is not a number and ``47.0``
    is not a whole number.
    """
    name = setting.name
    if setting.kind is bool:
        if not isinstance(value, bool):
            raise InvalidInput(_("%(name)s: give true or false.") % {"name": name})
        return value
    if setting.kind is str:
        if not isinstance(value, str):
            raise InvalidInput(_("%(name)s: give a text.") % {"name": name})
        value = value.strip()
        if "\x00" in value:
            raise InvalidInput(
                _("%(name)s: text must not contain NUL characters.") % {"name": name}
            )
        if setting.max_length is not None and len(value) > setting.max_length:
            raise InvalidInput(
                _("%(name)s: at most %(max)s characters.")
                % {"name": name, "max": setting.max_length}
            )
        if name == "name" and not value:
            raise InvalidInput(_("%(name)s: must not be empty.") % {"name": name})
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(_("%(name)s: give a number.") % {"name": name})
    if setting.kind is int and not isinstance(value, int):
        raise InvalidInput(_("%(name)s: give a whole number.") % {"name": name})
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidInput(_("%(name)s: give a finite number.") % {"name": name})
    low, high = setting.minimum, setting.maximum
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = {"name": name, "min": _number(low), "max": _number(high)}
        raise InvalidInput(_("%(name)s: give a number from %(min)s to %(max)s.") % bounds)
    return setting.kind(value)


def _number(value: float | None) -> str:
    if value is None:
        return "…"
    return f"{value:,}" if float(value) != int(value) else f"{int(value):,}"


def _ledger_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """The changed settings as ledger fields: decimals as strings (the ledger refuses
    floats, ambiguous across languages) and long free text by its SHA-256 digest
    (``description_sha256``, as contributions do: docs/ledger.md, "Free text by digest")."""
    fields: dict[str, Any] = {}
    for name, value in values.items():
        if BY_NAME[name].multiline:
            fields[f"{name}_sha256"] = hashlib.sha256(value.encode("utf-8")).hexdigest()
        else:
            fields[name] = repr(value) if isinstance(value, float) else value
    return dict(sorted(fields.items()))


def update_settings(actor: AnyUser | None, forum: Forum, changes: Mapping[str, Any]) -> Forum:
    """A steward changes some of the forum's settings (operators from the CLI: ``actor``
    None). Every value is checked first; a bad one refuses the whole change with a message
    naming it. The ledger records the settings that changed, with their new values."""
    with transaction.atomic():
        actor_id = None
        if actor is not None:
            require_steward(actor, forum)
            actor_id = require_user(actor).public_id
        if not isinstance(changes, Mapping) or not changes:
            raise InvalidInput(_("Give at least one setting to change."))
        unknown = sorted(str(k) for k in changes if k not in BY_NAME)
        if unknown:
            raise InvalidInput(
                _("%(name)s: no such setting; the settings are %(names)s.")
                % {"name": unknown[0][:60], "names": ", ".join(BY_NAME)}
            )
        cleaned = {name: clean(BY_NAME[name], value) for name, value in changes.items()}
        forum = Forum.objects.select_for_update().get(pk=forum.pk)
        rows: dict[str, models.Model] = {}
        changed: dict[str, list[str]] = {}
        for name, value in cleaned.items():
            setting = BY_NAME[name]
            if setting.holder not in rows:
                rows[setting.holder] = _holder(forum, setting, lock=True)
            row = rows[setting.holder]
            if getattr(row, name) != value:
                setattr(row, name, value)
                changed.setdefault(setting.holder, []).append(name)
        for holder, names in changed.items():
            rows[holder].save(update_fields=names)
        if changed:
            values = {n: cleaned[n] for names in changed.values() for n in names}
            append(events.settings_changed(forum, actor_id, _ledger_fields(values)))
    return forum
