"""The ledger's history can only grow (docs/ledger.md, "What the database refuses").

Both databases: the head (``ledger_ledgerhead``) cannot be deleted nor lowered, so the
next append can never reuse a sequence number.

SQLite: ledger entries and checkpoints cannot be deleted either, except inside
``commonground.ledger.guard.resetting()`` (a whole-database reset such as the test
suite's flush); see that module.

PostgreSQL: TRUNCATE of the ledger tables is refused to every role but their owner. The
application should not connect as the owner (docs/deployment.md); then it can neither
truncate, delete, update nor disable these triggers.
"""

from django.db import migrations

LEDGER_TABLES = ["ledger_ledgerentry", "ledger_checkpoint"]
HEAD = "ledger_ledgerhead"

PG_HEAD_FUNCTION = """
CREATE OR REPLACE FUNCTION commonground_ledger_head_forward() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.id <> OLD.id OR NEW.size < OLD.size THEN
        RAISE EXCEPTION 'ledger is append-only: the head only moves forward'
            USING ERRCODE = 'raise_exception';
    END IF;
    RETURN NEW;
END;
$$;
"""

PG_TRUNCATE_FUNCTION = """
CREATE OR REPLACE FUNCTION commonground_ledger_no_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    owner name;
BEGIN
    SELECT pg_get_userbyid(c.relowner) INTO owner FROM pg_class c WHERE c.oid = TG_RELID;
    IF pg_has_role(current_user, owner, 'USAGE') THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'ledger is append-only: TRUNCATE on % is not allowed', TG_TABLE_NAME
        USING ERRCODE = 'raise_exception';
END;
$$;
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_HEAD_FUNCTION, params=None)
        schema_editor.execute(PG_TRUNCATE_FUNCTION, params=None)
        schema_editor.execute(
            f"CREATE TRIGGER {HEAD}_forward BEFORE UPDATE OR DELETE ON {HEAD} "
            "FOR EACH ROW EXECUTE FUNCTION commonground_ledger_head_forward();"
        )
        for table in [*LEDGER_TABLES, HEAD]:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION commonground_ledger_no_truncate();"
            )
    elif vendor == "sqlite":
        for table in [*LEDGER_TABLES, HEAD]:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                "WHEN NOT commonground_ledger_reset() "
                "BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;"
            )
        schema_editor.execute(
            f"CREATE TRIGGER {HEAD}_forward BEFORE UPDATE ON {HEAD} "
            "WHEN NEW.size < OLD.size OR NEW.id <> OLD.id "
            "BEGIN SELECT RAISE(ABORT, 'ledger is append-only: the head only moves forward'); "
            "END;"
        )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in [*LEDGER_TABLES, HEAD]:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {HEAD}_forward ON {HEAD};")
        schema_editor.execute("DROP FUNCTION IF EXISTS commonground_ledger_no_truncate();")
        schema_editor.execute("DROP FUNCTION IF EXISTS commonground_ledger_head_forward();")
    elif vendor == "sqlite":
        for table in [*LEDGER_TABLES, HEAD]:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete;")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {HEAD}_forward;")


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0003_append_only_triggers"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
