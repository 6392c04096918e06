"""The fields of every core ledger action stay as they were recorded.

The ledger is the permanent public contract: an entry written today must carry the same
fields as one written before a refactoring. ``action_walk.walk`` writes an entry of every
core action from fixed inputs through the public services; the entries, without times
and with ids normalized, must equal ``action_entries.json``, recorded from main before
the ledger calls were rewritten. Entries of actions not in the file (apps that record
their own) are left out of the comparison, and every action in the file must be written.

To record the file again after a deliberate change of an entry:
``COMMONGROUND_RECORD_LEDGER_FIXTURE=1 uv run pytest tests/ledger/test_action_fields.py``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.conftest import World
from tests.ledger.action_walk import normalized_entries, walk

FIXTURE = Path(__file__).with_name("action_entries.json")


def test_every_core_action_writes_the_fields_recorded_before_the_change(
    world: World, tmp_path: Path
) -> None:
    walk(world, tmp_path)
    entries = normalized_entries(world)
    if os.environ.get("COMMONGROUND_RECORD_LEDGER_FIXTURE") == "1":
        FIXTURE.write_text(json.dumps(entries, indent=1, ensure_ascii=False) + "\n")
    recorded = json.loads(FIXTURE.read_text())
    actions = {entry["action"] for entry in recorded}
    assert len(actions) >= 36
    written = [entry for entry in entries if entry["action"] in actions]
    assert {entry["action"] for entry in written} == actions
    for number, (now, then) in enumerate(zip(written, recorded, strict=True)):
        assert now == then, f"entry {number} ({then['action']}) differs from the record"
