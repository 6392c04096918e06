"""What the cached issue page depends on (settings' ``COMMONGROUND_READ_CACHE_ROUTES``;
commonground.core.read_cache_middleware).

The issue page shows the issue's recognition: recognized or not, its rank, its balanced
support and each group's rate against the group's active members, which the other
issues' supports move too. Keyed by the cycle's tally version, every support of the cycle
made every issue page render afresh. Keyed by what it shows instead: the key function
computes the issue's recognition (from the live agenda, kept per process by tally
version, so the twelve pages of a cycle compute it once) and keys the page by its digest;
the page then shows exactly that recognition (``read_carry``, taken by
``{% issue_recognition %}``), so a page found under a digest shows what the digest says,
whatever moved and moved back in between. A support of another issue that leaves this
issue's figures, rank and reason as they were no longer re-renders it; its own supports,
comments and broad changes move its versions as before.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection

from commonground.core import readcache, rows
from commonground.core.read_cache_middleware import ReadKey
from commonground.core.readcache import ALL, TALK
from commonground.forums.models import Cycle, Forum
from commonground.issues.models import Issue
from commonground.issues.tallies import issue_cycle_version
from commonground.recognition.templatetags.recognition import CARRY, recognition_of


def _cycle_of(
    issue_id: int, scopes: tuple[str, ...]
) -> tuple[Cycle, tuple[int, int], tuple[str, ...] | None] | None:
    """The issue's cycle with its forum (the recognition settings), the cycle's tally
    version and, read in the same statement, the scopes' versions (None when the versions
    are read elsewhere: a request reading from a replica reads them there); None if no
    such issue. One hand-written statement: every version check of an issue page past the
    window runs it."""
    quote = connection.ops.quote_name
    also_sql = f"{rows.columns(Cycle, 'c')}, {rows.columns(Forum, 'f')}"
    also_params: list[Any] = []
    same_database = readcache.versions_database() == DEFAULT_DB_ALIAS
    if same_database:
        subquery, also_params = readcache.versions_subquery(scopes)
        also_sql += f", {subquery}"
    join = (
        f"JOIN {quote(Issue._meta.db_table)} i ON i.cycle_id = c.id "
        f"JOIN {quote(Forum._meta.db_table)} f ON f.id = c.forum_id"
    )
    row = issue_cycle_version(issue_id, join, (also_sql, also_params))
    if row is None:
        return None
    start, middle = 3, 3 + rows.width(Cycle)
    end = middle + rows.width(Forum)
    cycle = rows.instance(Cycle, row[start:middle])
    rows.cache_related(cycle, "forum", rows.instance(Forum, row[middle:end]))
    tokens = tuple(readcache.versions_of(scopes, row[end])) if same_database else None
    return cycle, (row[1], row[2]), tokens


def issue_page(pk: str) -> ReadKey:
    """The issue page: the issue's own changes (supports; comments), broad changes, and
    the digest of the recognition it shows (module docstring)."""
    issue_id = int(pk)
    scopes = (ALL, f"issue:{issue_id}", f"{TALK}:{issue_id}")
    found = _cycle_of(issue_id, scopes)
    if found is None:
        return ReadKey(scopes)  # no such issue: a 404, never stored
    cycle, version, tokens = found
    try:
        shown = recognition_of(cycle, issue_id, version)
    except ValueError:  # not among the agenda's issues: keyed by the tally version
        return ReadKey(scopes, (f"tally:{version}",), tokens=tokens)
    text = json.dumps(shown, sort_keys=True, default=repr)
    digest = hashlib.sha256(text.encode()).hexdigest()[:32]
    return ReadKey(scopes, (f"recognition:{digest}",), {CARRY: (issue_id, shown)}, tokens)
