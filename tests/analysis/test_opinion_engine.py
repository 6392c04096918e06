"""Opinion-map engine rules: matrix, in-conversation filter, PCA, k-means, k-smoother."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.metrics import silhouette_score

from commonground.analysis import opinion_kmeans
from commonground.analysis.opinion import (
    OpinionParams,
    OpinionState,
    VoteMatrix,
    compute_opinion_map,
)
from commonground.analysis.opinion_clusters import choose_k
from commonground.analysis.opinion_kmeans import clean_start, kmeans, silhouette
from commonground.analysis.opinion_kmeans_binned import _assign_by_cells, kmeans_binned
from commonground.analysis.opinion_stats import count_by_group


def _random_votes(
    n_p: int, n_s: int, density: float, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    mask = rng.random((n_p, n_s)) < density
    rows, cols = np.nonzero(mask)
    group = rng.integers(0, 2, n_p)
    lean = np.where(group[rows] == 0, 0.8, -0.8) * np.where(cols % 2 == 0, 1, -1)
    vote = np.where(rng.random(rows.size) < (1 + lean) / 2, 1, -1)
    vote[rng.random(rows.size) < 0.15] = 0
    return rows, cols, vote.astype(np.int8)


def test_latest_vote_wins_when_a_pair_repeats() -> None:
    m = VoteMatrix.from_votes(
        np.array([0, 0, 1, 0]), np.array([1, 1, 0, 1]), np.array([1, -1, 0, 0])
    )
    assert m.n_votes == 2
    dense = sp.csr_matrix((m.values + 5, m.indices, m.indptr)).toarray() - 5
    assert dense[0, 1] == 0 and dense[1, 0] == 0


@pytest.mark.parametrize("bad", [2, -2])
def test_votes_outside_minus_one_to_one_are_rejected(bad: int) -> None:
    with pytest.raises(ValueError, match="-1"):
        VoteMatrix.from_votes(np.array([0]), np.array([0]), np.array([bad]))


def test_merging_new_votes_equals_building_from_all_votes() -> None:
    rows, cols, votes = _random_votes(60, 30, 0.3, seed=1)
    half = rows.size // 2
    base = VoteMatrix.from_votes(
        rows[:half],
        cols[:half],
        votes[:half],
        participant_ids=np.arange(60),
        statement_ids=np.arange(30),
    )
    rng = np.random.default_rng(2)
    extra_r, extra_c = rng.integers(0, 62, 40), rng.integers(0, 31, 40)
    extra_v = rng.integers(-1, 2, 40).astype(np.int8)
    merged = base.with_votes(
        np.concatenate([rows[half:], extra_r]),
        np.concatenate([cols[half:], extra_c]),
        np.concatenate([votes[half:], extra_v]),
        new_participant_ids=np.array([60, 61]),
        new_statement_ids=np.array([30]),
    )
    full = VoteMatrix.from_votes(
        np.concatenate([rows, extra_r]),
        np.concatenate([cols, extra_c]),
        np.concatenate([votes, extra_v]),
        participant_ids=np.arange(62),
        statement_ids=np.arange(31),
    )
    assert np.array_equal(merged.indptr, full.indptr)
    assert np.array_equal(merged.indices, full.indices)
    assert np.array_equal(merged.values, full.values)


def test_in_conversation_needs_seven_votes_and_tops_up_to_fifteen() -> None:
    # 10 participants with 7 votes, 8 with 3 votes, 2 with 1 vote; 20 statements.
    rows, cols = [], []
    for p, n in enumerate([7] * 10 + [3] * 8 + [1] * 2):
        rows += [p] * n
        cols += list(range(n))
    m = VoteMatrix.from_votes(
        np.array(rows),
        np.array(cols),
        np.ones(len(rows), dtype=np.int8),
        statement_ids=np.arange(20),
    )
    result = compute_opinion_map(m)
    inside = result.in_conversation
    assert inside[:10].all()
    assert inside.sum() == 15  # topped up with five of the 3-vote participants
    assert inside[10:15].all() and not inside[15:].any()
    # the topped-up participants are remembered, so they stay in on the next run
    assert result.state.sticky_participants == [10, 11, 12, 13, 14]


def test_participant_admitted_once_stays_in_the_conversation() -> None:
    rows, cols, votes = _random_votes(40, 12, 0.9, seed=3)
    m = VoteMatrix.from_votes(
        np.append(rows, 40), np.append(cols, 0), np.append(votes, 1), participant_ids=np.arange(41)
    )
    state = OpinionState(sticky_participants=[40])
    assert compute_opinion_map(m, state=state).in_conversation[40]
    assert not compute_opinion_map(m).in_conversation[40]


def test_pca_equals_dense_svd_of_mean_imputed_matrix_and_projection_is_sparsity_aware() -> None:
    rows, cols, votes = _random_votes(120, 25, 0.4, seed=4)
    m = VoteMatrix.from_votes(rows, cols, votes, statement_ids=np.arange(25))
    mod = [3]
    result = compute_opinion_map(m, moderated_out=mod)
    dense = np.full((120, 25), np.nan)
    dense[rows, cols] = votes
    dense[:, 3] = 0.0  # moderated out: a pass from everyone
    mean = np.nanmean(dense, axis=0)
    imputed = np.where(np.isnan(dense), mean, dense) - mean
    _, _, vt = np.linalg.svd(imputed, full_matrices=False)
    for c in range(2):
        assert abs(vt[c] @ result.components[c]) == pytest.approx(1.0, abs=1e-8)
    seen = (~np.isnan(dense)).sum(axis=1)
    expected = (imputed @ result.components.T) * np.sqrt(25 / seen)[:, None]
    assert np.allclose(result.projections, expected, atol=1e-9)


def test_hamerly_kmeans_gives_plain_lloyd_result() -> None:
    rng = np.random.default_rng(5)
    pts = np.concatenate([rng.normal(c, 1.0, (4000, 2)) for c in ((0, 0), (6, 1), (2, 7))])
    fast = kmeans(pts, 100, max_iter=40)
    original = opinion_kmeans._DENSE_PAIRS
    opinion_kmeans._DENSE_PAIRS = 10**12  # force the plain all-distances step
    try:
        plain = kmeans(pts, 100, max_iter=40)
    finally:
        opinion_kmeans._DENSE_PAIRS = original
    assert np.array_equal(fast[1], plain[1])
    assert np.allclose(fast[0], plain[0], rtol=0, atol=1e-12)


def test_kmeans_starts_from_first_distinct_points_and_drops_empty_clusters() -> None:
    pts = np.array([[0.0, 0.0], [0.0, 0.0], [10.0, 0.0], [0.1, 0.0], [10.1, 0.0]])
    centres, labels = kmeans(pts, 3)
    # start: (0,0), (10,0), (0.1,0); all converge to two sites or three, never an empty one
    assert centres.shape[0] == len(set(labels.tolist()))
    assert labels[0] == labels[1]


def test_binned_kmeans_ends_with_an_exact_assignment() -> None:
    rng = np.random.default_rng(6)
    pts = rng.normal(0, 5, (20000, 2))
    centres, labels = kmeans_binned(pts, 50, bins=256)
    d = ((pts[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
    # every point sits with a nearest centre of the centres it was assigned against, and
    # centres are the means of their members
    for c in range(centres.shape[0]):
        assert np.allclose(pts[labels == c].mean(axis=0), centres[c])
    assert (labels == d.argmin(axis=1)).mean() > 0.99


def test_silhouette_on_base_centres_matches_sklearn_definition() -> None:
    rng = np.random.default_rng(7)
    centres = rng.normal(0, 3, (40, 2))
    labels = (centres[:, 0] > 0).astype(int) + (centres[:, 1] > 2).astype(int)
    assert silhouette(centres, labels) == pytest.approx(silhouette_score(centres, labels))


def test_new_k_must_win_four_consecutive_updates() -> None:
    state = OpinionState(last_k=None, last_k_count=0, smoothed_k=None)
    sil = {2: 0.5, 3: 0.4}
    k, last, count = choose_k(sil, state, 4)
    assert (k, last, count) == (2, 2, 1)
    state = OpinionState(last_k=2, last_k_count=count, smoothed_k=k)
    better = {2: 0.4, 3: 0.6}
    for expected in (2, 2, 2, 3):
        k, last, count = choose_k(better, state, 4)
        assert k == expected
        state = OpinionState(last_k=last, last_k_count=count, smoothed_k=k)


def test_equal_silhouettes_pick_the_larger_k_as_polis_max_key_does() -> None:
    assert choose_k({2: 0.3, 3: 0.3}, None, 4)[0] == 3


def test_same_input_and_seed_give_bit_identical_output() -> None:
    rows, cols, votes = _random_votes(300, 40, 0.3, seed=8)
    m = VoteMatrix.from_votes(rows, cols, votes)
    a = compute_opinion_map(m, seed=3)
    b = compute_opinion_map(m, seed=3)
    assert np.array_equal(a.projections, b.projections)
    assert np.array_equal(a.group_labels, b.group_labels)
    assert a.state.to_json() == b.state.to_json()
    assert np.array_equal(a.group_informed_consensus, b.group_informed_consensus)


def test_warm_start_from_state_keeps_the_groups_of_unchanged_votes() -> None:
    rows, cols, votes = _random_votes(400, 30, 0.4, seed=9)
    m = VoteMatrix.from_votes(rows, cols, votes)
    cold = compute_opinion_map(m)
    warm = compute_opinion_map(m, state=OpinionState.from_json(cold.state.to_json()))
    assert warm.k == cold.k
    assert np.array_equal(warm.group_labels, cold.group_labels)
    assert np.allclose(warm.projections, cold.projections, atol=1e-6)


def test_relabelled_state_warm_starts_a_renamed_matrix_as_the_original_state_does() -> None:
    rows, cols, votes = _random_votes(300, 30, 0.4, seed=12)
    early = rows.size * 7 // 10
    n_p, n_s = 300, 30
    ids_p, ids_s = np.arange(n_p), np.arange(n_s)
    first = compute_opinion_map(
        VoteMatrix.from_votes(
            rows[:early], cols[:early], votes[:early], participant_ids=ids_p, statement_ids=ids_s
        )
    )
    full = VoteMatrix.from_votes(rows, cols, votes, participant_ids=ids_p, statement_ids=ids_s)
    original = compute_opinion_map(full, state=first.state)
    # Other names, and the participants in the opposite row order.
    names = {int(i): f"p{i}" for i in ids_p}
    renamed = VoteMatrix.from_votes(
        n_p - 1 - rows,
        cols,
        votes,
        participant_ids=np.asarray([names[i] for i in ids_p[::-1].tolist()], dtype=object),
        statement_ids=ids_s + 1000,
    )
    state = first.state.relabelled(names, {int(j): int(j) + 1000 for j in ids_s})
    again = compute_opinion_map(renamed, state=state)
    assert again.k == original.k
    ours = {
        names[int(i)]: g
        for i, g in zip(original.participant_ids, original.group_labels, strict=True)
    }
    theirs = dict(zip(again.participant_ids.tolist(), again.group_labels.tolist(), strict=True))
    assert theirs == ours


def test_two_planted_camps_are_found_with_their_representative_statements() -> None:
    rows, cols, votes = _random_votes(500, 20, 0.6, seed=10)
    result = compute_opinion_map(
        VoteMatrix.from_votes(rows, cols, votes), params=OpinionParams(max_k=2)
    )
    assert result.k == 2
    for group in result.representative:
        assert group and all(r.repness_test > 1.2816 for r in group[1:])


def test_memory_grows_with_votes_not_with_participants_times_statements() -> None:
    # 20,000 x 5,000 cells would be 800 MB dense; 60,000 votes are a few MB.
    rng = np.random.default_rng(11)
    rows = rng.integers(0, 20_000, 60_000)
    cols = rng.integers(0, 5_000, 60_000)
    votes = rng.integers(-1, 2, 60_000).astype(np.int8)
    m = VoteMatrix.from_votes(
        rows, cols, votes, participant_ids=np.arange(20_000), statement_ids=np.arange(5_000)
    )
    tracemalloc.start()
    compute_opinion_map(m, params=OpinionParams(base_iters=10))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 60 * 2**20


def test_warm_start_recentres_each_cluster_on_its_members_current_positions() -> None:
    rng = np.random.default_rng(12)
    pts = rng.normal(0, 1, (300, 2))
    member = np.repeat(np.arange(3), 100)
    moved = pts + np.array([50.0, -20.0])  # the whole map moved far from the old centres
    start, members, origin = clean_start(moved, member, 3, 3)
    assert origin.tolist() == [0, 1, 2]
    assert np.array_equal(members, member)
    for c in range(3):
        assert np.allclose(start[c], moved[member == c].mean(axis=0))


def test_clean_start_splits_off_the_most_distant_point_until_there_are_k() -> None:
    pts = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, 0.0], [9.0, 9.0], [0.2, 0.1]])
    member = np.array([0, 0, 0, -1, 0])  # the point at (9, 9) is new
    start, members, origin = clean_start(pts, member, 1, 2)
    assert origin.tolist() == [0, -1]
    assert members[3] == 1 and np.allclose(start[1], [9.0, 9.0])
    assert np.allclose(start[0], pts[[0, 1, 2, 4]].mean(axis=0))


def test_clusters_that_lost_every_member_are_dropped_at_the_warm_start() -> None:
    pts = np.array([[0.0, 0.0], [5.0, 5.0]])
    _, members, origin = clean_start(pts, np.array([0, 2]), 3, 2)
    assert origin.tolist() == [0, 2] and members.tolist() == [0, 1]


def test_grid_cell_assignment_is_the_exact_nearest_centre() -> None:
    rng = np.random.default_rng(13)
    pts = rng.normal(0, 4, (50_000, 2))
    centres = rng.normal(0, 4, (60, 2))
    bins = 64
    lo = pts.min(axis=0)
    span = float((pts.max(axis=0) - lo).max())
    cell = np.minimum(((pts - lo) * (bins / span)).astype(np.int64), bins - 1)
    _, cell_of = np.unique(cell[:, 0] * bins + cell[:, 1], return_inverse=True)
    cell_of = cell_of.reshape(-1)
    n_cells = int(cell_of.max()) + 1
    counts = np.bincount(cell_of, minlength=n_cells)
    cell_pts = np.column_stack(
        [np.bincount(cell_of, weights=pts[:, d], minlength=n_cells) / counts for d in (0, 1)]
    )
    labels = _assign_by_cells(pts, cell_pts, cell_of, centres, span / bins, 2)
    d = ((pts[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
    assert np.array_equal(labels, d.argmin(axis=1))


def test_group_counts_leave_out_participants_without_a_group() -> None:
    rows, cols, votes = _random_votes(50, 12, 0.5, seed=14)
    m = VoteMatrix.from_votes(rows, cols, votes)
    groups = np.arange(m.n_participants) % 3 - 1  # -1, 0, 1, -1, ...
    counts = count_by_group(m.indptr, m.indices, m.values, groups, 2, m.n_statements)
    dense = np.full((m.n_participants, m.n_statements), 9)
    for i in range(m.n_participants):
        span = slice(m.indptr[i], m.indptr[i + 1])
        dense[i, m.indices[span]] = m.values[span]
    for g in range(2):
        mine = dense[groups == g]
        assert np.array_equal(counts.agree[g], (mine == 1).sum(axis=0))
        assert np.array_equal(counts.disagree[g], (mine == -1).sum(axis=0))
        assert np.array_equal(counts.seen[g], (mine != 9).sum(axis=0))


def test_groups_keep_their_members_when_the_whole_map_flips() -> None:
    rows, cols, votes = _random_votes(400, 30, 0.4, seed=15)
    m = VoteMatrix.from_votes(rows, cols, votes)
    first = compute_opinion_map(m)
    # Every vote reversed: the projection is mirrored through the origin. Polis carries
    # each cluster's members, so every group keeps its members and its id.
    flipped = VoteMatrix.from_votes(rows, cols, -votes)
    second = compute_opinion_map(flipped, state=OpinionState.from_json(first.state.to_json()))
    assert second.k == first.k
    assert np.array_equal(second.group_labels, first.group_labels)


def test_a_map_without_statistics_hands_on_the_same_state() -> None:
    rows, cols, votes = _random_votes(300, 40, 0.4, seed=5)
    m = VoteMatrix.from_votes(rows, cols, votes)
    full = compute_opinion_map(m, seed=0)
    lean = compute_opinion_map(m, seed=0, statistics=False)
    assert lean.state.to_json() == full.state.to_json()
    assert np.array_equal(lean.group_labels, full.group_labels)
    assert all(not reps for reps in lean.representative)
    assert any(full.representative)


@pytest.mark.parametrize("k", [2, 3, 4])
def test_group_restarts_keep_polis_clustering_unless_one_has_a_lower_objective(k: int) -> None:
    from commonground.analysis.opinion_clusters import _objective, group_clustering

    rng = np.random.default_rng(k)
    points = np.concatenate([rng.normal(c, 0.3, (30, 2)) for c in ((0, 0), (4, 0), (0, 4))])
    points = np.concatenate([points, [[10.0, 10.0]]])  # an outlier the first-rows start misses
    sizes = rng.integers(1, 20, points.shape[0]).astype(float)
    ids = np.arange(points.shape[0])
    plain = group_clustering(k, points, sizes, ids, None, OpinionParams())
    deep = group_clustering(k, points, sizes, ids, None, OpinionParams(group_restarts=10))
    plain_value = _objective(points, sizes, plain[0], plain[1])
    deep_value = _objective(points, sizes, deep[0], deep[1])
    assert deep_value <= plain_value
    if deep_value == plain_value:  # nothing better found: Polis's own clustering stays
        assert np.array_equal(deep[1], plain[1])


def test_a_restart_replaces_polis_clustering_only_when_deeper_by_more_than_the_margin() -> None:
    from commonground.analysis.opinion_clusters import _objective, group_clustering

    rng = np.random.default_rng(3)
    points = np.concatenate([rng.normal(c, 0.3, (30, 2)) for c in ((0, 0), (4, 0), (0, 4))])
    points = np.concatenate([points, [[10.0, 10.0]]])
    sizes = rng.integers(1, 20, points.shape[0]).astype(float)
    ids = np.arange(points.shape[0])
    polis = group_clustering(3, points, sizes, ids, None, OpinionParams())
    deepest = group_clustering(3, points, sizes, ids, None, OpinionParams(group_restarts=10))
    gain = 1.0 - _objective(points, sizes, deepest[0], deepest[1]) / _objective(
        points, sizes, polis[0], polis[1]
    )
    assert gain > 0.01  # the first-rows start leaves a clearly shallower optimum here

    def with_margin(margin: float) -> np.ndarray:
        params = OpinionParams(group_restarts=10, group_restart_margin=margin)
        return group_clustering(3, points, sizes, ids, None, params)[1]

    assert np.array_equal(with_margin(gain * 0.99), deepest[1])  # deeper by more: replaced
    assert np.array_equal(with_margin(gain * 1.01), polis[1])  # by less: Polis's stays


def _clean_start_by_recomputing_everything(
    points: np.ndarray, member: np.ndarray, n_previous: int, k: int, weights: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """Polis's splitting step written plainly: every distance and every centre
    recomputed after every split (the reference for the incremental version)."""
    from commonground.analysis.opinion_kmeans import _member_centres

    member = member.copy()
    start, member, _ = clean_start(points, member, n_previous, 0, weights=weights)
    centres = start
    n_clusters = centres.shape[0]
    possible = min(k, np.unique(points, axis=0).shape[0])
    while n_clusters < possible:
        nearest = np.sqrt(((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)).min(1)
        far = points.shape[0] - 1 - int(np.argmax(nearest[::-1]))
        if nearest[far] <= 0.0:
            break
        member[far] = n_clusters
        n_clusters += 1
        centres, count = _member_centres(points, member, n_clusters, weights)
        if not (count > 0).all():
            alive = count > 0
            remap = np.cumsum(alive) - 1
            member[member >= 0] = remap[member[member >= 0]]
            centres = centres[alive]
            n_clusters = centres.shape[0]
    return centres, member


@pytest.mark.parametrize("trial", range(12))
def test_clean_start_splits_as_if_every_centre_were_recomputed_after_each_split(
    trial: int,
) -> None:
    rng = np.random.default_rng(trial)
    n, previous, k = int(rng.integers(1, 300)), int(rng.integers(1, 20)), int(rng.integers(2, 40))
    # Rounded coordinates: coinciding points and singleton clusters emptied by a split.
    points = np.round(rng.normal(0, 1, (n, 2)), trial % 3)
    member = rng.integers(-1, previous, n)
    weights = rng.integers(1, 20, n).astype(float) if trial % 2 else None
    centres, members, _ = clean_start(points, member, previous, k, weights=weights)
    expected_centres, expected_members = _clean_start_by_recomputing_everything(
        points, member, previous, k, weights
    )
    assert np.array_equal(members, expected_members)
    assert np.allclose(centres, expected_centres, rtol=0, atol=1e-12)
