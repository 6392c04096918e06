"""A follow's membership has no index of its own (issue 19): the unique constraint
``one_follow_per_issue`` (membership, issue) begins with it and serves every look-up by
member, so the second index was only one more write per support.

Dropped on PostgreSQL only, by the index's column (its name comes from the table's former
name). SQLite keeps it: changing the field there rebuilds the table, for an index that
costs a file-backed test database nothing. The models' state says ``db_index=False``.
"""

from __future__ import annotations

from typing import Any

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Index


def _single_member_indexes(apps: Any, schema_editor: Any) -> list[str]:
    follow = apps.get_model("notifications", "Follow")
    names = schema_editor._constraint_names(
        follow, ["membership_id"], index=True, unique=False, type_=Index.suffix
    )
    return [str(name) for name in names]


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in _single_member_indexes(apps, schema_editor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def restore(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql" or _single_member_indexes(
        apps, schema_editor
    ):
        return
    follow = apps.get_model("notifications", "Follow")
    table = follow._meta.db_table
    name = schema_editor._create_index_name(table, ["membership_id"])
    schema_editor.execute(
        f"CREATE INDEX {schema_editor.quote_name(name)} "
        f"ON {schema_editor.quote_name(table)} (membership_id)"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_own_table_names"),
        ("participants", "0003_user_language"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="follow",
                    name="membership",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="participants.membership",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop, restore)],
        )
    ]
