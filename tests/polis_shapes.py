"""Polis exports shaped as current Polis writes them, made from the public conversations.

Current Polis exports add an ``xid`` column (the participant's external id) to
participants-votes.csv, and some published exports carry neither ``votes.csv`` nor
``stats-history.csv``. ``current_polis_copy`` rewrites a public conversation that way.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path


def current_polis_copy(source: Path, target: Path, *, extra_column: bool = False) -> Path:
    """Copy ``source`` to ``target`` without votes.csv and stats-history.csv, with an
    ``xid`` column after ``participant`` in participants-votes.csv (and, with
    ``extra_column``, a free-text metadata column at the end)."""
    target.mkdir(parents=True, exist_ok=True)
    for path in source.iterdir():
        if path.name in ("votes.csv", "stats-history.csv", "participants-votes.csv"):
            continue
        shutil.copy(path, target / path.name)
    with (source / "participants-votes.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    out = [["participant", "xid", *header[1:]] + (["referrer"] if extra_column else [])]
    for n, row in enumerate(body):
        # xids are whatever the embedding site passed: text, or digits that look like ids.
        xid = f"user-{row[0]}@example.org" if n % 2 else str(900_000 + n)
        out.append([row[0], xid, *row[1:]] + ([f"newsletter, issue {n}"] if extra_column else []))
    with (target / "participants-votes.csv").open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(out)
    return target
