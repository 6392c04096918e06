"""An issue's recognition status, for the issue page (``{% load recognition %}``).

Recognition sits above issues, so the issue page does not import it: its template
asks for the status here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from commonground.forums.models import Cycle
from commonground.issues.models import Issue
from commonground.recognition.reasons import reason_text
from commonground.recognition.services import live_agenda
from commonground.stakeholders import GROUPS

register = template.Library()
# The request's ``read_carry`` entry: (issue id, what issue_recognition shows).
CARRY = "recognition"


@register.simple_tag(takes_context=True)
def issue_recognition(context: Mapping[str, Any], issue: Issue) -> dict[str, Any]:
    """The issue's row of the live agenda: recognized, rank, reason, each group's part
    (with whether it counts), and the settings it was computed with. An anonymous page
    cached under its recognition (``recognition.read_keys``) shows the one it was keyed by."""
    carried = getattr(context.get("request"), "read_carry", None) or {}
    if carried.get(CARRY) is not None and carried[CARRY][0] == issue.pk:
        return carried[CARRY][1]
    return recognition_of(issue.cycle, issue.pk)


def recognition_of(
    cycle: Cycle, issue_id: int, version: tuple[int, int] | None = None
) -> dict[str, Any]:
    """What ``issue_recognition`` shows for an issue of ``cycle`` (``version``: the cycle's
    tally version, when read already)."""
    agenda = live_agenda(cycle, version)
    row = agenda.row_of(issue_id)
    recognition = agenda.result.issue_dict(row)
    recognition["reason_text"] = reason_text(agenda.result.reason_parts(row))
    for index, group in enumerate(GROUPS):
        recognition["groups"][group]["counts"] = bool(
            agenda.result.supports[row, index] >= agenda.result.thresholds[index]
        )
    return {"status": recognition, "settings": agenda.settings}
