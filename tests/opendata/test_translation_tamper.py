"""The community translation tables are a fold of the ledger (issue 18): a translation row
edited, moved to another language, shown though hidden, added or deleted is named by
``ledger audit`` (in the database) and refused by ``import`` and ``agenda --from`` (in a
package), naming file, row and column. The message translations are in
tests/outcomes/test_ledger_fold.py, beside the other messages tables."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from commonground.contributions import services as contributions
from commonground.contributions.models import Kind
from commonground.contributions.services.translations import SOLUTION
from commonground.issues import translating
from commonground.issues.services import raise_issue
from commonground.issues.translations import add_translation, edit_translation
from commonground.issues.translations import moderate_translation as moderate
from commonground.opendata.export import export_forum
from commonground.opendata.ledger_audit import audit_database
from commonground.opendata.package_proof import check_tables
from tests.conftest import World
from tests.ledger.helpers import ledger_key  # noqa: F401 - autouse fixture
from tests.ledger_helpers import assert_package_refused, csv_rows, ledger_audit, run_sql, write_rows

# Emptying the instance before an import is a flush (TRUNCATE on PostgreSQL).
pytestmark = pytest.mark.django_db(transaction=True)


def _seed(world: World) -> dict[str, Any]:
    """Translations of an issue and of a solution: one edited, one hidden, one hidden then
    restored, and one under a hidden solution."""
    gov, igo = world.member["government"], world.member["intergovernmental"]
    civil, steward = world.member["civil_society"], world.steward
    issue = raise_issue(civil, world.forum, title="Rural access", description="Cables.")
    edited = add_translation(gov, issue, language="fr", title="Accès rural", description="Câble.")
    edit_translation(gov, edited, title="Accès rural pour tous", description="Des câbles.")
    hidden = add_translation(igo, issue, language="es", title="Acceso", description="Cables.")
    moderate(steward, hidden, hide=True, reason="Not faithful.")
    restored = add_translation(civil, issue, language="ru", title="Доступ", description="Кабели.")
    moderate(steward, restored, hide=True, reason="Checking.")
    moderate(steward, restored, hide=False, reason="It is fine.")
    solution = contributions.propose_solution(
        gov, issue, title="Community networks", description="Spectrum.", actors=[]
    )
    shown = translating.add_translation(
        SOLUTION, igo, solution, language="fr", title="Réseaux", body="Spectre."
    )
    other = contributions.propose_solution(
        civil, issue, title="Duplicate", description="Same.", actors=[]
    )
    translating.add_translation(SOLUTION, gov, other, language="es", title="Dup", body="Igual.")
    contributions.moderate(steward, Kind.SOLUTION, other, hide=True, reason="Dup.")
    return {"edited": edited, "hidden": hidden, "restored": restored, "solution": shown}


Rows = list[list[str]]
#: ``edit(header, rows, seeded)`` returns the forged rows of a table.
Edit = Callable[[list[str], Rows, dict[str, Any]], Rows]
Forgery = Callable[[Path, dict[str, Any]], None]


def _change(table: str, edit: Edit) -> Forgery:
    """A forgery of ``table``.csv."""

    def forge(package: Path, seeded: dict[str, Any]) -> None:
        rows = csv_rows(package / f"{table}.csv")
        write_rows(package / f"{table}.csv", [rows[0], *edit(rows[0], rows[1:], seeded)])

    return forge


def _cell(column: str, value: str) -> Edit:
    def edit(header: list[str], rows: Rows, seeded: dict[str, Any]) -> Rows:
        rows[0][header.index(column)] = value
        return rows

    return edit


def _hidden_shown(header: list[str], rows: Rows, seeded: dict[str, Any]) -> Rows:
    """The hidden Spanish translation put back in the table (its hidden flag flipped)."""
    shown = list(rows[0])
    shown[header.index("id")] = str(seeded["hidden"].pk)
    shown[header.index("language")] = "es"
    return [*rows, shown]


def _added(header: list[str], rows: Rows, seeded: dict[str, Any]) -> Rows:
    fake = list(rows[0])
    fake[header.index("id")] = "999999"
    fake[header.index("language")] = "ar"
    return [*rows, fake]


FORGERIES: dict[str, tuple[Forgery, str]] = {
    "title edited": (
        _change("issue_translations", _cell("title", "Un titre forgé")),
        "issue_translations.csv row 1: title ",  # free text: named by column, compared by digest
    ),
    "language changed": (
        _change("issue_translations", _cell("language", "ar")),
        "issue_translations.csv row 1: language 'ar' differs from the ledger's 'fr'",
    ),
    "hidden one shown": (
        _change("issue_translations", _hidden_shown),
        "issue_translations.csv row 3: not in the ledger",
    ),
    "row added": (
        _change("issue_translations", _added),
        "issue_translations.csv row 3: not in the ledger",
    ),
    "row deleted": (
        _change("issue_translations", lambda header, rows, seeded: rows[1:]),
        "issue_translations.csv: the ledger's issue translation",
    ),
    "solution translation's text edited": (
        _change("solution_translations", _cell("description", "Forgé.")),
        "solution_translations.csv row 1: description ",
    ),
    "edit time moved": (
        _change("issue_translations", _cell("updated_at", "2020-01-01T00:00:00.000000Z")),
        "issue_translations.csv row 1: updated_at '2020-01-01T00:00:00.000000Z' differs",
    ),
}


def test_the_translation_tables_follow_from_the_ledger_through_edits_hides_and_restores(
    world: World, tmp_path: Path
) -> None:
    seeded = _seed(world)
    report = audit_database()
    assert [d.line() for d in report.differences] == []
    package = export_forum(world.forum, tmp_path / "pkg")
    check_tables(package)
    issue_rows = csv_rows(package / "issue_translations.csv")
    header = issue_rows[0]
    shown = {(r[header.index("id")], r[header.index("title")]) for r in issue_rows[1:]}
    assert shown == {
        (str(seeded["edited"].pk), "Accès rural pour tous"),
        (str(seeded["restored"].pk), "Доступ"),
    }
    assert len(csv_rows(package / "solution_translations.csv")) == 2  # header and the shown one


@pytest.mark.parametrize("forgery", FORGERIES)
def test_import_and_agenda_refuse_a_package_whose_translations_differ_from_the_ledger(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str], forgery: str
) -> None:
    seeded = _seed(world)
    package = export_forum(world.forum, tmp_path / "pkg")
    change, message = FORGERIES[forgery]
    change(package, seeded)
    assert_package_refused(package, message, capsys)


def test_ledger_audit_names_a_translation_edited_moved_or_flipped_in_the_database(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    seeded = _seed(world)
    edited, hidden, restored = (seeded[k].pk for k in ("edited", "hidden", "restored"))
    assert ledger_audit(capsys)[0] == 0
    run_sql("UPDATE issues_issuetranslation SET description = 'Forgé.' WHERE id = %s", [edited])
    run_sql("UPDATE issues_issuetranslation SET language = 'ar' WHERE id = %s", [restored])
    run_sql("UPDATE issues_issuetranslation SET hidden = %s WHERE id = %s", [False, hidden])
    run_sql("UPDATE contributions_solutiontranslation SET hidden = %s", [True])
    code, said = ledger_audit(capsys)
    assert code == 1
    assert "issue_translations.csv row 1: description " in said, said
    assert "language 'ar' differs from the ledger's 'ru'" in said
    assert "issue_translations.csv row 2: not in the ledger" in said  # the hidden one shown
    missing = (
        f"solution_translations.csv: the ledger's solution translation {seeded['solution'].pk}"
    )
    assert f"{missing} is missing" in said  # the shown one hidden


def test_ledger_audit_names_a_translation_deleted_from_the_database(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    seeded = _seed(world)
    run_sql("DELETE FROM issues_issuetranslation WHERE id = %s", [seeded["edited"].pk])
    code, said = ledger_audit(capsys)
    assert code == 1
    assert f"the ledger's issue translation {seeded['edited'].pk} is missing" in said, said
