"""Reading a recognition data package and recomputing its agenda (no database).

A tiny valid package gives a hand-checked agenda; every kind of malformed package makes
``main_agenda_from`` exit 1 with one "error: FILE row N: PROBLEM" line and no traceback.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commonground.analysis.recognition import GROUPS, RecognitionSettings, compute
from commonground.opendata.agenda_output import (
    _agenda_json_chunks,
    agenda_json,
    format_table,
    main_agenda_from,
)
from commonground.opendata.package_reader import (
    PackageError,
    agenda_from_package,
    load_package,
    recognition_from_package,
)

PARTICIPANTS = [
    ["id", "stakeholder_group", "country"],
    ["g1", "government", "KE"],
    ["g2", "government", "SN"],
    ["n1", "internet_institution", "BR"],
    ["n2", "internet_institution", "IN"],
    ["b1", "private_sector", "DE"],
    ["b2", "private_sector", "US"],
    ["c1", "civil_society", "KE"],
    ["c2", "civil_society", "UA"],
    ["c3", "civil_society", "CL"],
    ["a1", "academic_technical", "JP"],  # supports nothing: not an active member
]
ISSUES = [
    ["id", "title", "raised_by", "raised_at"],
    ["1", "Affordable access, in rural areas", "g1", "2027-03-01T12:00:00Z"],
    ["2", 'Data "protection"\nacross borders', "c1", "2027-03-01T12:00:00.500000+00:00"],
    ["3", "Community networks", "c3", "2027-02-28T08:00:00Z"],
]
SUPPORTS = [
    ["participant_id", "issue_id", "created_at"],
    *[[p, "1", "2027-03-02T09:00:00Z"] for p in ("g1", "g2", "n1", "n2", "b1", "b2")],
    *[[p, "2", "2027-03-02T09:00:00Z"] for p in ("g1", "g2", "c1", "c2", "n1", "n2")],
    ["c3", "3", "2027-03-03T10:00:00Z"],
]
DESCRIPTOR = {"name": "tiny", "commonground": {"recognition": {"slots": 1}}}


def write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def write_package(
    folder: Path,
    participants: list[list[str]] | None = None,
    issues: list[list[str]] | None = None,
    supports: list[list[str]] | None = None,
    descriptor: dict | None = None,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "datapackage.json").write_text(json.dumps(descriptor or DESCRIPTOR))
    write_csv(folder / "participants.csv", participants or PARTICIPANTS)
    write_csv(folder / "issues.csv", issues or ISSUES)
    write_csv(folder / "supports.csv", supports or SUPPORTS)
    return folder


def run(folder: Path, fmt: str = "json") -> tuple[int, str]:
    # These hand-written packages carry tables only: they test how the tables are read and
    # counted, so the check of the tables against a ledger is skipped (--trust-tables).
    out = io.StringIO()
    return main_agenda_from(str(folder), fmt, out, trust_tables=True), out.getvalue()


# ---- a valid package ------------------------------------------------------------------


def test_a_tiny_valid_package_gives_the_expected_agenda_json(tmp_path: Path) -> None:
    code, text = run(write_package(tmp_path / "pkg"))
    assert code == 0
    data = json.loads(text)
    no_voice = "no voice yet from intergovernmental organizations, academic & technical community"
    assert data["settings"] == {"min_groups": 3, "min_supporters": 2, "min_share": 0.05, "slots": 1}
    # Issues 1 and 2 tie exactly on B = (27/1280)^(1/6); issue 1 was raised half a second
    # earlier, so it takes the only slot.
    assert data["agenda"] == ["1"]
    issues = {e["issue_id"]: e for e in data["issues"]}
    assert [e["issue_id"] for e in data["issues"]] == ["1", "2", "3"]
    active = {"government": 2, "intergovernmental": 0, "internet_institution": 2,
              "private_sector": 2, "civil_society": 3, "academic_technical": 0}  # fmt: skip
    expected_supports = {
        "1": [2, 0, 2, 2, 0, 0],
        "2": [2, 0, 2, 0, 2, 0],
        "3": [0, 0, 0, 0, 1, 0],
    }
    for issue_id, counts in expected_supports.items():
        groups = issues[issue_id]["groups"]
        assert list(groups) == list(GROUPS)
        for g, s in zip(GROUPS, counts, strict=True):
            rate = 0.5 if active[g] == 0 else (s + 1) / (active[g] + 2)
            assert groups[g] == {"supports": s, "active": active[g], "rate": rate}
    assert issues["1"]["balanced_support"] == pytest.approx((27 / 1280) ** (1 / 6), rel=1e-14)
    assert issues["2"]["balanced_support"] == pytest.approx((27 / 1280) ** (1 / 6), rel=1e-14)
    assert issues["3"]["balanced_support"] == pytest.approx(
        (1 / 4 * 1 / 2 * 1 / 4 * 1 / 4 * 2 / 5 * 1 / 2) ** (1 / 6), rel=1e-14
    )
    status = {
        k: (e["recognized"], e["on_agenda"], e["rank"], e["breadth"]) for k, e in issues.items()
    }
    assert status == {
        "1": (True, True, 1, 3),
        "2": (True, False, None, 3),
        "3": (False, False, None, 0),
    }
    assert (
        issues["1"]["reason"] == f"recognized by 3 of 6 groups; on the agenda at rank 1; {no_voice}"
    )
    assert issues["2"]["reason"] == (
        f"recognized by 3 of 6 groups; recognized but below the 1 agenda slot; {no_voice}"
    )
    assert issues["3"]["reason"] == (
        "needs 3 more groups; closest: civil society, 1 more supporter; government, "
        f"Internet institutions and private sector, 2 more supporters each; {no_voice}"
    )
    # The text is json.dumps(..., indent=2) of the same dict.
    assert text == json.dumps(agenda_from_package(tmp_path / "pkg"), indent=2) + "\n"


def test_missing_settings_take_the_defaults(tmp_path: Path) -> None:
    for descriptor in ({"name": "x"}, {"commonground": {}}, {"commonground": {"recognition": {}}}):
        folder = write_package(tmp_path / str(len(list(tmp_path.iterdir()))), descriptor=descriptor)
        assert load_package(folder).settings == RecognitionSettings()
    folder = write_package(
        tmp_path / "partial", descriptor={"commonground": {"recognition": {"min_share": 0.5}}}
    )
    assert load_package(folder).settings == RecognitionSettings(min_share=0.5)
    data = agenda_from_package(folder)
    assert data["settings"]["slots"] == 20
    assert data["agenda"] == ["1", "2"]  # both recognized, both fit in 20 slots


def test_the_table_format_lists_the_agenda_first_with_per_group_supports(tmp_path: Path) -> None:
    code, text = run(write_package(tmp_path / "pkg"), "table")
    assert code == 0
    lines = text.splitlines()
    assert lines[0] == "Agenda: 1 of 2 recognized issues (3 issues in all)"
    head = next(k for k, line in enumerate(lines) if line.startswith("rank"))
    columns = ["rank", "issue", "B", "breadth", "gov", "igo", "inet", "priv", "civil", "acad"]
    assert lines[head].split()[:10] == columns
    first, second, third = lines[head + 2 : head + 5]
    assert first.split()[:10] == ["1", "1", "0.5256", "3/6", "2", "0", "2", "2", "0", "0"]
    assert first.rstrip().endswith(
        "on the agenda at rank 1; no voice yet from "
        "intergovernmental organizations, academic & technical community"
    )
    assert second.split()[:2] == ["-", "2"]
    assert third.split()[:2] == ["-", "3"]
    assert format_table({"settings": {}, "agenda": [], "issues": []}).startswith("Agenda: 0 of 0")


def test_numeric_ids_use_the_fast_path_and_still_compare_as_text(tmp_path: Path) -> None:
    numbers = {row[0]: str(k) for k, row in enumerate(PARTICIPANTS[1:], start=1)}
    participants = [PARTICIPANTS[0]] + [[numbers[r[0]], *r[1:]] for r in PARTICIPANTS[1:]]
    supports = [SUPPORTS[0]] + [[numbers[r[0]], *r[1:]] for r in SUPPORTS[1:]]
    folder = write_package(tmp_path / "numeric", participants=participants, supports=supports)
    assert agenda_from_package(folder) == agenda_from_package(write_package(tmp_path / "text"))
    # "07" is not the id "7", even though both are the number 7.
    bad = [*supports, ["07", "3", "2027-03-03T10:00:00Z"]]
    write_csv(folder / "supports.csv", bad)
    with pytest.raises(PackageError) as caught:
        load_package(folder)
    assert (
        str(caught.value) == f"supports.csv row {len(bad) - 1}: support by unknown participant '07'"
    )


def test_a_line_break_inside_a_title_does_not_shift_row_numbers(tmp_path: Path) -> None:
    issues = [*ISSUES, ["4", "Later", "g1", "not a time"]]
    code, _ = run(write_package(tmp_path / "pkg", issues=issues))
    assert code == 1
    with pytest.raises(PackageError) as caught:
        load_package(tmp_path / "pkg")
    assert (caught.value.file, caught.value.row) == ("issues.csv", 4)


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    folder = write_package(tmp_path / "pkg")
    path = folder / "participants.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_package(folder).n_participants == len(PARTICIPANTS) - 1


# ---- malformed packages ---------------------------------------------------------------

Change = Callable[[Path], None]


def remove(name: str) -> Change:
    return lambda folder: (folder / name).unlink()


def rows_of(name: str) -> list[list[str]]:
    return {"participants.csv": PARTICIPANTS, "issues.csv": ISSUES, "supports.csv": SUPPORTS}[name]


def drop_column(name: str, column: str) -> Change:
    def change(folder: Path) -> None:
        rows = rows_of(name)
        k = rows[0].index(column)
        write_csv(folder / name, [r[:k] + r[k + 1 :] for r in rows])

    return change


def set_cell(name: str, row: int, column: str, value: str) -> Change:
    def change(folder: Path) -> None:
        rows = [list(r) for r in rows_of(name)]
        rows[row][rows[0].index(column)] = value
        write_csv(folder / name, rows)

    return change


def append_row(name: str, row: list[str]) -> Change:
    return lambda folder: write_csv(folder / name, [*rows_of(name), row])


def write_descriptor(text: str) -> Change:
    return lambda folder: (folder / "datapackage.json").write_text(text)


MALFORMED: list[tuple[str, Change, str]] = [
    ("missing participants", remove("participants.csv"), "participants.csv: file not found"),
    ("missing issues", remove("issues.csv"), "issues.csv: file not found"),
    ("missing supports", remove("supports.csv"), "supports.csv: file not found"),
    ("missing descriptor", remove("datapackage.json"), "datapackage.json: file not found"),
    (
        "missing group column",
        drop_column("participants.csv", "stakeholder_group"),
        "participants.csv: missing column 'stakeholder_group'",
    ),
    (
        "missing raised_at column",
        drop_column("issues.csv", "raised_at"),
        "issues.csv: missing column 'raised_at'",
    ),
    (
        "missing created_at column",
        drop_column("supports.csv", "created_at"),
        "supports.csv: missing column 'created_at'",
    ),
    (
        "unknown stakeholder group",
        set_cell("participants.csv", 3, "stakeholder_group", "governmint"),
        "participants.csv row 3: unknown stakeholder group 'governmint'",
    ),
    (
        "unparseable raised_at",
        set_cell("issues.csv", 2, "raised_at", "yesterday"),
        "issues.csv row 2: raised_at 'yesterday' is not an ISO 8601 time",
    ),
    (
        "raised_at without offset",
        set_cell("issues.csv", 3, "raised_at", "2027-03-01T12:00:00"),
        "issues.csv row 3: raised_at '2027-03-01T12:00:00' has no UTC offset",
    ),
    (
        "support by unknown participant",
        set_cell("supports.csv", 4, "participant_id", "zz"),
        "supports.csv row 4: support by unknown participant 'zz'",
    ),
    (
        "support for unknown issue",
        set_cell("supports.csv", 5, "issue_id", "123"),
        "supports.csv row 5: support for unknown issue '123'",
    ),
    (
        "duplicate support",
        append_row("supports.csv", ["n1", "2", "2027-03-04T00:00:00Z"]),
        "supports.csv row 14: duplicate support by participant 'n1' for issue '2' "
        "(first at row 11)",
    ),
    (
        "duplicate participant id",
        set_cell("participants.csv", 4, "id", "g1"),
        "participants.csv row 4: duplicate id 'g1' (first at row 1)",
    ),
    (
        "duplicate issue id",
        set_cell("issues.csv", 3, "id", "1"),
        "issues.csv row 3: duplicate id '1' (first at row 1)",
    ),
    (
        "empty participant id",
        set_cell("participants.csv", 2, "id", ""),
        "participants.csv row 2: empty id",
    ),
    (
        "wrong number of fields",
        append_row("supports.csv", ["g1", "3"]),
        "supports.csv row 14: expected 3 fields, found 2",
    ),
    (
        "bad settings",
        write_descriptor('{"commonground": {"recognition": {"min_groups": 9}}}'),
        "datapackage.json: commonground.recognition: min_groups must be between 1 and 6",
    ),
    (
        "unknown setting",
        write_descriptor('{"commonground": {"recognition": {"slot": 9}}}'),
        "datapackage.json: commonground.recognition: unknown recognition setting(s): slot",
    ),
    ("invalid JSON", write_descriptor("{nope"), "datapackage.json: not valid JSON"),
]


@pytest.mark.parametrize(
    ("change", "message"), [(c, m) for _, c, m in MALFORMED], ids=[n for n, _, _ in MALFORMED]
)
def test_every_malformed_package_exits_1_naming_file_row_and_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: Change, message: str
) -> None:
    folder = write_package(tmp_path / "pkg")
    change(folder)
    code, out = run(folder)
    captured = capsys.readouterr()
    assert code == 1
    assert out == ""
    assert captured.err.startswith(f"error: {message}")
    assert captured.err.count("\n") == 1  # one line, no traceback
    assert "Traceback" not in captured.err


@pytest.mark.parametrize(("change", "message"), [(c, m) for _, c, m in MALFORMED[4:17]])
def test_package_errors_carry_file_row_and_problem(
    tmp_path: Path, change: Change, message: str
) -> None:
    folder = write_package(tmp_path / "pkg")
    change(folder)
    with pytest.raises(PackageError) as caught:
        load_package(folder)
    error = caught.value
    where = error.file if error.row is None else f"{error.file} row {error.row}"
    assert str(error) == f"{where}: {error.problem}"
    assert str(error).startswith(message)


def test_the_earliest_bad_row_is_reported_when_several_are_bad(tmp_path: Path) -> None:
    supports = [list(r) for r in SUPPORTS]
    supports[5][0] = "nobody"  # row 5: unknown participant
    supports[2][1] = "404"  # row 2: unknown issue
    write_package(tmp_path / "pkg", supports=supports)
    with pytest.raises(
        PackageError, match=r"^supports.csv row 2: support for unknown issue '404'$"
    ):
        load_package(tmp_path / "pkg")


def test_a_folder_that_does_not_exist_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = run(tmp_path / "nowhere")
    assert code == 1
    assert capsys.readouterr().err.startswith(f"error: {tmp_path / 'nowhere'}: not a folder")


def test_an_unknown_format_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = run(write_package(tmp_path / "pkg"), "xml")
    assert code == 2
    assert capsys.readouterr().err == "error: unknown format 'xml' (use json or table)\n"


# ---- the JSON text is json.dumps(indent=2) -------------------------------------------

odd_ids = st.one_of(
    st.lists(st.integers(-(10**12), 10**12), min_size=1, max_size=6, unique=True),
    st.lists(st.text(max_size=6), min_size=1, max_size=6, unique=True),
)


@settings(max_examples=100)
@given(data=st.data(), ids=odd_ids, slots=st.integers(1, 3), as_array=st.booleans())
def test_agenda_json_is_exactly_json_dumps_with_indent_2(
    data: st.DataObject, ids: list, slots: int, as_array: bool
) -> None:
    n = len(ids)
    active = np.array(data.draw(st.lists(st.integers(0, 9), min_size=6, max_size=6)))
    supports = np.array(
        [[data.draw(st.integers(0, int(a))) for a in active] for _ in range(n)], dtype=np.int64
    )
    raised = np.array(data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)))
    issue_ids = np.array(ids) if as_array and isinstance(ids[0], int) else ids
    rules = RecognitionSettings(min_groups=2, slots=slots)
    result = compute(supports, active, raised, issue_ids, rules)
    expected = json.dumps(result.to_json_dict(), indent=2)
    assert agenda_json(result) == expected
    # Small batches exercise the seams between the pieces the CLI writes one by one.
    for batch in (1, 2, 3):
        assert "".join(_agenda_json_chunks(result, None, batch)) == expected


def test_agenda_json_of_no_issues_matches_json_dumps() -> None:
    result = compute(np.zeros((0, 6), dtype=np.int64), np.zeros(6, dtype=np.int64), np.zeros(0), [])
    assert agenda_json(result) == json.dumps(result.to_json_dict(), indent=2)


def test_recognition_from_package_matches_the_engine_on_the_same_counts(tmp_path: Path) -> None:
    result = recognition_from_package(write_package(tmp_path / "pkg"))
    again = compute(result.supports, result.active, result.raised_at, result.issue_ids,
                    result.settings)  # fmt: skip
    assert again.to_json_dict() == result.to_json_dict()


def test_tables_without_a_ledger_are_refused_unless_trusted(tmp_path: Path, capsys) -> None:
    folder = write_package(tmp_path / "pkg")
    out = io.StringIO()
    assert main_agenda_from(str(folder), "json", out) == 1
    assert out.getvalue() == ""
    assert "checkpoints.csv" in capsys.readouterr().err
    assert main_agenda_from(str(folder), "json", out, trust_tables=True) == 0
    assert "--trust-tables" in capsys.readouterr().err


def test_the_agenda_from_a_package_runs_as_a_command_without_django_settings(
    tmp_path: Path,
) -> None:
    # The readers must not touch Django's settings (a translated label read at import
    # time once did): run the real command in a fresh process with none configured.
    import os
    import subprocess
    import sys

    folder = write_package(tmp_path / "pkg")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    command = [sys.executable, "-m", "commonground.cli", "agenda", "--from", str(folder)]
    done = subprocess.run(
        [*command, "--format", "json", "--trust-tables"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["agenda"] == ["1"]
