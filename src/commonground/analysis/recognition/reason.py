"""Why an issue is or is not recognized, as data (codes and numbers) and as English text.

The engine imports no Django, so it cannot translate. It hands the display layer a
``Reason`` (what the sentence says, as numbers and group codes) and keeps one English
rendering for the API, the open data and the CLI, whose texts are documented in English.
Pages render the same ``Reason`` in the reader's language
(``commonground.recognition.reasons``).
"""

from __future__ import annotations

from dataclasses import dataclass

from commonground.analysis.recognition.settings import GROUP_LABELS, GROUPS, NEVER

# Per clause of "closest": the groups that need the same number, and that number.
Clause = tuple[tuple[str, ...], int]


@dataclass(frozen=True)
class Reason:
    """What an issue's reason line says.

    ``rank`` is 0 off the agenda; ``more_groups`` is how many more groups must count
    (0 when recognized); ``closest`` lists, nearest first, the groups closest to counting
    with the more supporters each needs (groups needing the same number share a clause);
    ``silent`` names the groups with no active member yet.
    """

    recognized: bool
    breadth: int
    n_groups: int
    rank: int
    slots: int
    more_groups: int
    closest: tuple[Clause, ...]
    silent: tuple[str, ...]

    @property
    def code(self) -> str:
        """``on_agenda``, ``below_slots`` (recognized, past the last slot) or ``needs_groups``."""
        if not self.recognized:
            return "needs_groups"
        return "on_agenda" if self.rank > 0 else "below_slots"


def missing_from(deficits: list[int]) -> list[tuple[str, int]]:
    """(group, more supporters needed) for the groups that could count but do not yet."""
    items = sorted((n, g) for g, n in enumerate(deficits) if 0 < n < NEVER)
    return [(GROUPS[g], n) for n, g in items]


def closest_clauses(need: int, deficits: list[int]) -> tuple[Clause, ...]:
    """The ``need`` groups closest to counting, plus any tied with the last of them,
    grouped by the number of supporters they need."""
    closest = missing_from(deficits)
    if not closest or need <= 0:
        return ()
    cut = closest[min(need, len(closest)) - 1][1]
    shown = closest[:need] + [(g, n) for g, n in closest[need:] if n == cut]
    clauses: list[Clause] = []
    for group, n in shown:
        if clauses and clauses[-1][1] == n:
            clauses[-1] = ((*clauses[-1][0], group), n)
        else:
            clauses.append(((group,), n))
    return tuple(clauses)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _join_labels(labels: list[str]) -> str:
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def english(reason: Reason) -> str:
    """The reason in English, as the API and the open data give it.

    For example "recognized by 4 of 6 groups; on the agenda at rank 3" or "needs 1 more
    group; closest: private sector, 1 more supporter; no voice yet from government".
    """
    parts: list[str] = []
    if reason.recognized:
        parts.append(f"recognized by {reason.breadth} of {reason.n_groups} groups")
        if reason.rank > 0:
            parts.append(f"on the agenda at rank {reason.rank}")
        else:
            slot_word = "agenda slot" if reason.slots == 1 else "agenda slots"
            parts.append(f"recognized but below the {reason.slots} {slot_word}")
    else:
        parts.append(f"needs {_plural(reason.more_groups, 'more group')}")
        if reason.closest:
            clauses = []
            for groups, n in reason.closest:
                each = " each" if len(groups) > 1 else ""
                labels = _join_labels([GROUP_LABELS[g] for g in groups])
                clauses.append(f"{labels}, {_plural(n, 'more supporter')}{each}")
            parts.append("closest: " + "; ".join(clauses))
    if reason.silent:
        parts.append(f"no voice yet from {', '.join(GROUP_LABELS[g] for g in reason.silent)}")
    return "; ".join(parts)
