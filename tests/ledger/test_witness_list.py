"""``commonground witness list`` says what it witnesses, and says so when it is nothing."""

from __future__ import annotations

import pytest

from commonground.cli import main as cli
from commonground.ledger.models import WitnessedLog

pytestmark = pytest.mark.django_db


def test_witness_list_says_when_this_instance_witnesses_nothing(capsys) -> None:
    assert cli(["witness", "list"]) == 0
    assert "witnesses no other instance" in capsys.readouterr().out


def test_witness_list_says_a_log_not_yet_checked_is_not_checked_yet(capsys) -> None:
    WitnessedLog.objects.create(url="https://a.example.org", public_key="x" * 44)
    WitnessedLog.objects.create(url="https://b.example.org", public_key="y" * 44,
                                tree_size=8, status="co-signed the checkpoint at 8")  # fmt: skip
    assert cli(["witness", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "https://a.example.org  size 0  not checked yet (commonground witness run)",
        "https://b.example.org  size 8  co-signed the checkpoint at 8",
    ]
