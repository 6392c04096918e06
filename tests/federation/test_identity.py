"""Identity (issue 16.1): the well-known document names this instance's public URL, its
ledger checkpoint key and its forums; production requires the public URL."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from commonground.cli.server import _site_url_default
from commonground.ledger.merkle import public_key_bytes
from commonground.ledger.services import signing_key
from tests.conftest import World
from tests.test_production_settings import _manage

pytestmark = pytest.mark.django_db

SECRETS = {
    "COMMONGROUND_SECRET_KEY": "a-long-random-secret-" + "x9Q#" * 15,
    "COMMONGROUND_ALLOWED_HOSTS": "forum.example.org",
}


def test_well_known_document_names_url_key_and_forums_exactly(
    world: World, anonymous: Client, settings: Any
) -> None:
    settings.COMMONGROUND_PUBLIC_URL = "https://national.example.org/"  # a slash is dropped
    answer = anonymous.get("/.well-known/commonground")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/json"
    doc = answer.json()
    assert list(doc) == ["url", "name", "key_id", "public_key", "software_version", "forums"]
    assert doc["url"] == "https://national.example.org"
    assert doc["name"] == "Kenya IGF"
    raw = base64.b64decode(doc["public_key"], validate=True)
    assert raw == public_key_bytes(signing_key()) and len(raw) == 32
    assert doc["key_id"] == hashlib.sha256(raw).hexdigest()
    assert doc["software_version"] == "0.1.0"
    listed = {f["slug"]: f for f in doc["forums"]}
    assert listed[world.forum.slug] == {
        "slug": world.forum.slug,
        "name": world.forum.name,
        "level": world.forum.level,
        "url": f"https://national.example.org/forums/{world.forum.slug}/",
    }
    assert all(set(f) == {"slug", "name", "level", "url"} for f in doc["forums"])


def test_well_known_document_is_read_only(world: World, anonymous: Client) -> None:
    assert anonymous.post("/.well-known/commonground").status_code == 405


def test_serve_and_demo_default_the_public_url_to_loopback_and_the_port(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("COMMONGROUND_PUBLIC_URL", "COMMONGROUND_SITE_URL", "COMMONGROUND_ENV"):
        monkeypatch.delenv(name, raising=False)
    _site_url_default("0.0.0.0", 8123)
    assert os.environ["COMMONGROUND_PUBLIC_URL"] == "http://127.0.0.1:8123"
    monkeypatch.setenv("COMMONGROUND_PUBLIC_URL", "https://igf.example.org")
    _site_url_default("127.0.0.1", 8124)  # an operator's setting stands
    assert os.environ["COMMONGROUND_PUBLIC_URL"] == "https://igf.example.org"


def test_production_refuses_to_start_without_a_public_url(tmp_path: Path) -> None:
    result = _manage(tmp_path, "check", **SECRETS)
    assert result.returncode != 0
    assert "COMMONGROUND_PUBLIC_URL is required in production" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_refuses_a_public_url_that_is_not_a_base_url(tmp_path: Path) -> None:
    result = _manage(tmp_path, "check", COMMONGROUND_PUBLIC_URL="forum.example.org?x=1", **SECRETS)
    assert result.returncode != 0 and "must be an http(s) base URL" in result.stderr


def test_deployment_check_warns_on_a_plain_http_public_url(tmp_path: Path) -> None:
    url = "http://forum.example.org"
    result = _manage(tmp_path, "check", "--deploy", COMMONGROUND_PUBLIC_URL=url, **SECRETS)
    assert "commonground.W002" in result.stderr and "not an https:// URL" in result.stderr


def test_deployment_check_fails_on_a_public_url_outside_the_allowed_hosts(
    tmp_path: Path,
) -> None:
    url = "https://other.example.org"
    result = _manage(tmp_path, "check", "--deploy", COMMONGROUND_PUBLIC_URL=url, **SECRETS)
    assert result.returncode != 0 and "commonground.E002" in result.stderr
