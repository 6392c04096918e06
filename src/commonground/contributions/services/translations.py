"""Community translations of solutions: the shared mechanism of ``issues.translating``
for the solution kind (``translating.add_translation(SOLUTION, ...)`` and so on)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from commonground.contributions import events
from commonground.contributions.models import Solution, SolutionTranslation
from commonground.core.errors import Conflict
from commonground.issues import translating


def _takes_translations(solution: Solution) -> None:
    """A solution hidden by moderation is withdrawn from its readers: none to translate."""
    if solution.hidden:
        raise Conflict(
            _("Solution %(id)s is hidden by moderation; it takes no translation.")
            % {"id": solution.pk}
        )


SOLUTION = translating.Kind(
    model=SolutionTranslation,
    parent="solution",
    body="description",
    events=events.SOLUTION_TRANSLATION_BUILDERS,
    check=_takes_translations,
)
