"""import-polis round trip, the opinion map page on a real conversation, the cross table."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from commonground.cli import main
from commonground.dialogue import services
from commonground.dialogue.models import Conversation, OpinionSnapshot, Statement, Vote
from commonground.dialogue.votes import load_votes
from commonground.issues.models import Issue
from commonground.ledger.models import LedgerEntry
from commonground.opendata.polis import load_polis_export
from commonground.opendata.polis_import import import_polis
from tests.conftest import World
from tests.polis_data import POLIS_DATA

VTAIWAN = POLIS_DATA / "vtaiwan.uberx"
BREXIT = POLIS_DATA / "brexit-consensus"
needs_vtaiwan = pytest.mark.skipif(
    not (VTAIWAN / "votes.csv").is_file(), reason=f"Polis open data not found at {VTAIWAN}"
)


@needs_vtaiwan
def test_import_polis_round_trip_counts(
    world: World, issue: Issue, capsys: pytest.CaptureFixture[str]
) -> None:
    before = LedgerEntry.objects.count()
    code = main(
        ["import-polis", str(VTAIWAN), "--forum", world.forum.slug, "--issue", str(issue.pk)]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    export = load_polis_export(VTAIWAN)
    conversation = Conversation.objects.get(source="polis:vtaiwan.uberx")
    assert conversation.issue == issue
    assert Vote.objects.filter(conversation=conversation).count() == export.matrix.n_votes
    keys = Vote.objects.filter(conversation=conversation).values("participant_key").distinct()
    assert keys.count() == export.matrix.n_participants
    assert not Vote.objects.filter(conversation=conversation, membership__isnull=False).exists()
    imported = set(
        Statement.objects.filter(conversation=conversation).values_list("external_id", flat=True)
    )
    assert set(export.matrix.statement_ids.tolist()) <= imported
    rejected = set(
        Statement.objects.filter(
            conversation=conversation, status=Statement.Status.REJECTED
        ).values_list("external_id", flat=True)
    )
    assert rejected == set(export.moderated_out) & imported
    # Every vote comes back as it was in the export.
    votes = load_votes(conversation)
    assert votes.matrix.n_votes == export.matrix.n_votes
    back = {
        (k, sid): v
        for k, sid, v in Vote.objects.filter(conversation=conversation).values_list(
            "participant_key", "statement__external_id", "value"
        )
    }
    m = export.matrix
    rows = np.repeat(np.arange(m.n_participants), np.diff(m.indptr))
    for r, c, v in zip(rows[::97], m.indices[::97], m.values[::97], strict=True):
        assert back[(f"x{m.participant_ids[r]}", int(m.statement_ids[c]))] == v
    # One ledger event for the import, one for the first map.
    assert LedgerEntry.objects.count() - before == 2
    assert LedgerEntry.objects.filter(action="conversation.import").count() == 1
    assert f"{m.n_votes} votes" in out


@pytest.mark.skipif(not (BREXIT / "votes.csv").is_file(), reason=f"{BREXIT} not found")
def test_map_page_shows_groups_on_a_real_conversation(world: World) -> None:
    result = import_polis(BREXIT, world.forum)
    assert result.snapshot is not None and result.snapshot.groups >= 2
    response = world.client_for(None).get(f"/conversations/{result.conversation.pk}/map/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="opinion-group"') >= 2
    assert 'role="img"' in html and "opinion groups" in html
    assert ' style="' not in html
    assert "no known stakeholder group" in html


def test_import_polis_bad_input_is_one_line(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import-polis", str(tmp_path), "--forum", world.forum.slug]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    (tmp_path / "votes.csv").write_text("comment-id,voter-id,vote\n1,2,7\n")
    assert main(["import-polis", str(tmp_path), "--forum", world.forum.slug]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert main(["import-polis", str(tmp_path), "--forum", "no-such-forum"]) == 2
    assert main(["import-polis", str(tmp_path), "--forum", world.forum.slug, "--issue", "999"]) == 2
    assert not Conversation.objects.exists()


def test_cross_table_sums_match(world: World, statements: list[Statement]) -> None:
    users = [*world.member.values(), world.steward]
    for i, user in enumerate(users):
        for j, statement in enumerate(statements):
            services.cast_vote(user, statement, 1 if (i % 2 == 0) == (j < 4) else -1)
    snapshot = services.recompute_opinion_map(statements[0].conversation)
    assert snapshot is not None
    doc = snapshot.result
    cross = doc["cross"]
    counts = np.asarray(cross["counts"])
    assert counts.sum() == doc["in_conversation"] == len(users)
    assert counts.shape == (doc["k"], len(cross["stakeholder_groups"]))
    for g, group in enumerate(doc["groups"]):
        assert counts[g].sum() == group["size"] == sum(group["stakeholders"].values())
        assert sum(cross["share_of_opinion_group"][g]) == pytest.approx(1.0)
    col_shares = np.asarray(cross["share_of_stakeholder_group"]).sum(axis=0)
    assert np.allclose(col_shares, 1.0)
    # Per-group stakeholder make-up in the cross table equals the groups' own make-up.
    names = cross["stakeholder_groups"]
    for g, group in enumerate(doc["groups"]):
        assert dict(zip(names, counts[g].tolist(), strict=True)) == group["stakeholders"]
    html = (
        world.client_for(world.steward)
        .get(f"/conversations/{statements[0].conversation_id}/map/")
        .content.decode()
    )
    assert 'data-testid="cross-table"' in html
    totals = re.findall(r'<td class="num">(\d+)</td></tr></tfoot>', html)
    assert totals == [str(len(users))]
    assert OpinionSnapshot.objects.count() == 1


@pytest.mark.skipif(not (BREXIT / "votes.csv").is_file(), reason=f"{BREXIT} not found")
def test_import_polis_map_continues_the_replayed_history_not_a_cold_run(world: World) -> None:
    """Polis's map is the end of a history: the imported conversation's first map starts
    from that history replayed, so it has Polis's group count and the replay's groups,
    where a cold run on the same votes finds a different count."""
    from commonground.analysis.opinion import compute_opinion_map
    from commonground.opendata.polis import replay_history

    export = load_polis_export(BREXIT)
    polis_k = int(export.summary["groups"])
    cold = compute_opinion_map(export.matrix, moderated_out=export.moderated_out)
    assert cold.k != polis_k  # otherwise this conversation could not tell the two apart
    replayed, _ = replay_history(export)

    result = import_polis(BREXIT, world.forum)

    assert result.snapshot is not None
    doc = result.snapshot.result
    assert doc["k"] == result.snapshot.groups == polis_k
    ours: dict[int, set[str]] = {}
    for key, (_, _, group) in zip(doc["point_keys"], doc["points"], strict=True):
        ours.setdefault(group, set()).add(key)
    inside = replayed.group_labels >= 0
    theirs: dict[int, set[str]] = {}
    for pid, group in zip(
        replayed.participant_ids[inside].tolist(),
        replayed.group_labels[inside].tolist(),
        strict=True,
    ):
        theirs.setdefault(group, set()).add(f"x{int(pid)}")
    assert sorted(map(sorted, ours.values())) == sorted(map(sorted, theirs.values()))


@pytest.mark.skipif(not BREXIT.is_dir(), reason=f"{BREXIT} not found")
def test_import_polis_accepts_a_current_polis_export_with_xid_and_no_vote_history(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.polis_shapes import current_polis_copy

    shaped = current_polis_copy(BREXIT, tmp_path / "brexit", extra_column=True)
    assert not (shaped / "votes.csv").exists()
    code = main(["import-polis", str(shaped), "--forum", world.forum.slug])
    assert code == 0, capsys.readouterr().err
    export = load_polis_export(shaped)
    conversation = Conversation.objects.get(source="polis:brexit")
    assert Vote.objects.filter(conversation=conversation).count() == export.matrix.n_votes > 0
    statements = set(
        Statement.objects.filter(conversation=conversation).values_list("external_id", flat=True)
    )
    assert set(export.statement_ids.tolist()) <= statements
    assert all(isinstance(s, int) for s in statements)  # no "xid" or "referrer" statement
