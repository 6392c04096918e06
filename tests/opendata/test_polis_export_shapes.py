"""Exports as current Polis writes them: an ``xid`` column and other metadata in
participants-votes.csv, statement columns named ``comment-N``, no votes.csv or
stats-history.csv, timestamps in seconds (issue 11 item 8)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from commonground.opendata.polis import load_polis_export, main_opinion_map_from_polis
from tests.polis_data import POLIS_DATA
from tests.polis_shapes import current_polis_copy

SEATTLE = POLIS_DATA / "15-per-hour-seattle"
needs_data = pytest.mark.skipif(not SEATTLE.is_dir(), reason="Polis open data not available")


def test_xid_and_unknown_text_columns_are_metadata_not_statements(tmp_path: Path) -> None:
    (tmp_path / "participants-votes.csv").write_text(
        "participant,xid,group-id,n-comments,n-votes,n-agree,n-disagree,referrer,0,4\n"
        "1,abc-1,0,0,2,1,1,home page,1,-1\n"
        "2,17,,0,1,0,0,,,0\n",
        encoding="utf-8",
    )
    export = load_polis_export(tmp_path)
    assert export.statement_ids.tolist() == [0, 4]
    assert export.matrix.n_votes == 3
    assert export.published_groups == {1: 0}


def test_statement_columns_named_comment_n_are_statements(tmp_path: Path) -> None:
    (tmp_path / "participants-votes.csv").write_text(
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,comment-3,comment-7\n"
        "5,,0,2,1,1,1,-1\n",
        encoding="utf-8",
    )
    export = load_polis_export(tmp_path)
    assert export.statement_ids.tolist() == [3, 7]
    assert export.votes.tolist() == [1, -1]


def test_a_bad_vote_in_a_statement_column_names_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "participants-votes.csv").write_text(
        "participant,xid,0\n1,a,1\n2,b,yes\n", encoding="utf-8"
    )
    assert main_opinion_map_from_polis(str(tmp_path), "json", 0, io.StringIO()) == 2
    err = capsys.readouterr().err
    assert err == "error: participants-votes.csv line 3: vote 'yes' is not -1, 0 or 1\n"


@needs_data
@pytest.mark.parametrize("extra_column", [False, True], ids=["xid", "xid-and-free-text"])
def test_current_polis_export_maps_like_the_same_votes_without_xid(
    tmp_path: Path, extra_column: bool
) -> None:
    shaped = current_polis_copy(SEATTLE, tmp_path / "shaped", extra_column=extra_column)
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "participants-votes.csv").write_bytes(
        (SEATTLE / "participants-votes.csv").read_bytes()
    )
    (plain / "comments.csv").write_bytes((SEATTLE / "comments.csv").read_bytes())
    docs = []
    for folder in (shaped, plain):
        out = io.StringIO()
        assert main_opinion_map_from_polis(str(folder), "json", 0, out) == 0
        docs.append(json.loads(out.getvalue()))
    shaped_doc, plain_doc = docs
    assert shaped_doc["statements"] == plain_doc["statements"]
    assert shaped_doc["participants"] == load_polis_export(plain).participant_ids.size > 0
    for doc in docs:
        doc.pop("engine_seconds")
    assert shaped_doc == plain_doc


@needs_data
def test_timestamps_in_seconds_replay_like_milliseconds(tmp_path: Path) -> None:
    lines = (SEATTLE / "votes.csv").read_text(encoding="utf-8").splitlines()
    seconds = [lines[0]]
    for line in lines[1:]:
        stamp, rest = line.split(",", 1)
        seconds.append(f"{int(stamp) // 1000},{rest}")
    (tmp_path / "votes.csv").write_text("\n".join(seconds) + "\n", encoding="utf-8")
    (tmp_path / "comments.csv").write_bytes((SEATTLE / "comments.csv").read_bytes())
    ms, s = load_polis_export(SEATTLE), load_polis_export(tmp_path)
    assert s.has_history and ms.has_history
    # Same order of votes (up to ties within a second) and the same batches.
    from commonground.opendata.polis_replay import poller_batches

    assert poller_batches(s.times, 60_000).size == pytest.approx(
        poller_batches(ms.times, 60_000).size, rel=0.05
    )
