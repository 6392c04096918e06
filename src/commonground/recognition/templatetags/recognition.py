"""An issue's recognition status, for the issue page (``{% load recognition %}``).

Recognition sits above issues, so the issue page does not import it: its template
asks for the status here.
"""

from __future__ import annotations

from typing import Any

from django import template

from commonground.issues.models import Issue
from commonground.recognition.reasons import reason_text
from commonground.recognition.services import live_agenda
from commonground.stakeholders import GROUPS

register = template.Library()


@register.simple_tag
def issue_recognition(issue: Issue) -> dict[str, Any]:
    """The issue's row of the live agenda: recognized, rank, reason, each group's part
    (with whether it counts), and the settings it was computed with."""
    agenda = live_agenda(issue.cycle)
    row = agenda.row_of(issue.pk)
    recognition = agenda.result.issue_dict(row)
    recognition["reason_text"] = reason_text(agenda.result.reason_parts(row))
    for index, group in enumerate(GROUPS):
        recognition["groups"][group]["counts"] = bool(
            agenda.result.supports[row, index] >= agenda.result.thresholds[index]
        )
    return {"status": recognition, "settings": agenda.settings}
