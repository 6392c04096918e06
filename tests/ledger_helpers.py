"""What the tests checking the public state against the ledger share: a package's CSV
files read and edited as a forger would, SQL run behind the services' back (as an
operator with database access could), and ``commonground ledger audit`` run."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from commonground.cli import main as cli
from commonground.opendata.importer import ImportRefused, import_package
from commonground.opendata.package_proof import PackageRefused, check_tables


def csv_rows(path: Path) -> list[list[str]]:
    """The rows of a CSV file, its header first."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    """Write ``rows`` back as the export writes them (``\\n`` line ends)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell of a CSV file (row 1 is the first data row)."""
    rows = csv_rows(path)
    rows[row][rows[0].index(column)] = value
    write_rows(path, rows)


def run_sql(sql: str, params: list[Any] | None = None) -> None:
    """Run one statement on the database directly, past the services and the ledger."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def ledger_audit(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run ``commonground ledger audit``: its exit code and all it printed."""
    capsys.readouterr()
    code = cli(["ledger", "audit"])
    out, err = capsys.readouterr()
    return code, out + err


def assert_package_refused(package: Path, message: str, capsys: pytest.CaptureFixture[str]) -> str:
    """The package's tables are checked against its ledger and refused, naming ``message``,
    by ``check_tables``, by ``agenda --from`` (exit 1, nothing on stdout) and by ``import``
    into an emptied instance; returns ``check_tables``' reason."""
    from tests.opendata.test_package_round_trip import _empty_the_instance

    with pytest.raises(PackageRefused) as refused:
        check_tables(package)
    assert message in str(refused.value), str(refused.value)
    capsys.readouterr()
    code = cli(["agenda", "--from", str(package), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 1 and out == "" and message in err
    _empty_the_instance()
    with pytest.raises(ImportRefused) as refused_import:
        import_package(package)
    assert message in str(refused_import.value)
    return str(refused.value)
