"""Benchmark: the live agenda page of a forum with 100,000 issues, rendered from tallies.

Run ``uv run python bench/agenda_page.py [--issues N] [--database sqlite|postgres]``.

It builds one forum whose open cycle has N issues (default 100,000) with heavy-tailed
per-group tallies written straight into the tally tables, then times, in the same run
and through the same middleware stack (Django's test client, no network):

* the agenda page ``/forums/<slug>/agenda/``;
* ``live_agenda()`` alone (reading tallies and running the engine);
* a baseline: a minimal Django view returning a fixed short response.

Ratios are agenda page time / minimal view time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

# Run as a script (``python bench/agenda_page.py``): this folder is on sys.path.
from scratch_site import setup_scratch_site


def _populate(n_issues: int, seed: int = 7) -> str:
    import numpy as np
    from django.db import transaction
    from django.utils import timezone

    from commonground.forums.services import create_forum, open_cycle
    from commonground.issues.models import TALLY_FIELDS, ActiveTally, Issue
    from commonground.participants.models import Membership, User
    from commonground.stakeholders import GROUPS

    rng = np.random.default_rng(seed)
    forum = create_forum(None, slug="big-igf", name="Big IGF", level="global")
    cycle = open_cycle(None, forum, "2027")
    user = User.objects.create_user("author@example.org", None)
    author = Membership.objects.create(
        forum=forum, user=user, stakeholder_group="civil_society", country="KE", region="african"
    )
    active = np.array([20_000, 8_000, 10_000, 60_000, 120_000, 50_000])
    popularity = rng.zipf(1.6, size=n_issues).clip(max=5_000).astype(float)
    leaning = rng.dirichlet(np.ones(6) * 0.7, size=n_issues)
    counts = np.minimum(rng.poisson(popularity[:, None] * leaning * 6), active[None, :]).astype(int)
    now = timezone.now()
    with transaction.atomic():
        Issue.objects.bulk_create(
            (
                Issue(
                    cycle=cycle,
                    forum=forum,
                    author=author,
                    title=f"Issue of concern {i}",
                    description="x",
                    description_html="<p>x</p>",
                    raised_at=now,
                    updated_at=now,
                    support_count=int(counts[i].sum()),
                    **{TALLY_FIELDS[g]: int(counts[i, j]) for j, g in enumerate(GROUPS)},
                )
                for i in range(n_issues)
            ),
            batch_size=5000,
        )
        # A group's active members are the sum of its shard rows (issues.models.
        # ActiveTally): the whole count goes into shard 0, the other shards count none.
        for j, g in enumerate(GROUPS):
            ActiveTally.objects.filter(cycle=cycle, stakeholder_group=g).delete()
            ActiveTally.objects.create(
                cycle=cycle, stakeholder_group=g, shard=0, count=int(active[j])
            )
    return forum.slug


def _time(fn, repeat: int) -> tuple[float, float]:
    fn()  # warm caches (connection, templates, first query plans)
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), min(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=100_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    setup_scratch_site(args.database, "page")
    print(f"issues: {args.issues:,}, database: {args.database}, repeat: {args.repeat}")

    from django.db.models import F
    from django.http import HttpResponse
    from django.test import Client
    from django.urls import clear_url_caches, path

    import commonground.urls as urls
    from commonground.access.lookup import open_cycle_of
    from commonground.forums.models import Cycle, Forum
    from commonground.recognition.services import compute_live_agenda, settings_of

    started = time.perf_counter()
    slug = _populate(args.issues)
    print(
        f"populated {args.issues:,} issues with their six tallies "
        f"in {time.perf_counter() - started:.1f} s ({args.database})"
    )

    urls.urlpatterns.append(path("bench-minimal/", lambda request: HttpResponse("ok")))
    clear_url_caches()
    client = Client()
    cycle = open_cycle_of(Forum.objects.get(slug=slug))

    def page() -> None:
        response = client.get(f"/forums/{slug}/agenda/")
        assert response.status_code == 200, response.status_code

    def minimal() -> None:
        assert client.get("/bench-minimal/").status_code == 200

    def bump() -> None:
        # What every support does: the next page render must recompute from the tallies.
        Cycle.objects.filter(pk=cycle.pk).update(tally_version=F("tally_version") + 1)

    def cold_page() -> None:
        bump()
        page()

    page_med, page_min = _time(cold_page, args.repeat)
    warm_med, warm_min = _time(page, args.repeat)
    settings = settings_of(cycle.forum)
    live_med, live_min = _time(lambda: compute_live_agenda(cycle, settings), args.repeat)
    base_med, base_min = _time(minimal, args.repeat * 5)
    print(f"{'measure':<44}{'median ms':>12}{'best ms':>10}")
    for label, med, best in (
        ("agenda page after a support (recomputed)", page_med, page_min),
        ("agenda page, tallies unchanged (reused)", warm_med, warm_min),
        ("computing the agenda alone (tallies+engine)", live_med, live_min),
        ("baseline: minimal Django view", base_med, base_min),
    ):
        print(f"{label:<44}{med * 1000:>12.1f}{best * 1000:>10.1f}")
    print(
        f"ratio recomputed page / minimal view: {page_med / base_med:.0f}x; "
        f"reused page / minimal view: {warm_med / base_med:.0f}x"
    )
    verdict = "met" if page_med <= 0.2 else "NOT met"
    print(f"target: agenda page <= 200 ms when recomputed -> {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
