"""What the permission-matrix tests share: the Markdown tables of docs/permissions.md
written from a matrix (one table per action, a row per role, a column per phase), and
the section of the document they must match."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from commonground.access.phases import PHASE_LABELS

DOC = Path(__file__).resolve().parents[1] / "docs" / "permissions.md"


def matrix_tables(
    actions: Mapping[str, str],
    roles: Sequence[Any],
    columns: Sequence[str],
    expected: Callable[[Any, str, str], str],
) -> str:
    """One table per action (``actions``: name to label); ``expected(role, column,
    action)`` gives a cell, each role's ``label`` its row's name."""
    labels = " | ".join(PHASE_LABELS.get(c, "cycle closed") for c in columns)
    header = f"| role | {labels} |"
    rule = "|---|" + "---|" * len(columns)
    parts = []
    for action, label in actions.items():
        parts.append(f"### {label} (`{action}`)\n\n{header}\n{rule}")
        for role in roles:
            cells = " | ".join(expected(role, c, action) for c in columns)
            parts.append(f"| {role.label} | {cells} |")
        parts.append("")
    return "\n".join(parts)


def documented(marker: str) -> str:
    """The part of docs/permissions.md between ``<!-- MARKER:start -->`` and its end."""
    text = DOC.read_text(encoding="utf-8")
    start = text.index(f"<!-- {marker}:start -->") + len(f"<!-- {marker}:start -->")
    return text[start : text.index(f"<!-- {marker}:end -->")]
