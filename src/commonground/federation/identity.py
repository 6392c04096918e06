"""This instance's identity (docs/federation.md, "Identity"): its public base URL, its one
Ed25519 key (the ledger's checkpoint key) and the document it publishes at
``/.well-known/commonground``."""

from __future__ import annotations

import base64
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from django.conf import settings

from commonground.federation.signing import key_id_of
from commonground.forums.models import Forum
from commonground.ledger.merkle import public_key_bytes
from commonground.ledger.services import signing_key

#: Where the document is published, below the base URL.
WELL_KNOWN_PATH = "/.well-known/commonground"


def public_url() -> str:
    """This instance's public base URL (``COMMONGROUND_PUBLIC_URL``), no trailing slash."""
    return str(settings.COMMONGROUND_PUBLIC_URL).rstrip("/")


def public_key() -> bytes:
    """The raw 32 bytes of this instance's Ed25519 public key (the checkpoint key)."""
    return public_key_bytes(signing_key())


def key_id() -> str:
    """This instance's key id: the lowercase hex SHA-256 of its raw public key, as a
    witness's key is named in co-signatures (docs/ledger.md) and a delivery's signing key
    in RFC 9421's ``keyid`` (docs/federation.md)."""
    return key_id_of(public_key())


def software_version() -> str:
    try:
        return version("commonground")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"


def forum_url(forum: Forum) -> str:
    """The public URL of a local forum's page, as other instances name it."""
    return public_url() + forum.get_absolute_url()


def well_known_document() -> dict[str, Any]:
    """The document other instances fetch to peer with this one."""
    raw = public_key()
    forums = Forum.objects.order_by("slug").only("slug", "name", "level")
    return {
        "url": public_url(),
        "name": str(settings.COMMONGROUND_SITE_NAME),
        "key_id": key_id_of(raw),
        "public_key": base64.b64encode(raw).decode("ascii"),
        "software_version": software_version(),
        "forums": [
            {"slug": f.slug, "name": f.name, "level": f.level, "url": forum_url(f)} for f in forums
        ],
    }
