"""Federation tests: every test signs with its own ledger key and names its own public URL;
the network's forums (tests/network/conftest.py) and a sender on another instance,
simulated by its own key and ledger (:mod:`tests.federation.sender`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.federation.instances import Instance, new_instance, served
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


@pytest.fixture(scope="session")
def igf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Instance]:
    """A global instance with the forum ``igf``, served on loopback for the whole session."""
    data = tmp_path_factory.mktemp("igf")
    instance = new_instance(data, "Global IGF")
    instance.run("forum", "create", "igf", "--name", "Global IGF", "--level", "global")
    with served(instance, data / "server.log"):
        yield instance
