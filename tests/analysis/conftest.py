"""The analysis tests touch no database: the engines are NumPy code that imports no Django.

CI runs the suite once on SQLite and once on PostgreSQL, at the same time. These tests give
the same answer on both, and the opinion-map replays over the Polis datasets are the slowest
in the suite, so the PostgreSQL leg sets COMMONGROUND_SKIP_DATABASE_INDEPENDENT=1 and leaves
them to the SQLite leg. A plain ``uv run pytest`` always runs them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("COMMONGROUND_SKIP_DATABASE_INDEPENDENT") != "1":
        return
    skip = pytest.mark.skip(reason="database-independent; run in CI's SQLite leg")
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(skip)
