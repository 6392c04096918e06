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

from commonground.core.read_cache_middleware import ReadKey
from commonground.core.readcache import ALL, TALK
from commonground.forums.models import Cycle
from commonground.issues.tallies import with_tally_version
from commonground.recognition.templatetags.recognition import CARRY, recognition_of


def issue_page(pk: str) -> ReadKey:
    """The issue page: the issue's own changes (supports; comments), broad changes, and
    the digest of the recognition it shows (module docstring)."""
    issue_id = int(pk)
    scopes = (ALL, f"issue:{issue_id}", f"{TALK}:{issue_id}")
    # The cycle, its forum (the recognition settings) and its tally version: one query.
    cycles = with_tally_version(Cycle.objects.select_related("forum"))
    cycle = cycles.filter(issues__pk=issue_id).first()
    if cycle is None:
        return ReadKey(scopes)  # no such issue: a 404, never stored
    version = (cycle.tally_version, int(getattr(cycle, "shard_version")))  # noqa: B009
    try:
        shown = recognition_of(cycle, issue_id, version)
    except ValueError:  # not among the agenda's issues: keyed by the tally version
        return ReadKey(scopes, (f"tally:{version}",))
    text = json.dumps(shown, sort_keys=True, default=repr)
    digest = hashlib.sha256(text.encode()).hexdigest()[:32]
    return ReadKey(scopes, (f"recognition:{digest}",), {CARRY: (issue_id, shown)})
