"""What one support and one withdrawal write to PostgreSQL's WAL, record by record.

    uv run python bench/support_wal.py [--n 500] [--top 20]

On a scratch PostgreSQL database (as bench/load.py builds it, from ``DATABASE_URL``; the
scratch database is its name with ``_wal_load``), through Django's test client, with batched
sequencing as the bench's servers run: ``--n`` members each support one of three issues,
then each withdraws it, one request at a time; then the sequencer integrates their
entries. Every member's token is used once before, so no ``last_used_at`` write falls in
the measured window (one per token and minute).

For each phase it reads the WAL written between its positions with ``pg_walinspect``
(PostgreSQL 15 or later; the extension is created in the scratch database) and keeps the
records of the scratch database's relations and the commits of their transactions, so
other databases of the cluster do not count. It prints the bytes per request (and without
the full-page images, which a checkpoint during the run adds to the first change of each
page after it: the figure to compare between runs) and the
largest kinds of record by relation, and the CPU of the backend serving the requests
(``/proc/<pid>/stat``, in 10 ms ticks: take a large ``--n``).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

# Run as a script (``python bench/support_wal.py``): this folder is on sys.path.
from scratch_site import like_load_servers

ROOT = Path(__file__).resolve().parent.parent

# The records of this database's relations (``rel <tablespace>/<database>/<relfilenode>``
# in block_ref) and the commit records of the transactions that wrote them.
_RECORDS = """
WITH w AS (SELECT * FROM pg_get_wal_records_info(%(a)s, %(b)s)),
mine AS (
    SELECT w.*, substring(w.block_ref from 'rel \\d+/\\d+/(\\d+)')::oid AS node FROM w
    WHERE w.block_ref ~ ('rel \\d+/' || (SELECT oid FROM pg_database
                                          WHERE datname = current_database()) || '/')
)
SELECT coalesce(c.relname, '?') AS relation, m.resource_manager || ':' || m.record_type,
       count(*), sum(m.record_length), sum(m.fpi_length)
FROM mine m LEFT JOIN pg_class c ON c.relfilenode = m.node GROUP BY 1, 2
UNION ALL
SELECT '(commit)', w.resource_manager || ':' || w.record_type, count(*), sum(w.record_length),
       sum(w.fpi_length)
FROM w WHERE w.resource_manager = 'Transaction' AND w.xid IN (SELECT xid FROM mine)
GROUP BY 1, 2
ORDER BY 4 DESC
"""


def _one(sql: str, params: Any = None) -> Any:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _backend_cpu() -> float | None:
    pid = _one("SELECT pg_backend_pid()")
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _measure(label: str, n: int, run: Any, top: int) -> dict[str, Any]:
    from django.db import connection

    start, cpu = _one("SELECT pg_current_wal_lsn()"), _backend_cpu()
    run()
    end, cpu_end = _one("SELECT pg_current_wal_lsn()"), _backend_cpu()
    with connection.cursor() as cursor:
        cursor.execute(_RECORDS, {"a": start, "b": end})
        rows = cursor.fetchall()
    total = sum(float(r[3]) for r in rows) / n
    images = sum(float(r[4]) for r in rows) / n
    line = f"{label:<10} WAL {total:7.0f} B per request ({total - images:5.0f} B without images)"
    if cpu is not None and cpu_end is not None:
        line += f"   backend CPU {(cpu_end - cpu) / n * 1000:6.3f} ms"
    print(line, flush=True)
    for relation, kind, count, size, _image in rows[:top]:
        print(f"    {relation[:42]:<42} {kind:<24} {count / n:5.2f} x {float(size) / n:7.1f} B")
    return {"bytes": round(total, 1), "images": round(images, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--top", type=int, default=20, help="kinds of record shown per phase")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cg_bench")
    os.environ["DATABASE_URL"] = url.split("?")[0] + "_wal"
    from bench.load import drop_database, setup_database

    plan = setup_database(members=args.n, issues=12, statements=2)
    from django.db import connection
    from django.test import Client

    from commonground.ledger.sequencer import integrate_pending

    client = Client()
    tokens, issues = plan["tokens"], plan["issues"]

    def change(method: str, i: int) -> None:
        auth = {"HTTP_AUTHORIZATION": f"Bearer {tokens[i]}"}
        answer = getattr(client, method)(f"/api/v1/issues/{issues[i % 3]}/support", **auth)
        assert answer.status_code < 400, (answer.status_code, answer.content[:300])

    try:
        with connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_walinspect")
        for i in range(args.n):  # every token used once, every tally row made
            change("post", i)
            change("delete", i)
        integrate_pending()
        _measure("support", args.n, lambda: [change("post", i) for i in range(args.n)], args.top)
        _measure(
            "withdrawal", args.n, lambda: [change("delete", i) for i in range(args.n)], args.top
        )
        _measure("sequencer", 2 * args.n, integrate_pending, args.top)
    finally:
        drop_database()
    return 0


if __name__ == "__main__":
    like_load_servers()
    raise SystemExit(main())
