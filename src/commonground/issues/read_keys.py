"""What the cached reads of issues, lists and agendas depend on (settings'
``COMMONGROUND_READ_CACHE_ROUTES``; commonground.core.read_cache_middleware)."""

from __future__ import annotations

from commonground.core.read_cache_middleware import ReadKey
from commonground.core.readcache import ALL
from commonground.issues.tallies import issue_cycle_version, open_cycle_version


def forum_cycle(slug: str) -> ReadKey:
    """The agenda and the issue list: any broad change, and the open cycle's tally version
    (every support, withdrawal and new issue of the cycle grows it in its transaction: the
    cycle's own counter or one of its shards, commonground.issues.tallies)."""
    return ReadKey((ALL,), (f"tally:{open_cycle_version(slug)}",))


def issue_page(pk: str) -> ReadKey:
    """The issue page: the issue's own changes, and its cycle's tally version (its
    recognition status depends on the other issues' supports too)."""
    return ReadKey((ALL, f"issue:{int(pk)}"), (f"tally:{issue_cycle_version(int(pk))}",))


def issue_only(pk: str) -> ReadKey:
    """The issue's API record: its text, topics, author and support counts (no recognition)."""
    return ReadKey((ALL, f"issue:{int(pk)}"))
