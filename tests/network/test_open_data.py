"""The network in the open-data package: a forum's forwards received (its issues'
provenance), merges, organizing team and annual reports are exported, validate, import
into an empty instance with nothing lost (byte-identical re-export), and the agenda
recomputed from the package equals the live one after a forward and a merge."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from commonground.access.lookup import open_cycle_of
from commonground.cli import main as cli
from commonground.forums.models import Forum
from commonground.forums.services import update_recognition_settings
from commonground.issues.models import Issue
from commonground.issues.services import raise_issue, support_issue
from commonground.network.merge import merge_issues
from commonground.network.models import AnnualReport, Forward, Merge, TeamMember
from commonground.network.nri import add_team_member, file_annual_report
from commonground.network.services import forward_issue
from commonground.opendata.export import export_forum
from commonground.opendata.importer import import_package
from commonground.recognition.services import live_agenda
from tests.network.conftest import Network

pytestmark = pytest.mark.django_db(transaction=True)

TABLES = ("forwards", "merges", "nri_team", "annual_reports")


def _seed(network: Network) -> tuple[Forward, Issue]:
    """Kenya forwards its agenda issue to Africa, where a steward merges it into the same
    concern raised there; Africa has a team with a coordinator and a report of Kenya's
    cycle is filed (Kenya's package carries it)."""
    africa, steward = network.africa, network.africa_steward
    forward = forward_issue(network.world.steward, network.on_agenda, africa)
    same = raise_issue(
        steward, africa, title="Le coût de la connexion rurale",
        description="La connexion coûte trop cher dans les villages.", language="fr",
    )  # fmt: skip
    support_issue(steward, same)
    merge_issues(steward, forward.target_issue, same)
    add_team_member(steward, africa, name="Ada Coordinator", stakeholder_group="civil_society",
                    role="Coordinator", coordinator=True)  # fmt: skip
    add_team_member(steward, africa, name="Ben Engineer", stakeholder_group="academic_technical")
    file_annual_report(
        network.world.steward, network.world.cycle, edition="Kenya IGF 2027",
        dates="3-4 June 2027", venue="Nairobi", preparation="Open calls and a MAG.",
        outcomes="Messages on rural access.",
    )  # fmt: skip
    forward.refresh_from_db()
    return forward, same


def _rows(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / f"{table}.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_forwards_merges_and_the_team_round_trip_through_export_and_import(
    network: Network, tmp_path: Path
) -> None:
    forward, same = _seed(network)
    first = export_forum(network.africa, tmp_path / "first")
    (row,) = _rows(first, "forwards")
    # The provenance as frozen at forwarding, now on the issue it was merged into.
    assert (row["issue_id"], row["created_issue_id"]) == (
        str(same.pk),
        str(forward.created_issue_id),
    )
    assert row["source_forum"] == "kenya-igf" and row["agenda_rank"] == "1"
    assert json.loads(row["supports_by_group"]) == forward.supports_by_group
    (merge,) = _rows(first, "merges")
    assert (merge["issue_id"], merge["into_id"]) == (str(forward.created_issue_id), str(same.pk))
    assert [t["name"] for t in _rows(first, "nri_team")] == ["Ada Coordinator", "Ben Engineer"]
    done = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", str(first / "datapackage.json")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    call_command("flush", interactive=False, verbosity=0)
    import_package(first)
    second = export_forum(Forum.objects.get(slug="africa-igf"), tmp_path / "second")
    assert _files(second) == _files(first)
    restored = Forward.objects.get()
    assert (
        restored.target_issue_id == same.pk and restored.payload()["source"]["forum"] == "kenya-igf"
    )
    assert Merge.objects.get().into_id == same.pk
    assert TeamMember.objects.get(is_coordinator=True).name == "Ada Coordinator"


def test_an_annual_report_round_trips_with_its_forum(network: Network, tmp_path: Path) -> None:
    _seed(network)
    first = export_forum(network.kenya, tmp_path / "first")
    (report,) = _rows(first, "annual_reports")
    assert report["edition"] == "Kenya IGF 2027"
    call_command("flush", interactive=False, verbosity=0)
    import_package(first)
    assert AnnualReport.objects.get().venue == "Nairobi"
    assert _files(export_forum(Forum.objects.get(slug="kenya-igf"), tmp_path / "second")) == (
        _files(first)
    )


def test_the_agenda_from_the_package_equals_the_live_one_after_a_forward_and_a_merge(
    network: Network, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    update_recognition_settings(
        None, network.africa, min_groups=1, min_supporters=1, min_share=0.0, agenda_slots=20
    )
    _, same = _seed(network)
    africa = Forum.objects.get(slug="africa-igf")
    live = live_agenda(open_cycle_of(africa))
    package = export_forum(africa, tmp_path / "pkg")
    capsys.readouterr()
    assert cli(["agenda", "--from", str(package), "--format", "json"]) == 0
    recomputed = json.loads(capsys.readouterr().out)
    ranked = [live.result.issue_ids[i] for i in live.result.agenda]
    assert ranked == [same.pk]  # the merged issue, with the supports of both
    assert recomputed["agenda"] == [str(i) for i in ranked]
