"""``commonground consensus --from DIR MESSAGE_ID``: a message's suggested designation
recomputed from a data package alone (forum.csv for the thresholds, message_positions.csv
for the positions), with the same pure function the pages use (analysis.consensus)."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from commonground.analysis.consensus import ConsensusSettings, Suggestion, counts_of, suggest
from commonground.opendata.package_arrays import PackageError

THRESHOLDS = (
    "consensus_max_mean",
    "consensus_max_group",
    "strong_support_min",
    "minority_group_min",
)


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    try:
        with (folder / name).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except FileNotFoundError:
        raise PackageError(name, None, "file not found") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise PackageError(name, None, f"cannot be read: {exc}") from None


def suggestion_from_package(path: str | Path, message_id: int) -> Suggestion:
    """The suggestion for ``message_id`` from the package in ``path``."""
    folder = Path(path)
    forum = _rows(folder, "forum.csv")
    if len(forum) != 1:
        raise PackageError("forum.csv", None, "must hold one row")
    try:
        settings = ConsensusSettings(**{name: forum[0][name] for name in THRESHOLDS})
    except KeyError as exc:
        raise PackageError("forum.csv", None, f"missing column {exc.args[0]}") from None
    except (ValueError, ArithmeticError) as exc:
        raise PackageError("forum.csv", 1, f"bad threshold: {exc}") from None
    messages = _rows(folder, "messages.csv")
    if not any(row.get("id") == str(message_id) for row in messages):
        raise PackageError("messages.csv", None, f"no message {message_id}")
    pairs = []
    for number, row in enumerate(_rows(folder, "message_positions.csv"), start=1):
        if row.get("message_id") == str(message_id):
            pairs.append((row.get("stakeholder_group", ""), row.get("position", "")))
            try:
                counts_of(pairs[-1:])
            except ValueError as exc:
                raise PackageError("message_positions.csv", number, str(exc)) from None
    return suggest(counts_of(pairs), settings)


def suggestion_json(suggestion: Suggestion) -> dict[str, Any]:
    """``{"level", "minority_groups", "O", "A", "groups"}`` (and the groups left out)."""
    return suggestion.as_json()


def main_consensus_from(path: str, message_id: int, fmt: str, out: TextIO) -> int:
    """Print the suggestion; 1 with a one-line error when the package is bad."""
    try:
        suggestion = suggestion_from_package(path, message_id)
    except PackageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    data = suggestion_json(suggestion)
    if fmt == "json":
        out.write(json.dumps(data, indent=2) + "\n")
        return 0
    out.write(f"message {message_id}: suggested level {data['level']}\n")
    out.write(f"O = {data['O']}, A = {data['A']}\n")
    for group, figures in data["groups"].items():
        if figures["support"] + figures["can_live_with"] + figures["object"]:
            out.write(
                f"  {group:22} support {figures['support']:>4}  can live with "
                f"{figures['can_live_with']:>4}  object {figures['object']:>4}\n"
            )
    if data["groups_left_out"]:
        out.write(f"left out (no position): {', '.join(data['groups_left_out'])}\n")
    if data["minority_groups"]:
        out.write(f"minority view suggested for: {', '.join(data['minority_groups'])}\n")
    return 0
