"""Recognition: which issues of concern the forum puts on its agenda (docs/recognition.md).

For a cycle, ``n_g`` is the number of participants of stakeholder group ``g`` who supported
at least one issue (the group's *active* members) and ``s_g(i)`` the supports of issue ``i``
from group ``g``. Then

* group rate ``r_g(i) = (s_g(i) + 1) / (n_g + 2)`` (Laplace smoothing; exactly 1/2 for a group
  with no active member, so an absent group shifts no ranking);
* balanced support ``B(i)`` = geometric mean of the six group rates;
* breadth ``K(i)`` = number of groups with ``n_g > 0``, ``s_g(i) >= min_supporters`` and
  ``s_g(i) / n_g >= min_share``;
* ``recognized`` iff ``K(i) >= min_groups``; the agenda lists recognized issues by ``B``
  descending (ties: earliest raised, then issue id), cut at ``slots``.

This package is pure NumPy (no Django) so that anyone can recompute an agenda from the open
data and so that it can be benchmarked alone. Everything over issues or supports is
vectorized; Python loops run only over the six groups, over the few issues that compete for
the last agenda slots, and when a reason is formatted for display.

The modules: ``settings`` (groups and constants), ``compute`` (tally and compute) and
``result`` (the figures, ranks and reasons).
"""

from commonground.analysis.recognition.compute import compute, tally
from commonground.analysis.recognition.result import RecognitionResult
from commonground.analysis.recognition.settings import (
    GROUP_LABELS,
    GROUPS,
    N_GROUPS,
    RecognitionSettings,
)

__all__ = [
    "GROUPS",
    "GROUP_LABELS",
    "N_GROUPS",
    "RecognitionResult",
    "RecognitionSettings",
    "compute",
    "tally",
]
