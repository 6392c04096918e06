"""PostgreSQL only: drop the pattern-matching (``varchar_pattern_ops``) index Django made
beside the ledger's index on ``forum`` (issue 19).

Every entry the sequencer integrates wrote both indexes; the pattern index serves only
``LIKE 'prefix%'`` on the forum's slug, which nothing runs (the audit and the admin match
slugs exactly, through the plain index, which stays). Done in SQL rather than by changing
the field: on SQLite an altered field rebuilds the table, and the rebuild would drop the
append-only triggers of 0003 and 0004. SQLite has no such index and is left as it is; the
models' state does not change.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

TABLE = "ledger_ledgerentry"


def _name(schema_editor: Any) -> str:
    # The name Django gave it (the field's index, suffix ``_like``), computed the same way.
    return str(schema_editor._create_index_name(TABLE, ["forum"], suffix="_like"))


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(_name(schema_editor))}")


def restore(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    name, table = schema_editor.quote_name(_name(schema_editor)), schema_editor.quote_name(TABLE)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {name} ON {table} (forum varchar_pattern_ops)"
    )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0006_pending_entries")]

    operations = [migrations.RunPython(drop, restore)]
