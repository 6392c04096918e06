"""Which statement a participant sees next: Polis's routing priority (no Django).

Polis (``conversation.clj``, ``comment-priorities``) draws the next statement at random
among those the participant has not voted on, weighted by

    priority = (importance * (1 + 8 * 2 ** (-S / 5))) ** 2
    importance = (1 - (P + 1) / (S + 2)) * (E + 1) * (A + 1) / (S + 2)

with A agrees, P passes and S votes seen on the statement, and E its extremity (how far
the statement lies from the centre of the opinion map). Rarely seen statements get a
boost that fades as votes come in; often-passed statements sink; statements that split
the groups (high E) and that people agree with rise. Meta statements get 49 (we have
none).
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Generic, TypeVar

# A statement's key: its id on an instance, any hashable in tests and replays.
K = TypeVar("K", bound=Hashable)

META_PRIORITY = 49.0


@dataclass(frozen=True)
class StatementTally(Generic[K]):
    """What routing knows about one statement."""

    statement: K
    agree: int = 0
    passes: int = 0
    seen: int = 0
    extremity: float = 0.0


def priority(agree: int, passes: int, seen: int, extremity: float) -> float:
    """Polis's routing weight for a statement (always > 0)."""
    importance = (
        (1.0 - (passes + 1.0) / (seen + 2.0)) * (extremity + 1.0) * (agree + 1.0) / (seen + 2.0)
    )
    return (importance * (1.0 + 8.0 * 2.0 ** (-seen / 5.0))) ** 2


def statement_extremity(center: float, loadings: Sequence[float], n_statements: int) -> float:
    """Extremity of a statement as Polis computes it: the length of the projection of a
    virtual participant who agreed with that statement alone.

    ``center`` is the statement's mean vote (agree +1), ``loadings`` its coefficients in
    the principal components; the sparsity-aware scale for one vote is
    ``sqrt(n_statements)``.
    """
    scale = math.sqrt(max(n_statements, 1)) * abs(1.0 - center)
    return scale * math.sqrt(sum(x * x for x in loadings))


def next_statement(
    tallies: Sequence[StatementTally[K]],
    voted: AbstractSet[K],
    rng: random.Random | None = None,
) -> StatementTally[K] | None:
    """The statement to show next among those not in ``voted``.

    With ``rng``, a weighted draw as in Polis; without, the highest priority (ties: the
    earlier statement in ``tallies``). None when every statement has been voted on.
    """
    candidates = [t for t in tallies if t.statement not in voted]
    if not candidates:
        return None
    weights = [priority(t.agree, t.passes, t.seen, t.extremity) for t in candidates]
    if rng is None:
        best = max(range(len(candidates)), key=lambda i: (weights[i], -i))
        return candidates[best]
    return rng.choices(candidates, weights=weights, k=1)[0]


def priorities(tallies: Sequence[StatementTally[K]]) -> Mapping[K, float]:
    """Priority of every statement, by statement."""
    return {t.statement: priority(t.agree, t.passes, t.seen, t.extremity) for t in tallies}
