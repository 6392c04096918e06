"""What the cached reads of issues, lists and agendas depend on (settings'
``COMMONGROUND_READ_CACHE_ROUTES``; commonground.core.read_cache_middleware)."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS

from commonground.core import readcache
from commonground.core.read_cache_middleware import ReadKey
from commonground.core.readcache import ALL, TALK
from commonground.issues.tallies import open_cycle_version, open_cycle_version_and


def forum_cycle(slug: str) -> ReadKey:
    """The agenda and the issue list: any broad change, and the open cycle's tally version
    (every support, withdrawal and new issue of the cycle grows it in its transaction: the
    cycle's own counter or one of its shards, commonground.issues.tallies). Both in one
    statement, unless the versions are read from a replica (they are read there)."""
    scopes = (ALL,)
    if readcache.versions_database() != DEFAULT_DB_ALIAS:
        return ReadKey(scopes, (f"tally:{open_cycle_version(slug)}",))
    row = open_cycle_version_and(slug, readcache.versions_subquery(scopes))
    if row is None:  # no open cycle: the versions are read by the cache
        return ReadKey(scopes, ("tally:None",))
    tokens = tuple(readcache.versions_of(scopes, row[3]))
    return ReadKey(scopes, (f"tally:{tuple(row[:3])}",), tokens=tokens)


def issue_only(pk: str) -> ReadKey:
    """The issue's API record: its text, topics, author and support counts (no recognition)."""
    return ReadKey((ALL, f"issue:{int(pk)}"))


# Sections of the issue page (settings' COMMONGROUND_READ_CACHE_SECTIONS,
# commonground.core.templatetags.readcached): what no support moves.


def issue_network_section(pk: str, merged_from: str) -> ReadKey:
    """Across levels and similar issues: forwards, merges, dismissals and every issue's
    text are broad changes (``all``); ``merged_from`` is the notice of the link followed."""
    return ReadKey((ALL,))


def issue_contributions_section(pk: str) -> ReadKey:
    """Signals, solutions, advice and comments: a comment moves the issue's ``talk``
    version, anything else there (a contribution, an edit, a hiding, a phase) ``all``."""
    return ReadKey((ALL, f"{TALK}:{int(pk)}"))
