"""Cost of folding and checking community translations (issue 18), without a database.

    uv run python bench/translation_fold.py [TRANSLATIONS]

Makes ``TRANSLATIONS`` (default 100,000) ``solution_translation.add`` entries, one in ten
edited and one in twenty hidden, and the ``solution_translations.csv`` rows they make,
then times the fold of the entries and the check of the rows
(``audit_translations``; entries and rows are made as they are read, so their making is
in the times), then does it again under tracemalloc for the peak of Python's allocations
(tracemalloc slows it: its times are not reported).
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from collections.abc import Iterator

from commonground.opendata.audit_translations import TRANSLATION_CHECKS
from commonground.opendata.fold import Cells, Fold, text_sha256

WHEN = "2026-12-06T05:00:00.000000Z"


def entries(n: int) -> Iterator[dict[str, object]]:
    for i in range(1, n + 1):
        yield {
            "action": "solution_translation.add",
            "forum": "f",
            "actor": f"p{i % 997}",
            "time": WHEN,
            "object": {"type": "solution_translation", "id": i},
            "fields": {
                "solution": i,
                "language": "fr",
                "title_sha256": text_sha256(f"Titre {i}"),
                "description_sha256": text_sha256(f"Texte {i}"),
            },
        }
    for i in range(10, n + 1, 10):
        yield {
            "action": "solution_translation.edit",
            "forum": "f",
            "actor": f"p{i % 997}",
            "time": WHEN,
            "object": {"type": "solution_translation", "id": i},
            "fields": {
                "title_sha256": text_sha256(f"Titre {i} revu"),
                "description_sha256": text_sha256(f"Texte {i}"),
            },
        }
    for i in range(20, n + 1, 20):
        yield {
            "action": "solution_translation.hide",
            "forum": "f",
            "actor": "steward",
            "time": WHEN,
            "object": {"type": "solution_translation", "id": i},
            "fields": {"reason": "Not faithful."},
        }


def rows(n: int) -> Iterator[tuple[int, Cells]]:
    number = 0
    for i in range(1, n + 1):
        if i % 20 == 0:
            continue  # hidden: not in the table
        number += 1
        yield (
            number,
            {
                "id": str(i),
                "solution_id": str(i),
                "language": "fr",
                "title": f"Titre {i} revu" if i % 10 == 0 else f"Titre {i}",
                "description": f"Texte {i}",
                "author": f"p{i % 997}",
                "created_at": WHEN,
                "updated_at": WHEN,
            },
        )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    (check,) = [c for c in TRANSLATION_CHECKS if c.name == "solution_translations"]
    start = time.perf_counter()
    fold = Fold("f").feed_all(entries(n))
    folded = time.perf_counter()
    differences = list(check.compare(rows(n), fold))
    done = time.perf_counter()
    print(f"{n:,} translations, {fold.entries:,} entries, {len(differences)} differences")
    print(f"fold {folded - start:.2f} s, check {done - folded:.2f} s")
    del fold
    tracemalloc.start()
    list(check.compare(rows(n), Fold("f").feed_all(entries(n))))
    print(f"peak of Python's allocations {tracemalloc.get_traced_memory()[1] / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
