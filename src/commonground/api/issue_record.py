"""The anonymous reader's issue record (``GET /api/v1/issues/<id>``) in one statement (issue 19).

Under the mixed forum day the record renders again after every support of its issue (once
per staleness window at most): through the ORM that was seven queries, each built by
Django's query compiler, and django-ninja validating the dict the server had just built,
about 12 ms of application CPU a render. On PostgreSQL an anonymous reader's record is
one prepared statement here (commonground.core.prepared): the issue with its forum,
cycle and author, and as JSON arrays its topics, its visible translations, the forwards
that brought it and those that took it further. The record is built from that row with
the serializers' own rules (public names, phase labels, staleness of a translation, the
translation shown in the reader's language) and written as django-ninja writes
``IssueDetailOut`` (commonground.api.direct): the same bytes, which
tests/network/test_issue_record.py checks against the ORM path for issues with
translations (hidden, stale, shown), forwards both ways, a merge, solutions, supports and
their withdrawal.

Members (hidden translations of their own or as stewards, ``supported_by_me``) and other
databases take the ORM path in ``commonground.api.issues``. Times travel as microseconds
since the epoch, so they come back exactly as the ORM reads them.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from functools import cache
from types import SimpleNamespace
from typing import Any

from django.db import connection, connections, router

from commonground.access.phases import phase_label
from commonground.api.network_schemas import ProvenanceOut
from commonground.core import prepared
from commonground.forums.models import Cycle, Forum
from commonground.issues.models import TALLY_FIELDS, Issue, IssueTranslation, Topic, source_digest
from commonground.issues.translations import ISSUE
from commonground.network.models import Forward
from commonground.network.provenance import provenance_item
from commonground.participants.models import Membership, User
from commonground.stakeholders import GROUPS

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# The forward's columns the record's provenance reads (provenance_item), in this order.
_FORWARD_COLUMNS = (
    "source_instance", "source_forum", "source_forum_name", "source_level", "source_country",
    "source_region", "source_kind", "source_id", "source_issue_id", "publication_number",
    "agenda_rank", "balanced_support", "breadth", "supports_by_group", "forwarded_by_name",
    "origins",
)  # fmt: skip


def available(using: str) -> bool:
    """Whether the record can be read here: a PostgreSQL database."""
    return connections[using].vendor == "postgresql"


def _us(column: str) -> str:
    """A time as whole microseconds since the epoch (exact, unlike a float)."""
    return f"(extract(epoch FROM {column}) * 1000000)::bigint"


def _time(microseconds: int) -> datetime:
    return _EPOCH + timedelta(microseconds=microseconds)


@cache
def _statement() -> str:
    """The record's statement, once per process (table names from the models)."""
    q = connection.ops.quote_name
    table = {
        "issue": Issue, "forum": Forum, "cycle": Cycle, "membership": Membership,
        "user": User, "topic": Topic, "translation": IssueTranslation, "forward": Forward,
    }  # fmt: skip
    t = {name: q(model._meta.db_table) for name, model in table.items()}
    topics = q(Issue.topics.through._meta.db_table)
    tallies = ", ".join(f"i.{q(TALLY_FIELDS[g])}" for g in GROUPS)
    forward = ", ".join(f"fw.{q(c)}" for c in _FORWARD_COLUMNS)
    return f"""
SELECT i.id, f.slug, c.id, c.name, c.phase, i.title, i.description, i.description_html,
  i.language, {_us("i.raised_at")}, {_us("i.updated_at")}, u.public_id, u.display_name,
  u.name_is_public, m.stakeholder_group, m.verified, i.support_count, {tallies},
  i.merged_into_id,
  (SELECT json_agg(json_build_array(tp.slug, tp.label, tp.is_sdg)
                   ORDER BY tp.is_sdg DESC, tp.slug)
     FROM {t["topic"]} tp JOIN {topics} it ON it.topic_id = tp.id WHERE it.issue_id = i.id),
  (SELECT json_agg(json_build_array(tr.id, tr.language, tr.title, tr.description,
                   tr.description_html, tu.public_id, tu.display_name, tu.name_is_public,
                   tm.stakeholder_group, tm.verified, {_us("tr.created_at")},
                   {_us("tr.updated_at")}, tr.source_sha256) ORDER BY tr.language, tr.id)
     FROM {t["translation"]} tr JOIN {t["membership"]} tm ON tm.id = tr.author_id
     JOIN {t["user"]} tu ON tu.id = tm.user_id
    WHERE tr.issue_id = i.id AND NOT tr.hidden),
  (SELECT json_agg(json_build_array({forward}, {_us("fw.forwarded_at")})
                   ORDER BY fw.forwarded_at, fw.id)
     FROM {t["forward"]} fw WHERE fw.target_issue_id = i.id),
  (SELECT json_agg(json_build_array(tf.slug, fw.target_issue_id) ORDER BY fw.forwarded_at, fw.id)
     FROM {t["forward"]} fw JOIN {t["forum"]} tf ON tf.id = fw.target_forum_id
    WHERE fw.source_instance = '' AND fw.source_forum = f.slug
      AND fw.source_kind = '{Forward.Kind.ISSUE.value}' AND fw.source_id = i.id)
FROM {t["issue"]} i JOIN {t["forum"]} f ON f.id = i.forum_id
JOIN {t["cycle"]} c ON c.id = i.cycle_id
JOIN {t["membership"]} m ON m.id = i.author_id JOIN {t["user"]} u ON u.id = m.user_id
WHERE i.id = %s"""


def _json(value: Any) -> Any:
    """A ``json`` column as psycopg gives it (parsed), or its text parsed."""
    return json.loads(value) if isinstance(value, str) else value


def _author(
    public_id: str, display_name: str, name_is_public: bool, group: str, verified: bool
) -> dict[str, Any]:
    """``author_of``'s dict, its name by the user's own rule."""
    user = User(public_id=public_id, display_name=display_name, name_is_public=name_is_public)
    return {
        "id": public_id,
        "name": user.public_name,
        "stakeholder_group": group,
        "verified": verified,
    }


def _provenance(row: list[Any]) -> dict[str, Any]:
    """One forward as ``provenance_item`` gives it and ninja's ``ProvenanceOut`` dumps it."""
    fields = dict(zip(_FORWARD_COLUMNS, row, strict=False))
    forward = Forward(**fields, forwarded_at=_time(row[len(_FORWARD_COLUMNS)]))
    return ProvenanceOut.model_validate(provenance_item(forward)).model_dump()


def record(issue_id: int, language: str, using: str) -> dict[str, Any] | None:
    """The issue's record as an anonymous reader of ``language`` gets it, or None when there
    is no such issue."""
    row = prepared.fetch(_statement(), [issue_id], using=using)
    if row is None:
        return None
    (pk, forum, cycle_id, cycle_name, phase, title, description, description_html, issue_language,
     raised_at, updated_at, public_id, display_name, name_is_public, group, verified,
     support_count, *rest) = row  # fmt: skip
    tallies, (merged_into, topics, translations, provenance, forwarded_to) = (
        rest[: len(GROUPS)],
        rest[len(GROUPS) :],
    )
    digest = SimpleNamespace(title=title, description=description)
    own = None
    listed = []
    for tid, tlanguage, ttitle, tdescription, thtml, *author, created, updated, sha in (
        _json(translations) or []
    ):
        item = {
            "id": tid,
            ISSUE.parent: pk,
            "language": tlanguage,
            "title": ttitle,
            ISSUE.body: tdescription,
            f"{ISSUE.body}_html": thtml,
            "author": _author(*author),
            "created_at": _time(created),
            "updated_at": _time(updated),
            "hidden": False,
            "stale": bool(sha) and sha != source_digest(digest, ISSUE.body),
        }
        listed.append(item)
        if language and tlanguage == language and issue_language != language:
            own = item
    return {
        "id": pk,
        "forum": forum,
        "cycle": {
            "id": cycle_id,
            "name": cycle_name,
            "phase": phase,
            "phase_label": phase_label(phase),
        },
        "title": title,
        "description": description,
        "description_html": description_html,
        "language": issue_language,
        "topics": [
            {"slug": slug, "label": label, "is_sdg": is_sdg}
            for slug, label, is_sdg in _json(topics) or []
        ],
        "raised_at": _time(raised_at),
        "updated_at": _time(updated_at),
        "author": _author(public_id, display_name, name_is_public, group, verified),
        "support_count": support_count,
        "supports_by_group": dict(zip(GROUPS, tallies, strict=True)),
        "supported_by_me": None,
        "translation": own,
        "provenance": [_provenance(f) for f in _json(provenance) or []],
        "forwarded_to": [
            {"forum": slug, "issue_id": target} for slug, target in _json(forwarded_to) or []
        ],
        "merged_into": merged_into,
        "translations": listed,
    }


def reads_from() -> str:
    """The database an issue's reads go to for this request (a replica's, when routed)."""
    return router.db_for_read(Issue)
