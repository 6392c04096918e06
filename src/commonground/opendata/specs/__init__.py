"""The specs of the package's tables: how each is exported and imported (see ``base``).

One module per domain, like :mod:`commonground.opendata.resources`. ``SPECS`` holds one
spec per table of ``resources.TABLES``, by name; ``LOAD_ORDER`` is the order an import
writes them in (each after the tables its rows refer to).
"""

from __future__ import annotations

from commonground.opendata import resources as r
from commonground.opendata.specs import (
    contributions,
    dialogue,
    forums,
    issues,
    ledger,
    meetings,
    network,
    outcomes,
    translations,
)
from commonground.opendata.specs import recognition as agenda
from commonground.opendata.specs.base import Exporting, Importing, Row, TableSpec

LOAD_ORDER: tuple[TableSpec, ...] = (
    forums.FORUM,
    forums.PARTICIPANTS,  # before the cycles: phase changes name their stewards
    forums.CYCLES,
    forums.PHASE_CHANGES,
    issues.TOPICS,
    issues.ISSUES,
    issues.ISSUE_TOPICS,
    issues.SUPPORTS,
    contributions.SIGNALS,
    contributions.SOLUTIONS,
    contributions.ADVICE,
    contributions.ADVICE_REVISIONS,
    contributions.COMMENTS,
    contributions.MODERATION_LOG,
    agenda.AGENDA_PUBLICATIONS,
    dialogue.CONVERSATIONS,
    dialogue.STATEMENTS,
    dialogue.VOTES,
    meetings.ADVISORY_SEATS,
    meetings.SESSIONS,
    meetings.SESSION_SPEAKERS,
    meetings.SESSION_SCORES,
    meetings.SELECTION_PUBLICATIONS,
    meetings.SESSION_REPORTS,
    outcomes.MESSAGES,
    outcomes.MESSAGE_VERSIONS,
    outcomes.MESSAGE_POSITIONS,
    outcomes.MESSAGE_DISPOSITIONS,
    outcomes.MESSAGE_REPLIES,
    outcomes.MESSAGE_DESIGNATIONS,
    outcomes.MESSAGE_REFERRALS,
    outcomes.MESSAGE_UPTAKE,
    translations.ISSUE_TRANSLATIONS,
    translations.SOLUTION_TRANSLATIONS,
    translations.MESSAGE_TRANSLATIONS,
    network.FORWARDS,
    network.MERGES,
    network.NRI_TEAM,
    network.ANNUAL_REPORTS,
    ledger.CHECKPOINTS,
)

SPECS: dict[str, TableSpec] = {spec.name: spec for spec in LOAD_ORDER}
assert len(SPECS) == len(LOAD_ORDER) and set(SPECS) == {t.name for t in r.TABLES}, (
    "one spec per table of resources.TABLES"
)

__all__ = ["LOAD_ORDER", "SPECS", "Exporting", "Importing", "Row", "TableSpec"]
