"""CPU of the ledger sequencer's rounds, per round and per integrated entry.

    uv run python bench/sequencer_cost.py [--rounds 200] [--entries 60] [--idle 500]

On a scratch PostgreSQL database (bench/scratch_site.py), a second connection appends
``--entries`` support entries to the pending table (as a support's statement does:
``ledger.services.pending_statement``), then this process runs one background round
(``integrate_pending(wait=False)``, what ``commonground worker``'s sequencer thread does
every merge interval); ``--rounds`` times. It reports the application CPU of the rounds
(``time.process_time``) and the CPU of the PostgreSQL backend that ran them (user +
system time from ``/proc/<pid>/stat``: the pending rows are written by the other
connection's backend, so this one's CPU is the sequencer's alone), per round and per
entry, then the same for ``--idle`` rounds with nothing pending (the idle poll). Under a
support storm of ~300 supports a second the background sequencer integrates about 60
entries a round (a round every 0.2 s); docs/performance.md has the figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _backend_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=60, help="pending entries a round")
    parser.add_argument("--idle", type=int, default=500, help="rounds with nothing pending")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from bench.scratch_site import like_load_servers, setup_scratch_site

    like_load_servers()  # batched sequencing, as the load bench's servers and worker
    setup_scratch_site("postgres", "sequencer-cost")
    import psycopg
    from django.db import connection

    from commonground.ledger.sequencer import integrate_pending
    from commonground.ledger.services import Event, pending_statement

    writer = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)
    groups = ("civil_society", "government", "private_sector", "technical")
    events = [
        Event(
            "support.add" if n % 2 == 0 else "support.withdraw",
            "issue",
            1 + n % 3,
            actor=f"u_{n:016d}",
            forum="bench-forum",
            fields={"stakeholder_group": groups[n % 4]},
        )
        for n in range(args.entries)
    ]
    sql, params = pending_statement(events)
    # psycopg's own placeholders are %s as Django's; the jsonb casts are in the text.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    integrate_pending(wait=False)  # warm: statements, caches, the head's row

    def measure(rounds: int, entries: int) -> tuple[float, float, int]:
        app = pg = 0.0
        done = 0
        for _ in range(rounds):
            if entries:
                writer.execute(sql, params)
            pg0, app0 = _backend_cpu(backend), time.process_time()
            done += integrate_pending(wait=False)
            app += time.process_time() - app0
            pg += _backend_cpu(backend) - pg0
        return app, pg, done

    app, pg, done = measure(args.rounds, args.entries)
    assert done == args.rounds * args.entries, (done, args.rounds * args.entries)
    print(
        f"rounds of {args.entries}: per round app {app / args.rounds * 1000:.3f} ms, "
        f"PG {pg / args.rounds * 1000:.3f} ms; per entry app {app / done * 1000:.4f} ms, "
        f"PG {pg / done * 1000:.4f} ms ({args.rounds} rounds)"
    )
    app, pg, _ = measure(args.idle, 0)
    print(
        f"idle rounds: app {app / args.idle * 1000:.3f} ms, PG {pg / args.idle * 1000:.3f} ms "
        f"({args.idle} rounds)"
    )
    writer.close()
    connection.close()
    from bench.scratch_site import POSTGRES_SERVER

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
        time.sleep(0.2)
        admin.execute("DROP DATABASE IF EXISTS cg_bench_sequencer_cost")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
