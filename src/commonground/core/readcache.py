"""Versions of what readers see (docs/performance.md, "Read path").

Every state change appends its ledger entry inside its transaction; the ledger then calls
:func:`bump` in that same transaction, which gives each *scope* the change touches a new
random token (one upsert into ``core_readversion``). A cached read is stored under a key
naming the tokens of the scopes it depends on, so the first read after a change misses
and renders afresh: nothing is deleted, and every server process agrees because the
tokens are rows of the database.

Scopes:

* ``all``: any change not listed below (a new or edited issue, a translation, a
  moderation act, a phase change, a merge, a forward, settings, accounts...). Broad on
  purpose: such changes are rare, and a narrower scope would have to know every page
  they show up on (an issue raised below changes the similar issues shown above). It is
  kept in ``ALL_SHARDS`` rows (``all:0`` ... ``all:15``): a change renews one of them,
  picked at random, and a reader combines the sixteen. One row would make every such
  write of the instance wait for the one before it to commit, the global queue the
  ledger's sequencer removed (docs/ledger.md).
* ``issue:<id>``: a support or withdrawal of that issue (the cycle's tally version,
  ``commonground.issues.tallies.tally_version``, grown in the same transaction, covers
  what a support changes elsewhere: tallies, recognition, the agenda). The support
  already holds the issue's row, so its token's row adds no wait.
* ``talk:<id>``: a comment added to that issue. Its own scope, not the issue's, so that
  the issue page's contributions section, cached under ``all`` and ``talk:<id>``
  (commonground.core.templatetags.readcached), outlives the supports.
* none: a vote (no cached read shows votes; a vote storm must not queue on one row), and
  a recomputed opinion map (no cached read shows a map: the issue page lists its
  conversations, which opening one changes, under ``all``). Before, each recompute (one
  per conversation per debounce window while votes come in) renewed ``all`` and made
  every cached page of the instance render again, the similar issues of every issue
  page included.

Why it is exact: the token changes in the transaction of the change, so a reader that
sees the new token reads data that includes it; a reader that saw the old token may
store newer data under it, which is harmless. A rolled-back change leaves the token.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, router

from commonground.core.models import ReadVersion

ALL = "all"
TALK = "talk"
ALL_SHARDS = 16
# What no cached read shows (module docstring, "none").
NO_CACHED_READ = frozenset({"vote.cast", "conversation.opinion_map"})


class _EventLike(Protocol):
    """A ledger event (commonground.ledger.services.Event), as far as scopes go."""

    @property
    def action(self) -> str: ...
    @property
    def object_type(self) -> str: ...
    @property
    def object_id(self) -> str | int: ...
    @property
    def fields(self) -> Any: ...


def seconds() -> int:
    """How long a cached read lives at most (0 turns the read cache off)."""
    return int(getattr(settings, "COMMONGROUND_READ_CACHE_SECONDS", 60))


def stale_seconds() -> float:
    """How long after its versions were read an anonymous reader may still be served a page
    (commonground.core.read_cache_middleware, "Bounded staleness"; 0: always the current)."""
    return float(getattr(settings, "COMMONGROUND_READ_STALE_SECONDS", 2))


def scopes_of(event: _EventLike) -> set[str]:
    """The scopes a recorded change touches (see the module's docstring)."""
    fields = event.fields or {}
    if event.action in ("support.add", "support.withdraw") and event.object_type == "issue":
        return {f"issue:{event.object_id}"}
    if event.action == "comment.add" and fields.get("issue"):
        return {f"{TALK}:{fields['issue']}"}
    if event.action in NO_CACHED_READ:
        return set()
    return {f"{ALL}:{secrets.randbelow(ALL_SHARDS)}"}


def bump_statement(
    events: Iterable[_EventLike], when: str | None = None
) -> tuple[str, list[Any]] | None:
    """The one upsert that gives each scope these changes touch a new token, with its
    parameters (None when they touch none): run by ``bump``, or folded by a hand-written
    write into its own statement (commonground.issues.support_sql), there under ``when``
    (an SQL condition without parameters: the change happened). Scopes in a fixed order,
    so two changes never wait for each other's rows crosswise."""
    scopes = sorted(set().union(*(scopes_of(e) for e in events)))
    if not scopes:
        return None
    table = connection.ops.quote_name(ReadVersion._meta.db_table)
    values = "VALUES " + ", ".join(["(%s, %s)"] * len(scopes))
    if when is not None:
        values = f"SELECT * FROM ({values}) AS v WHERE {when}"
    params: list[Any] = []
    for scope in scopes:
        params += [scope, secrets.randbits(62)]
    sql = (
        f"INSERT INTO {table} (scope, token) {values} "
        "ON CONFLICT (scope) DO UPDATE SET token = excluded.token"
    )
    return sql, params


def lock_statement(events: Iterable[_EventLike]) -> tuple[str, list[Any]] | None:
    """A SELECT that locks the stored rows of the scopes these changes touch, in
    ``bump_statement``'s order and mode, with its parameters (None when they touch none):
    run by a hand-written write in the same message before its own statement, so that it
    waits for a concurrent change of the same scopes there and its own statement starts
    after that change committed (commonground.issues.support_sql)."""
    scopes = sorted(set().union(*(scopes_of(e) for e in events)))
    if not scopes:
        return None
    table = connection.ops.quote_name(ReadVersion._meta.db_table)
    listed = ", ".join(["%s"] * len(scopes))
    sql = f"SELECT 1 FROM {table} WHERE scope IN ({listed}) ORDER BY scope FOR NO KEY UPDATE"
    return sql, list(scopes)


def bump(events: Iterable[_EventLike]) -> None:
    """Give each scope these changes touch a new token, in the caller's transaction."""
    statement = bump_statement(events)
    if statement is not None:
        with connection.cursor() as cursor:
            cursor.execute(*statement)


def _stored(scope: str) -> list[str]:
    """The rows that hold a scope: its shards for ``all``, else itself."""
    return [f"{ALL}:{n}" for n in range(ALL_SHARDS)] if scope == ALL else [scope]


def _combined(scopes: Sequence[str], found: dict[str, Any]) -> list[str]:
    """Each scope's token from the stored rows found (``all``: a digest of its shards)."""

    def token(scope: str) -> str:
        if scope != ALL:
            return str(found.get(scope, 0))
        joined = "-".join(str(found.get(row, 0)) for row in _stored(scope))
        return hashlib.sha256(joined.encode()).hexdigest()[:20]

    return [token(scope) for scope in scopes]


def versions_database() -> str:
    """The database the versions are read from: the one this request's reads go to (a
    read from the replica keys its page by the replica's versions)."""
    return router.db_for_read(ReadVersion) or DEFAULT_DB_ALIAS


def versions_subquery(scopes: Sequence[str]) -> tuple[str, list[str]]:
    """A scalar subquery of the scopes' stored rows as one text (``scope=token`` pairs
    joined by commas), with its parameters: a key function that reads other things in one
    statement reads the versions in it too (one round trip, no ORM); ``versions_of``
    turns the text into the tokens."""
    rows = [row for scope in scopes for row in _stored(scope)]
    table = connection.ops.quote_name(ReadVersion._meta.db_table)
    concat = "scope || '=' || CAST(token AS TEXT)"
    if connection.vendor == "sqlite":
        aggregate = f"group_concat({concat}, ',')"
    else:
        aggregate = f"string_agg({concat}, ',')"
    marks = ", ".join(["%s"] * len(rows))
    return f"(SELECT {aggregate} FROM {table} WHERE scope IN ({marks}))", rows


def versions_of(scopes: Sequence[str], text: str | None) -> list[str]:
    """The tokens of ``scopes`` from the text ``versions_subquery`` read."""
    found = dict(pair.split("=", 1) for pair in (text or "").split(",") if pair)
    return _combined(scopes, found)


def versions(scopes: Sequence[str]) -> list[str]:
    """The current token of each scope ("0" for a scope never bumped; ``all`` as a short
    digest of its shards' tokens, so cache keys stay short), in one query. Written as SQL:
    every version check past the window runs it, and the ORM cost more to build it than
    the database takes to answer."""
    rows = [row for scope in scopes for row in _stored(scope)]
    table = connections[versions_database()].ops.quote_name(ReadVersion._meta.db_table)
    marks = ", ".join(["%s"] * len(rows))
    with connections[versions_database()].cursor() as cursor:
        cursor.execute(f"SELECT scope, token FROM {table} WHERE scope IN ({marks})", rows)
        found = dict(cursor.fetchall())
    return _combined(scopes, found)
