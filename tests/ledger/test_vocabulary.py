"""The ledger's vocabulary: every entry is made by its action's builder and fits it.

Each action's field set comes from its builder's declaration in the registry
(``commonground.ledger.vocabulary``). The demo writes tens of thousands of entries by
bulk import; every one of them must name its action's object type and carry exactly
its fields (or, for an action that records changes, some of them).
"""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path

import pytest

from commonground.ledger import vocabulary
from commonground.ledger.services import Event
from commonground.ledger.vocabulary import VocabularyError, builds, event, registry
from commonground.ledger.vocabulary_doc import render

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "commonground"

# Apps whose ledger calls still name their actions by string; each is to move to a
# builder in its own events.py (docs/architecture.md, "How to add a ledger action").
NOT_YET_IN_VOCABULARY: tuple[str, ...] = ()

# A ledger event made from a string literal instead of a builder.
_STRING_ACTION = re.compile(r"""\bEvent\(\s*["']""")


def test_a_builder_refuses_an_event_that_does_not_fit_its_declaration() -> None:
    class Probe(StrEnum):
        ONLY = "probe.only_in_this_test"

    @builds(Probe.ONLY, object_type="probe", fields=("a",))
    def probe(fields: dict[str, int]) -> Event:
        """A probe."""
        return event(Probe.ONLY, "probe", 1, fields=fields)

    try:
        assert probe({"a": 1}).fields == {"a": 1}
        with pytest.raises(VocabularyError):
            probe({"a": 1, "b": 2})
        with pytest.raises(VocabularyError):
            probe({})
    finally:
        vocabulary._REGISTRY.pop(Probe.ONLY.value, None)


def test_no_ledger_call_outside_the_builders_names_its_action_by_a_string() -> None:
    offenders = []
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE).as_posix()
        if path.name == "events.py" or relative.startswith(NOT_YET_IN_VOCABULARY):
            continue
        if _STRING_ACTION.search(path.read_text(encoding="utf-8")):
            offenders.append(relative)
    assert offenders == []


def test_every_action_has_its_app_and_a_summary() -> None:
    specs = registry()
    assert len(specs) >= 37
    for name, spec in specs.items():
        assert re.fullmatch(r"[a-z_]+\.[a-z_]+", name), name
        assert spec.summary, f"{name}'s builder has no docstring"


def test_the_committed_actions_document_is_the_generated_one() -> None:
    committed = (ROOT / "docs" / "ledger-actions.md").read_text(encoding="utf-8")
    assert committed == render(), (
        "docs/ledger-actions.md is out of date: run "
        "uv run python -m commonground.ledger.vocabulary_doc --write docs/ledger-actions.md"
    )
