"""Benchmark: the opinion map as the site computes it, from the votes in the database.

Run ``uv run python bench/opinion_db.py [--votes N] [--database sqlite|postgres]``.

It builds a scratch site with one conversation of N votes (default 1,000,000) from
20 participants per 1,000 votes on 1,000 statements, drawn from three latent opinion
groups, written straight into the votes table. Then, in the same run, it times:

* ``recompute_opinion_map`` cold: read every vote, run the engine, save the snapshot
  and its ledger entry (what the background task does);
* the same after 1 % more votes, warm-started from the snapshot before;
* a baseline: a plain SQL query fetching the same (participant, statement, vote) rows.

Ratios are recompute time / plain query time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

# Run as a script (``python bench/opinion_db.py``): this folder is on sys.path.
from scratch_site import setup_scratch_site

N_STATEMENTS = 1_000


def _populate(n_votes: int, seed: int = 7) -> int:
    """One open conversation with ``n_votes`` votes; returns its id."""
    import numpy as np
    from django.db import connection, transaction
    from django.utils import timezone

    from commonground.dialogue.models import Conversation, Statement, Vote
    from commonground.forums.services import create_forum

    rng = np.random.default_rng(seed)
    n_participants = max(20, n_votes // 50)
    forum = create_forum(None, slug="bench-forum", name="Bench forum", level="global")
    now = timezone.now()
    conversation = Conversation.objects.create(
        forum=forum, topic="Bench", moderation="open", created_at=now, last_vote_at=now
    )
    Statement.objects.bulk_create(
        [
            Statement(conversation=conversation, text=f"Statement {j}", created_at=now,
                      status=Statement.Status.ACCEPTED)
            for j in range(N_STATEMENTS)
        ]
    )  # fmt: skip
    statements = Statement.objects.filter(conversation=conversation).order_by("id")
    sids = np.asarray(statements.values_list("id", flat=True))
    keys = np.unique(rng.integers(0, n_participants * N_STATEMENTS, int(n_votes * 1.1)))
    keys = rng.permutation(keys)[:n_votes]
    person, statement = keys // N_STATEMENTS, keys % N_STATEMENTS
    group = rng.integers(0, 3, n_participants)
    stance = rng.uniform(-1.0, 1.0, (3, N_STATEMENTS))
    vote = np.where(rng.random(keys.size) < (1 + stance[group[person], statement]) / 2, 1, -1)
    vote[rng.random(keys.size) < 0.15] = 0
    table = Vote._meta.db_table
    sql = (
        f"INSERT INTO {table} (conversation_id, statement_id, participant_key, value, updated_at)"
        " VALUES (%s, %s, %s, %s, %s)"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        for lo in range(0, keys.size, 100_000):
            hi = lo + 100_000
            cursor.executemany(
                sql,
                [
                    (conversation.pk, int(s), f"x{int(p)}", int(v), now)
                    for p, s, v in zip(
                        person[lo:hi], sids[statement[lo:hi]], vote[lo:hi], strict=True
                    )
                ],
            )
    return conversation.pk


def _add_votes(conversation_id: int, share: float, seed: int = 11) -> int:
    """``share`` more votes by existing and new participants; returns how many."""
    import numpy as np
    from django.db import connection, transaction
    from django.utils import timezone

    from commonground.dialogue.models import Statement, Vote

    rng = np.random.default_rng(seed)
    existing = Vote.objects.filter(conversation_id=conversation_id)
    n_new = int(existing.count() * share)
    statements = Statement.objects.filter(conversation_id=conversation_id)
    sids = list(statements.values_list("id", flat=True))
    table = Vote._meta.db_table
    # New participants only, so no pair repeats (an existing pair would be an update).
    sql = (
        f"INSERT INTO {table} (conversation_id, statement_id, participant_key, value, updated_at)"
        " VALUES (%s, %s, %s, %s, %s)"
    )
    now = timezone.now()
    rows = [
        (conversation_id, sids[i % len(sids)], f"x{10**9 + i // 40}", int(v), now)
        for i, v in enumerate(rng.integers(-1, 2, n_new))
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return n_new


def _plain_query(conversation_id: int) -> int:
    from django.db import connection

    from commonground.dialogue.models import Vote

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT participant_key, statement_id, value FROM {Vote._meta.db_table} "
            "WHERE conversation_id = %s ORDER BY id",
            [conversation_id],
        )
        return len(cursor.fetchall())


def _peak_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _best_of(fn: Callable[[], object], repeat: int) -> tuple[float, float, float]:
    """Median and best wall time of ``fn``, and the process's peak RSS (MiB) while it ran."""
    times = []
    Path("/proc/self/clear_refs").write_text("5")  # restart the peak from the current RSS
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), _peak_mib()


def main(argv: list[str] | None = None) -> int:
    """Build the scratch conversation, time the three measures, print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    setup_scratch_site(args.database, "opinion")
    from commonground.dialogue.models import Conversation, OpinionSnapshot
    from commonground.dialogue.services import recompute_opinion_map

    start = time.perf_counter()
    conversation_id = _populate(args.votes)
    print(f"built {args.votes:,} votes in {time.perf_counter() - start:.1f} s ({args.database})")
    conversation = Conversation.objects.get(pk=conversation_id)

    def cold() -> None:
        OpinionSnapshot.objects.filter(conversation=conversation).delete()
        recompute_opinion_map(conversation)

    cold_med, cold_best, cold_peak = _best_of(cold, args.repeat)
    base_med, base_best, base_peak = _best_of(lambda: _plain_query(conversation_id), args.repeat)
    added = _add_votes(conversation_id, 0.01)

    def warm() -> None:
        # Each repetition starts from the same snapshot: the one computed before the new votes.
        OpinionSnapshot.objects.filter(conversation=conversation).order_by("-id").first().delete()
        recompute_opinion_map(conversation)

    recompute_opinion_map(conversation)  # the snapshot the warm() calls delete again
    warm_med, warm_best, warm_peak = _best_of(warm, args.repeat)
    snapshot = OpinionSnapshot.objects.filter(conversation=conversation).order_by("-id").first()
    print(f"{'measure':<52}{'median s':>10}{'best s':>9}{'peak RSS MiB':>14}")
    for label, med, best, peak in (
        ("recompute from the database, cold", cold_med, cold_best, cold_peak),
        (f"recompute after +{added:,} votes (1 %), warm", warm_med, warm_best, warm_peak),
        ("baseline: plain SQL fetch of the vote rows", base_med, base_best, base_peak),
    ):
        print(f"{label:<52}{med:>10.2f}{best:>9.2f}{peak:>14.0f}")
    print(
        f"ratio cold recompute / plain fetch: {cold_med / base_med:.1f}x; "
        f"warm: {warm_med / base_med:.1f}x; groups {snapshot.groups}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
