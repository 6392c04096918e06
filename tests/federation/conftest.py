"""Federation tests: every test signs with its own ledger key and names its own public URL;
the network's forums (tests/network/conftest.py) and a sender on another instance,
simulated by its own key and ledger (:mod:`tests.federation.sender`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.network.conftest import network

__all__ = ["network"]


@pytest.fixture(autouse=True)
def own_identity(settings: Any, tmp_path: Path) -> Path:
    """This instance's key file under tmp_path and a public URL of its own."""
    path = tmp_path / "ledger_ed25519.pem"
    settings.COMMONGROUND_LEDGER_KEY = None
    settings.COMMONGROUND_LEDGER_KEY_FILE = path
    settings.COMMONGROUND_PUBLIC_URL = "https://national.example.org"
    settings.COMMONGROUND_SITE_NAME = "Kenya IGF"
    return path
