"""``commonground backup`` and ``restore`` (the commands live in ``commonground.operations``)."""

from __future__ import annotations

from typing import Any

from commonground.cli.base import add_command


def register(sub: Any) -> None:
    """Add ``backup`` and ``restore`` to the command's sub-parsers."""
    from commonground import operations

    bk = add_command(
        sub, "backup", operations.cmd_backup, "write a consistent copy of the database to FILE"
    )
    bk.add_argument("file", metavar="FILE")
    rs = add_command(
        sub, "restore", operations.cmd_restore, "replace the database with a backup FILE"
    )
    rs.add_argument("file", metavar="FILE")
    rs.add_argument("--force", action="store_true", help="replace a database that holds data")
