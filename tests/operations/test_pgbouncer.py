"""Through a real PgBouncer in transaction mode (docs/deployment.md, "Pooler").

With ``COMMONGROUND_PGBOUNCER=true`` no cursor outlives its transaction, so the reads that
stream (``.iterator()``: the ledger's verification, its export, the audit's fold) work
when each transaction may land on another server connection. Skips with a reason when
pgbouncer is not installed, never under CI=true when it is.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection, transaction

from commonground.core.children import stop_children
from commonground.ledger.models import LedgerEntry
from commonground.ledger.services import Event, append_many

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PgBouncer pools PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

CONFIG = """[databases]
* = host={host} port={port}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {listen}
unix_socket_dir = {root}
auth_type = trust
auth_file = {root}/users.txt
pool_mode = transaction
default_pool_size = 2
max_client_conn = 50
ignore_startup_parameters = extra_float_digits,options
logfile = {root}/pgbouncer.log
"""


def _port() -> int:
    low, _, high = os.environ.get("COMMONGROUND_TEST_PORTS", "8690-8699").partition("-")
    return int(high or low) - 3


def _wait(port: int) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError("pgbouncer did not start")


def test_the_ledger_streams_verifies_and_audits_through_pgbouncer_in_transaction_mode(
    settings: object,
) -> None:
    binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    if not Path(binary).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("pgbouncer is not installed (apt-get install pgbouncer)")
        pytest.skip(reason="needs pgbouncer (apt-get install pgbouncer)")
    with transaction.atomic():
        append_many(Event("test.note", "note", n, fields={"n": n}) for n in range(30))
    db = connection.settings_dict
    root = Path(tempfile.mkdtemp(prefix="cg-pgbouncer-"))
    listen = _port()
    (root / "users.txt").write_text(f'"{db["USER"]}" ""\n')
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    (root / "pgbouncer.ini").write_text(
        CONFIG.format(host=host, port=port, listen=listen, root=root)
    )
    command = [binary, str(root / "pgbouncer.ini")]
    if os.geteuid() == 0:  # pgbouncer refuses to run as root
        shutil.chown(root, "postgres")
        for name in ("users.txt", "pgbouncer.ini"):
            shutil.chown(root / name, "postgres")
        command = ["runuser", "-u", "postgres", "--", *command]
    bouncer = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(listen)
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@127.0.0.1:{listen}/{db['NAME']}",
            "COMMONGROUND_PGBOUNCER": "true",
            "COMMONGROUND_LEDGER_SEQUENCING": "batched",
        }
        cli = [sys.executable, "-m", "commonground.cli"]
        for args in (["ledger", "verify"], ["ledger", "audit"], ["ledger", "checkpoint"]):
            done = subprocess.run(
                [*cli, *args], env=env, capture_output=True, text=True, timeout=120
            )
            assert done.returncode == 0, done.stdout + done.stderr
        exported = subprocess.run(
            [*cli, "ledger", "export-entries", "-"], env=env, capture_output=True, timeout=120
        )
        assert exported.returncode == 0
        assert len(exported.stdout.splitlines()) == LedgerEntry.objects.count() == 30
    finally:
        stop_children([bouncer])
        shutil.rmtree(root, ignore_errors=True)
