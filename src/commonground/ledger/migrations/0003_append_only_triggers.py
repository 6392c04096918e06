"""The database refuses to change ledger rows once written.

PostgreSQL: a row trigger rejects UPDATE and DELETE on ledger entries and checkpoints.
TRUNCATE (used by test teardown) is not a row operation and is not affected.

SQLite: a trigger rejects UPDATE only. Django's flush (used between transactional
tests) empties tables with DELETE, so a DELETE trigger would break it; deleting rows
is still caught by the ledger head and the signed checkpoints (``ledger verify``).
"""

from django.db import migrations

TABLES = ["ledger_ledgerentry", "ledger_checkpoint"]

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION commonground_ledger_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'raise_exception';
END;
$$;
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION, params=None)  # "%" belongs to plpgsql here, not to the driver
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION commonground_ledger_append_only();"
            )
    elif vendor == "sqlite":
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;"
            )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
        schema_editor.execute("DROP FUNCTION IF EXISTS commonground_ledger_append_only();")
    elif vendor == "sqlite":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update;")


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0002_checkpoint"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
