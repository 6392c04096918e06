"""The rules of the session programme as pure functions (docs/sessions.md).

Screening a proposal, checking the advisory group's composition, ranking scored
proposals with suggested merges, and finding schedule clashes. No Django: the pages,
the API and anyone holding the open data compute the same results with these.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction
from typing import Final

# The screening rules in the order they are checked and shown (docs/sessions.md).
SCREENING_RULES: Final[tuple[str, ...]] = (
    "required_fields",
    "min_confirmed_speakers",
    "speaker_gender_diversity",
    "min_speaker_groups",
    "advisory_member_proposer",
    "missing_past_report",
    "max_proposals_per_proposer",
)

CRITERIA: Final[tuple[str, ...]] = ("relevance", "content", "interaction", "diversity")
DISCLOSED_GENDERS: Final[frozenset[str]] = frozenset({"woman", "man", "non_binary"})

# The technical community counts Internet institutions and the academic & technical
# community together (docs/sessions.md); IGO members are observers and take no seat in the count.
BALANCED_SEATS: Final[dict[str, tuple[str, ...]]] = {
    "civil_society": ("civil_society",),
    "private_sector": ("private_sector",),
    "technical_community": ("internet_institution", "academic_technical"),
}


# ---------------------------------------------------------------- screening


@dataclass(frozen=True)
class ScreeningSettings:
    min_confirmed_speakers: int = 3
    require_gender_diversity: bool = True
    min_speaker_groups: int = 2
    bar_advisory_members: bool = True
    past_report_cycles: int = 2
    max_proposals_per_proposer: int = 3


@dataclass(frozen=True)
class SpeakerFacts:
    stakeholder_group: str
    gender: str
    confirmed: bool


@dataclass(frozen=True)
class ProposalFacts:
    """What screening reads of one proposal and its proposer."""

    missing_fields: tuple[str, ...]
    speakers: tuple[SpeakerFacts, ...]
    proposer_is_advisory_member: bool
    sessions_without_report: int
    # 1 for the proposer's earliest live proposal in the cycle, 2 for the next, ...
    position_among_proposers_proposals: int


def screen(facts: ProposalFacts, settings: ScreeningSettings) -> list[str]:
    """The codes of the rules the proposal fails, in ``SCREENING_RULES`` order."""
    failures: list[str] = []
    if facts.missing_fields:
        failures.append("required_fields")
    if sum(1 for s in facts.speakers if s.confirmed) < settings.min_confirmed_speakers:
        failures.append("min_confirmed_speakers")
    genders = {s.gender for s in facts.speakers if s.gender in DISCLOSED_GENDERS}
    if settings.require_gender_diversity and len(genders) < 2:
        failures.append("speaker_gender_diversity")
    if len({s.stakeholder_group for s in facts.speakers}) < settings.min_speaker_groups:
        failures.append("min_speaker_groups")
    if settings.bar_advisory_members and facts.proposer_is_advisory_member:
        failures.append("advisory_member_proposer")
    if settings.past_report_cycles > 0 and facts.sessions_without_report > 0:
        failures.append("missing_past_report")
    if facts.position_among_proposers_proposals > settings.max_proposals_per_proposer:
        failures.append("max_proposals_per_proposer")
    return failures


# ---------------------------------------------------------------- advisory group


@dataclass(frozen=True)
class CompositionProblem:
    rule: str  # "government_share" or "balanced_groups"
    counts: dict[str, int]


def technical_community(seats: Mapping[str, int]) -> int:
    return sum(seats.get(g, 0) for g in BALANCED_SEATS["technical_community"])


def composition_problems(
    seats: Mapping[str, int], *, government_max_share: Fraction, max_difference: int
) -> list[CompositionProblem]:
    """The composition rules an advisory group with these seats per group breaks.

    Government seats are at most ``government_max_share`` of the counted seats (every
    seat but the observers'); civil society, private sector and the technical community
    differ by at most ``max_difference`` seats. The share is compared exactly.
    """
    problems: list[CompositionProblem] = []
    counted = sum(n for g, n in seats.items() if g != "intergovernmental")
    government = seats.get("government", 0)
    if counted and Fraction(government, counted) > government_max_share:
        problems.append(
            CompositionProblem("government_share", {"government": government, "seats": counted})
        )
    balanced = {
        name: sum(seats.get(g, 0) for g in groups) for name, groups in BALANCED_SEATS.items()
    }
    if max(balanced.values()) - min(balanced.values()) > max_difference:
        problems.append(CompositionProblem("balanced_groups", balanced))
    return problems


# ---------------------------------------------------------------- ranking


@dataclass(frozen=True)
class ScoredProposal:
    id: int
    submitted_order: int  # smaller is earlier
    issue_ids: frozenset[int]
    text: str
    # Per score: the four criteria.
    scores: Sequence[Sequence[int]] = ()


@dataclass
class Ranked:
    id: int
    rank: int
    mean_score: float | None
    scores: int
    spread: float | None
    suggested_merge_with: list[int] = field(default_factory=list)


def _mean(values: Sequence[int | Fraction]) -> Fraction:
    return Fraction(sum(values), len(values))


def rank_proposals(items: Iterable[ScoredProposal], *, merge_similarity: float) -> list[Ranked]:
    """Proposals by mean score, highest first; ties: more scores, then earlier submission.

    A proposal's mean is the mean over its scores of each score's mean criterion; the
    spread is the highest minus the lowest of those per-score means. Unscored proposals
    come last. Merges are suggested between proposals that share an agenda issue and
    whose words are similar (``merge_similarity``, Jaccard on word sets).
    """
    items = list(items)
    rows = []
    for item in items:
        per_score = [_mean(s) for s in item.scores]
        mean = _mean(per_score) if per_score else None
        spread = (max(per_score) - min(per_score)) if per_score else None
        rows.append((item, mean, spread, len(per_score)))
    rows.sort(key=lambda r: (r[1] is None, -(r[1] or 0), -r[3], r[0].submitted_order, r[0].id))
    merges = suggest_merges(items, merge_similarity)
    return [
        Ranked(
            id=item.id,
            rank=i + 1,
            mean_score=round(float(mean), 3) if mean is not None else None,
            scores=count,
            spread=round(float(spread), 3) if spread is not None else None,
            suggested_merge_with=merges.get(item.id, []),
        )
        for i, (item, mean, spread, count) in enumerate(rows)
    ]


_WORD = re.compile(r"\w{4,}")


def words(text: str) -> frozenset[str]:
    """The words of four letters or more, lower-cased: enough to tell topics apart."""
    return frozenset(w.casefold() for w in _WORD.findall(text))


def similarity(a: str, b: str) -> float:
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / len(wa | wb)


def suggest_merges(items: Sequence[ScoredProposal], threshold: float) -> dict[int, list[int]]:
    """For each proposal, the others on a shared issue at least ``threshold`` similar."""
    merges: dict[int, list[int]] = {}
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            if a.issue_ids & b.issue_ids and similarity(a.text, b.text) >= threshold:
                merges.setdefault(a.id, []).append(b.id)
                merges.setdefault(b.id, []).append(a.id)
    return {k: sorted(v) for k, v in merges.items()}


# ---------------------------------------------------------------- schedule


def overlaps(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> bool:
    """Two half-open time slots share a moment (back to back is no overlap)."""
    return a[0] < b[1] and b[0] < a[1]


def score_aggregates(
    scores: Sequence[Sequence[int]],
) -> tuple[int, float, float, *tuple[float, ...]]:
    """A proposal's published aggregates of its (non-empty) blind scores: how many, the
    mean of each score's mean criterion, the spread of those means, and each criterion's
    mean, rounded to 3 decimals (session_scores.csv; the ``session.scores`` entry)."""

    def mean(values: Sequence[Fraction]) -> float:
        return round(float(sum(values) / len(values)), 3)

    per_score = [Fraction(sum(v), len(v)) for v in scores]
    criteria = [mean([Fraction(v[i]) for v in scores]) for i in range(len(CRITERIA))]
    spread = round(float(max(per_score) - min(per_score)), 3)
    return (len(scores), mean(per_score), spread, *criteria)
