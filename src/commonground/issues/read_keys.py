"""What the cached reads of issues, lists and agendas depend on (settings'
``COMMONGROUND_READ_CACHE_ROUTES``; commonground.core.read_cache_middleware)."""

from __future__ import annotations

from commonground.core.read_cache_middleware import ReadKey
from commonground.core.readcache import ALL
from commonground.forums.models import Cycle
from commonground.issues.models import Issue


def forum_cycle(slug: str) -> ReadKey:
    """The agenda and the issue list: any broad change, and the open cycle's tally version
    (every support, withdrawal and new issue of the cycle bumps it in its transaction)."""
    version = (
        Cycle.objects.filter(forum__slug=slug, is_open=True)
        .values_list("pk", "tally_version")
        .first()
    )
    return ReadKey((ALL,), (f"tally:{version}",))


def issue_page(pk: str) -> ReadKey:
    """The issue page: the issue's own changes, and its cycle's tally version (its
    recognition status depends on the other issues' supports too)."""
    version = Issue.objects.filter(pk=int(pk)).values_list("cycle_id", "cycle__tally_version")
    return ReadKey((ALL, f"issue:{int(pk)}"), (f"tally:{version.first()}",))


def issue_only(pk: str) -> ReadKey:
    """The issue's API record: its text, topics, author and support counts (no recognition)."""
    return ReadKey((ALL, f"issue:{int(pk)}"))
