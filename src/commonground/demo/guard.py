"""Whether the database may be (re)seeded with the demo: empty, or holding the demo alone.

``commonground demo`` works on the same database as every other command (the data
directory's SQLite file, or DATABASE_URL), so that after it the README's commands act on
the demo's forums. It must never wipe someone's own forum: a database holding any forum
or account the demo does not make is left alone.
"""

from __future__ import annotations

from typing import Literal

from django.db import connection

from commonground.demo import content

DEMO_DOMAIN = "@demo.example.org"

State = Literal["empty", "demo", "other"]


def database_state() -> State:
    """``empty`` (no tables or no rows), ``demo`` (only what the demo seeds) or ``other``."""
    from commonground.forums.models import Forum
    from commonground.participants.models import User

    tables = set(connection.introspection.table_names())
    if Forum._meta.db_table not in tables or User._meta.db_table not in tables:
        return "empty"
    if not Forum.objects.exists() and not User.objects.exists():
        return "empty"
    demo_slugs = [spec["slug"] for spec in content.FORUMS]
    other_forum = Forum.objects.exclude(slug__in=demo_slugs).exists()
    other_user = User.objects.exclude(email__endswith=DEMO_DOMAIN).exists()
    return "other" if other_forum or other_user else "demo"
