"""The network's tables follow from the ledger (issue 18): forwards (local and from another
instance), merges, the NRI's team and annual reports are folded; ``ledger audit`` names a
direct edit of any of them and ``import`` refuses a package whose table was forged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from commonground.federation.identity import public_url
from commonground.issues.models import Issue
from commonground.issues.services import raise_issue, support_issue
from commonground.network.merge import merge_issues
from commonground.network.models import Forward, TeamMember
from commonground.network.nri import add_team_member, file_annual_report, remove_team_member
from commonground.network.services import forward_issue
from commonground.opendata.export import export_forum
from commonground.opendata.importer import ImportRefused, import_package
from commonground.opendata.ledger_audit import audit_database
from tests.federation.sender import Sender, encode
from tests.ledger.helpers import ledger_key  # noqa: F401 - autouse fixture
from tests.ledger_helpers import csv_rows, write_rows
from tests.ledger_helpers import run_sql as _sql
from tests.network.conftest import Network

pytestmark = pytest.mark.django_db


def _seed(network: Network) -> Forward:
    """Kenya forwards to Africa, which merges it into its own issue; Africa's team changes
    coordinator and loses a member; Kenya files its annual report."""
    africa, steward = network.africa, network.africa_steward
    forward = forward_issue(network.world.steward, network.on_agenda, africa)
    same = raise_issue(steward, africa, title="Rural cost", description="Villages pay more.")
    support_issue(steward, same)
    merge_issues(steward, forward.target_issue, same)
    add_team_member(
        steward, africa, name="Ada", stakeholder_group="civil_society", coordinator=True
    )
    ben = add_team_member(steward, africa, name="Ben", stakeholder_group="academic_technical")
    add_team_member(steward, africa, name="Cy", stakeholder_group="government", coordinator=True)
    remove_team_member(steward, africa, ben.pk)
    file_annual_report(
        network.world.steward, network.world.cycle, edition="Kenya IGF 2027",
        dates="3-4 June 2027", venue="Nairobi", preparation="Open calls.", outcomes="Messages.",
    )  # fmt: skip
    return forward


def _lines() -> list[str]:
    return [d.line() for d in audit_database().differences]


def test_forwards_merges_team_and_reports_follow_from_the_ledger(network: Network) -> None:
    _seed(network)
    assert _lines() == []
    assert not TeamMember.objects.filter(name="Ada", is_coordinator=True).exists()


def test_a_forward_received_from_another_instance_follows_from_its_receive_entry(
    network: Network,
) -> None:
    sender = Sender()
    sender.pin()
    to = public_url() + network.igf.get_absolute_url()
    raw = encode(sender.body(to))
    path = "/api/v1/federation/inbox"
    headers = sender.signed(public_url() + path, raw)
    headers.pop("Content-Type", None)
    answer = Client().post(path, data=raw, content_type="application/json", headers=headers)
    assert answer.status_code == 201, answer.content
    assert _lines() == []
    _sql("UPDATE network_forward SET balanced_support = 0.9, forwarded_by_name = 'Forged'")
    lines = _lines()
    assert any(
        line.startswith("igf/forwards.csv row 1: balanced_support '0.9' differs") for line in lines
    ), lines


@pytest.mark.parametrize(
    ("sql", "named"),
    [
        (
            "UPDATE network_forward SET title = 'Forged title'",
            "africa-igf/forwards.csv row 1: title 'Forged title' differs",
        ),
        (  # the provenance put back on the issue it was merged away from
            "UPDATE network_forward SET target_issue_id = created_issue_id",
            "africa-igf/forwards.csv row 1: issue_id",
        ),
        (
            "UPDATE network_merge SET supports_moved = supports_moved + 5",
            "africa-igf/merges.csv row 1: supports_moved",
        ),
        (
            "UPDATE network_teammember SET stakeholder_group = 'private_sector' WHERE name = 'Ada'",
            "africa-igf/nri_team.csv row 1: stakeholder_group 'private_sector' differs",
        ),
        (
            "DELETE FROM network_teammember WHERE name = 'Ada'",
            "africa-igf/nri_team.csv: the ledger's team member",
        ),
        (
            "UPDATE network_annualreport SET venue = 'Mombasa'",
            "kenya-igf/annual_reports.csv row 1: venue 'Mombasa' differs",
        ),
    ],
)
def test_a_direct_edit_of_a_network_table_is_named_by_the_audit(
    network: Network, sql: str, named: str
) -> None:
    _seed(network)
    _sql(sql)
    lines = _lines()
    assert any(line.startswith(named) for line in lines), lines


def _edit(path: Path, edit: Any) -> None:
    rows = csv_rows(path)
    edit(rows)
    write_rows(path, rows)


def test_import_refuses_a_package_whose_forward_or_team_was_forged(
    network: Network, tmp_path: Path
) -> None:
    _seed(network)
    package = export_forum(network.africa, tmp_path / "africa")

    def forge_rank(rows: list[list[str]]) -> None:
        rows[1][rows[0].index("agenda_rank")] = (
            "1" if rows[1][rows[0].index("agenda_rank")] != "1" else "2"
        )

    def add_member(rows: list[list[str]]) -> None:
        rows.append(["999", "Eve", "government", "", "false", rows[1][rows[0].index("added_at")]])

    _edit(package / "forwards.csv", forge_rank)
    with pytest.raises(ImportRefused, match=r"^forwards\.csv row 1: agenda_rank"):
        import_package(package)
    package = export_forum(network.africa, tmp_path / "again")
    _edit(package / "nri_team.csv", add_member)
    with pytest.raises(ImportRefused, match=r"^nri_team\.csv row 3: not in the ledger"):
        import_package(package)
    assert Issue.objects.filter(forum=network.africa).count() == 2  # nothing written
