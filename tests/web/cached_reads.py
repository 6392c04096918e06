"""What the read-cache tests share: the reads the cache serves, and a page compared
without its CSRF tokens (each reader gets their own)."""

from __future__ import annotations

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonground.issues.models import Issue
from tests.conftest import World


def cached_reads(world: World, issue: Issue) -> dict[str, str]:
    """The six reads of the mixed forum day the read cache serves, by name."""
    slug = world.forum.slug
    return {
        "issue page": reverse("issues:detail", args=[issue.pk]),
        "issue API": f"/api/v1/issues/{issue.pk}",
        "agenda page": reverse("recognition:agenda", args=[slug]),
        "agenda API": f"/api/v1/forums/{slug}/agenda",
        "issue list": reverse("issues:index", args=[slug]),
        "issue list API": f"/api/v1/forums/{slug}/issues",
    }


def without_csrf(content: bytes) -> bytes:
    """A page's bytes with its CSRF tokens blanked."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="\w+"', b"", content)


def read_with_sql(client: Client, url: str) -> tuple[bytes, str]:
    """The page (200) and the SQL its read ran, one statement a line: a test tells from
    it which parts were rendered and which were taken from memory."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content, "\n".join(q["sql"] for q in queries)
