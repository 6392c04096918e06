"""The live agenda: tallies kept exact, publication snapshots, and agreement with open data."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from commonground.cli import main as cli
from commonground.core.errors import NotAllowed, WrongPhase
from commonground.forums.services import advance_cycle, join_forum
from commonground.issues.models import Issue
from commonground.issues.services import raise_issue, support_issue, withdraw_support
from commonground.issues.tallies import active_counts
from commonground.opendata.export import export_forum
from commonground.participants.services import create_account
from commonground.recognition.services import check_tallies, live_agenda, publish_agenda
from commonground.stakeholders import GROUPS
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _issue(world: World, title: str, group: str = "civil_society") -> Issue:
    return raise_issue(world.member[group], world.forum, title=title, description="Concern.")


_CROWD = iter(range(1_000_000))


def _crowd(world: World, group: str, n: int, country: str = "KE") -> list:
    """``n`` new members of ``group`` (fresh accounts every call)."""
    users = []
    for _ in range(n):
        user = create_account(f"{group}{next(_CROWD)}@crowd.example.org", None)
        join_forum(user, world.forum, stakeholder_group=group, country=country)
        users.append(user)
    return users


def test_issue_backed_by_two_groups_is_not_recognized_however_large(world: World) -> None:
    issue = _issue(world, "Two-group issue")
    for user in _crowd(world, "private_sector", 12) + _crowd(world, "civil_society", 12):
        support_issue(user, issue)
    row = live_agenda(world.cycle)
    result = row.result.issue_dict(row.row_of(issue.pk))
    assert result["recognized"] is False and result["breadth"] == 2
    assert result["reason"].startswith("needs 1 more group")


def test_issue_backed_by_three_groups_is_recognized_and_on_the_agenda(world: World) -> None:
    issue = _issue(world, "Three-group issue")
    for group in ("government", "private_sector", "civil_society"):
        for user in _crowd(world, group, 2):
            support_issue(user, issue)
    live = live_agenda(world.cycle)
    result = live.result.issue_dict(live.row_of(issue.pk))
    assert result["recognized"] is True and result["rank"] == 1
    assert result["reason"].startswith("recognized by 3 of 6 groups")


def test_tallies_follow_supports_and_withdrawals_exactly(world: World) -> None:
    issue = _issue(world, "Tallied")
    support_issue(world.member["government"], issue)
    support_issue(world.member["private_sector"], issue)
    withdraw_support(world.member["government"], issue)
    issue.refresh_from_db()
    tallies = issue.supports_by_group
    assert tallies["government"] == 0 and tallies["private_sector"] == 1
    active = active_counts(world.cycle.pk)  # summed over the group's shard rows
    assert active["government"] == 0 and active["private_sector"] == 1
    assert check_tallies(world.cycle) == []


def test_agenda_check_reports_a_tampered_tally(world: World, capsys) -> None:
    issue = _issue(world, "Tampered")
    support_issue(world.member["government"], issue)
    assert cli(["agenda", "check", "kenya-igf"]) == 0
    Issue.objects.filter(pk=issue.pk).update(supports_government=5)
    assert cli(["agenda", "check", "kenya-igf"]) == 1
    out = capsys.readouterr().out
    assert f"issue {issue.pk} government: tally 5, recount 1" in out


def test_steward_publishes_numbered_snapshots_with_a_diff(world: World) -> None:
    first = _issue(world, "First")
    for group in ("government", "private_sector", "civil_society"):
        for user in _crowd(world, group, 2):
            support_issue(user, first)
    advance_cycle(None, world.forum)  # agenda setting
    one = publish_agenda(world.steward, world.forum)
    assert one.number == 1 and one.agenda == [str(first.pk)]
    second = _issue(world, "Second")
    for group in ("academic_technical", "internet_institution", "intergovernmental"):
        for user in _crowd(world, group, 3, "IN"):
            support_issue(user, second)
    two = publish_agenda(world.steward, world.forum)
    assert two.number == 2 and str(second.pk) in two.agenda
    page = world.client_for(None).get(reverse("recognition:publication", args=["kenya-igf", 2]))
    body = page.content.decode()
    assert "Changes since agenda #1" in body and "Added" in body and "Second" in body
    # The first snapshot is frozen: later supports do not change it.
    one.refresh_from_db()
    assert one.agenda == [str(first.pk)]


def test_only_stewards_publish_and_only_in_agenda_phases(world: World) -> None:
    with pytest.raises(NotAllowed):
        publish_agenda(world.member["government"], world.forum)
    with pytest.raises(WrongPhase):
        publish_agenda(world.steward, world.forum)  # still the call for issues


def test_agenda_page_shows_reasons_settings_and_raw_toggle(world: World, anonymous) -> None:
    issue = _issue(world, "Shown on the agenda")
    for group in ("government", "private_sector", "civil_society"):
        for user in _crowd(world, group, 2):
            support_issue(user, issue)
    lonely = _issue(world, "Only civil society cares")
    for user in _crowd(world, "civil_society", 7, "SN"):
        support_issue(user, lonely)
    body = anonymous.get(reverse("recognition:agenda", args=["kenya-igf"])).content.decode()
    assert "Recognized by 3 of 6 groups" in body
    assert "Close to recognition" in body and "Only civil society cares" in body
    assert "at least <strong>3</strong> groups" in body
    raw = anonymous.get(reverse("recognition:agenda", args=["kenya-igf"]), {"order": "raw"})
    raw_body = raw.content.decode()
    assert raw_body.index("Only civil society cares") < raw_body.index("Shown on the agenda")


def test_export_passes_frictionless_validation(world: World, tmp_path: Path) -> None:
    issue = _issue(world, 'Exported, with a comma, and "quotes"')
    support_issue(world.member["government"], issue)
    export_forum(world.forum, tmp_path / "pkg")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "frictionless",
            "validate",
            str(tmp_path / "pkg" / "datapackage.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    descriptor = json.loads((tmp_path / "pkg" / "datapackage.json").read_text())
    assert descriptor["commonground"]["recognition"] == {
        "min_groups": 3,
        "min_supporters": 2,
        "min_share": 0.05,
        "slots": 20,
    }
    participants = (tmp_path / "pkg" / "participants.csv").read_text()
    assert "@" not in participants  # pseudonymous: no e-mail


def test_cli_agenda_from_package_prints_json(world: World, tmp_path: Path) -> None:
    issue = _issue(world, "From the package")
    support_issue(world.member["government"], issue)
    export_forum(world.forum, tmp_path / "pkg")
    out = io.StringIO()
    from commonground.opendata.agenda_output import main_agenda_from

    assert main_agenda_from(str(tmp_path / "pkg"), "json", out) == 0
    data = json.loads(out.getvalue())
    assert data["issues"][0]["issue_id"] == str(issue.pk)
    assert set(data["issues"][0]["groups"]) == set(GROUPS)
