"""Messages in the open-data package: exported, imported into an empty instance with
nothing lost (byte-identical re-export), and the suggestion recomputed from the package
alone by ``commonground consensus --from DIR`` equal to the live one."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from commonground.cli import main as cli
from commonground.forums.models import Forum
from commonground.forums.services import advance_cycle
from commonground.issues import translating
from commonground.meetings.models import Report
from commonground.opendata.export import export_forum
from commonground.opendata.importer import import_package
from commonground.outcomes import chairing, followup, services
from commonground.outcomes.models import Message
from commonground.outcomes.translations import MESSAGE
from tests.conftest import World
from tests.meetings.conftest import Programme, programme  # noqa: F401 (a fixture)
from tests.meetings.test_open_data import _run_cycle
from tests.outcomes.conftest import DAY, positions

pytestmark = pytest.mark.django_db(transaction=True)

TABLES = (
    "messages",
    "message_versions",
    "message_positions",
    "message_dispositions",
    "message_replies",
    "message_designations",
    "message_referrals",
    "message_uptake",
    "message_translations",
)


def _seed(world: World, message: Message, t0: datetime) -> None:
    """A referred message with every kind of row, and a second message left in comment."""
    settings = services.settings_of(world.forum.pk)
    settings.consensus_max_mean = "0.125"
    settings.save()
    positions(
        world,
        message,
        {
            "government": "support",
            "intergovernmental": "can_live_with",
            "private_sector": "object",
            "civil_society": "object",
        },
        t0,
    )
    objection = message.positions.get(stakeholder_group="private_sector")
    services.reply_to_objection(world.member["government"], objection, text="It is needed.", now=t0)
    translating.add_translation(
        MESSAGE, world.member["government"], message, language="ar", title="ربط كل قرية",
        body="نص **مترجم**.",
    )  # fmt: skip
    services.revise_message(world.steward, message, title=message.title, text="Revised.", now=t0)
    after = t0 + 8 * DAY
    chairing.record_disposition(world.steward, objection, disposition="accepted", now=after)
    chairing.record_disposition(
        world.steward,
        message.positions.get(stakeholder_group="civil_society"),
        disposition="rejected",
        reason="Out of scope.",
        now=after,
    )
    chairing.designate(
        world.steward, message, level="divergence", rationale="Two groups object.",
        minority_view="Private sector and civil society.", now=after,
    )  # fmt: skip
    chairing.publish_message(world.steward, message, now=after)
    followup.refer_message(world.steward, message, name="ITU", kind="intergovernmental", now=after)
    followup.record_uptake(
        world.member["intergovernmental"], message, body="ITU", action="under_consideration",
        summary="On the study group's agenda.", date=date(2026, 2, 2), url="https://itu.int/x",
    )  # fmt: skip


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_messages_round_trip_through_export_and_import(
    world: World, commenting: Message, t0: datetime, tmp_path: Path
) -> None:
    _seed(world, commenting, t0)
    first = export_forum(world.forum, tmp_path / "first")
    for table in TABLES:
        with (first / f"{table}.csv").open(encoding="utf-8") as handle:
            assert list(csv.DictReader(handle)), table
    done = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", str(first / "datapackage.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    call_command("flush", interactive=False, verbosity=0)
    import_package(first)
    second = export_forum(Forum.objects.get(slug=world.forum.slug), tmp_path / "second")
    assert _files(second) == _files(first)
    message = Message.objects.get(pk=commenting.pk)
    assert message.state == "referred" and message.uptake.get().body == "ITU"
    assert str(services.settings_of(message.forum_id).consensus_max_mean) == "0.125"


def test_consensus_from_the_package_equals_the_live_suggestion(
    world: World,
    commenting: Message,
    t0: datetime,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _seed(world, commenting, t0)
    live = chairing.suggestion_of(commenting).as_json()
    package = export_forum(world.forum, tmp_path / "pkg")
    capsys.readouterr()
    assert cli(["consensus", "--from", str(package), str(commenting.pk), "--format", "json"]) == 0
    recomputed = json.loads(capsys.readouterr().out)
    assert recomputed == live
    assert {"level", "minority_groups", "O", "A", "groups"} <= set(recomputed)
    assert recomputed["level"] == "divergence"
    assert recomputed["minority_groups"] == ["private_sector", "civil_society"]


def test_consensus_from_a_package_without_the_message_is_one_line(
    world: World, commenting: Message, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package = export_forum(world.forum, tmp_path / "pkg")
    capsys.readouterr()
    assert cli(["consensus", "--from", str(package), "999"]) == 1
    assert capsys.readouterr().err.strip() == "error: messages.csv: no message 999"
    assert cli(["consensus", "--from", str(tmp_path / "nowhere"), "1"]) == 1


def test_a_message_drawn_from_a_session_report_keeps_the_link_through_the_package(
    programme: Programme,  # noqa: F811
    tmp_path: Path,
) -> None:
    session = _run_cycle(programme)
    report = Report.objects.get(session=session)
    advance_cycle(programme.world.steward, programme.forum)  # messages
    message = services.draft_message(
        programme.world.steward, programme.issue, title="Licences", text="Licences matter.",
        report_ids=[report.pk],
    )  # fmt: skip
    page = Client().get(f"/messages/{message.pk}/").content.decode()
    assert "Session report:" in page
    first = export_forum(programme.forum, tmp_path / "first")
    with (first / "messages.csv").open(encoding="utf-8") as handle:
        assert next(csv.DictReader(handle))["report_ids"] == f"[{report.pk}]"
    call_command("flush", interactive=False, verbosity=0)
    import_package(first)
    second = export_forum(Forum.objects.get(slug=programme.forum.slug), tmp_path / "second")
    assert _files(second) == _files(first)
    assert list(Message.objects.get(pk=message.pk).reports.values_list("pk", flat=True)) == [
        report.pk
    ]
