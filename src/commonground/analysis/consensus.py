"""The suggested consensus designation of a message (docs/consensus.md).

During a message's public comment window each member records one position: ``support``,
``can_live_with`` or ``object``. For every stakeholder group ``g`` with at least one
position, ``o_g`` is the share of its positions that object and ``a_g`` the share that
support or can live with the message. Groups weigh the same however many positions each
brings; a group with no position is left out (and named):

* ``O`` = mean of ``o_g`` over those groups, ``A`` = mean of ``a_g``;
* level: ``full_consensus`` if there is no objection at all; else ``consensus`` if
  ``O <= consensus_max_mean`` and every ``o_g <= consensus_max_group``; else
  ``strong_support_significant_opposition`` if ``A >= strong_support_min``; else
  ``divergence``;
* a minority view is suggested beside any level but ``full_consensus`` when some group has
  ``o_g >= minority_group_min``: those are the minority groups.

The figures are exact fractions: a share such as 1/10 compared with the threshold 0.10 must
not fall on the wrong side through binary rounding, so thresholds are read from their
decimal text and every comparison is exact. Floats appear only in ``as_json``.

This module imports no Django: the CLI recomputes a suggestion from the open data alone
(``commonground consensus --from DIR MESSAGE_ID``) with the same function the pages use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final

from commonground.stakeholders import GROUPS

POSITIONS: Final[tuple[str, ...]] = ("support", "can_live_with", "object")

# From the strongest to the weakest; ``LEVEL_RANK`` orders them (higher is stronger).
LEVELS: Final[tuple[str, ...]] = (
    "full_consensus",
    "consensus",
    "strong_support_significant_opposition",
    "divergence",
)
LEVEL_RANK: Final[dict[str, int]] = {level: len(LEVELS) - i for i, level in enumerate(LEVELS)}

Number = int | float | str | Decimal | Fraction


def exact(value: Number) -> Fraction:
    """A threshold as an exact fraction of the decimal it was written as (0.1 is 1/10)."""
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(value)


@dataclass(frozen=True)
class ConsensusSettings:
    """The forum's four thresholds (the defaults of docs/consensus.md)."""

    consensus_max_mean: Number = "0.10"
    consensus_max_group: Number = "0.25"
    strong_support_min: Number = "0.60"
    minority_group_min: Number = "0.50"

    def __post_init__(self) -> None:
        for name in (
            "consensus_max_mean",
            "consensus_max_group",
            "strong_support_min",
            "minority_group_min",
        ):
            value = exact(getattr(self, name))
            if not 0 <= value <= 1:
                raise ValueError(f"{name} must be between 0 and 1, not {value}")


@dataclass(frozen=True)
class GroupFigures:
    """One stakeholder group's positions and shares (``None`` shares: no position)."""

    group: str
    support: int
    can_live_with: int
    object: int

    @property
    def total(self) -> int:
        return self.support + self.can_live_with + self.object

    @property
    def o(self) -> Fraction | None:
        """Share of the group's positions that object."""
        return Fraction(self.object, self.total) if self.total else None

    @property
    def a(self) -> Fraction | None:
        """Share of the group's positions that support or can live with the message."""
        return Fraction(self.support + self.can_live_with, self.total) if self.total else None


@dataclass(frozen=True)
class Suggestion:
    """The suggested level with the figures it follows from."""

    level: str
    mean_o: Fraction | None  # the design's O
    mean_a: Fraction | None  # the design's A
    groups: dict[str, GroupFigures]
    minority_groups: tuple[str, ...]
    settings: ConsensusSettings = field(default_factory=ConsensusSettings)

    @property
    def counted_groups(self) -> tuple[str, ...]:
        """The groups with at least one position, in the fixed group order."""
        return tuple(g for g in GROUPS if self.groups[g].total)

    @property
    def groups_left_out(self) -> tuple[str, ...]:
        """The groups with no position: left out of the means, and named on the page."""
        return tuple(g for g in GROUPS if not self.groups[g].total)

    @property
    def objections(self) -> int:
        return sum(f.object for f in self.groups.values())

    @property
    def minority_view_suggested(self) -> bool:
        return bool(self.minority_groups)

    def as_json(self) -> dict[str, Any]:
        """The suggestion as JSON (the API's ``suggested`` and the CLI's output)."""

        def number(value: Fraction | None) -> float | None:
            return None if value is None else float(value)

        return {
            "level": self.level,
            "minority_groups": list(self.minority_groups),
            "O": number(self.mean_o),
            "A": number(self.mean_a),
            "groups_left_out": list(self.groups_left_out),
            "groups": {
                g: {
                    "support": f.support,
                    "can_live_with": f.can_live_with,
                    "object": f.object,
                    "o": number(f.o),
                    "a": number(f.a),
                }
                for g, f in self.groups.items()
            },
        }


def suggest(
    counts: Mapping[str, Mapping[str, int]], settings: ConsensusSettings | None = None
) -> Suggestion:
    """The suggested designation from each group's counts of positions.

    ``counts`` maps a stakeholder group to its ``{"support": n, "can_live_with": n,
    "object": n}``; missing groups and missing positions count 0. Unknown groups or
    positions, and negative counts, are a ``ValueError``.
    """
    settings = settings or ConsensusSettings()
    unknown = set(counts) - set(GROUPS)
    if unknown:
        raise ValueError(f"unknown stakeholder groups: {', '.join(sorted(unknown))}")
    groups: dict[str, GroupFigures] = {}
    for group in GROUPS:
        row = counts.get(group, {})
        extra = set(row) - set(POSITIONS)
        if extra:
            raise ValueError(f"unknown positions: {', '.join(sorted(extra))}")
        values = [int(row.get(p, 0)) for p in POSITIONS]
        if min(values) < 0:
            raise ValueError("position counts are not negative")
        groups[group] = GroupFigures(group, *values)

    counted = [f for f in groups.values() if f.total]
    o_shares = [f.o for f in counted if f.o is not None]
    a_shares = [f.a for f in counted if f.a is not None]
    big_o = sum(o_shares, Fraction(0)) / len(counted) if counted else None
    big_a = sum(a_shares, Fraction(0)) / len(counted) if counted else None

    objections = sum(f.object for f in counted)
    if objections == 0:
        level = "full_consensus"
    elif (
        big_o is not None
        and big_o <= exact(settings.consensus_max_mean)
        and max(o_shares) <= exact(settings.consensus_max_group)
    ):
        level = "consensus"
    elif big_a is not None and big_a >= exact(settings.strong_support_min):
        level = "strong_support_significant_opposition"
    else:
        level = "divergence"

    minority: tuple[str, ...] = ()
    if level != "full_consensus":
        threshold = exact(settings.minority_group_min)
        minority = tuple(f.group for f in counted if f.o is not None and f.o >= threshold)
    return Suggestion(level, big_o, big_a, groups, minority, settings)


def counts_of(positions: list[tuple[str, str]]) -> dict[str, dict[str, int]]:
    """Counts per group from ``(stakeholder_group, position)`` pairs, one per member."""
    counts: dict[str, dict[str, int]] = {g: dict.fromkeys(POSITIONS, 0) for g in GROUPS}
    for group, position in positions:
        if group not in counts:
            raise ValueError(f"unknown stakeholder group: {group}")
        if position not in POSITIONS:
            raise ValueError(f"unknown position: {position}")
        counts[group][position] += 1
    return counts
