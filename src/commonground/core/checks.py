"""Deployment checks of our own, run by ``manage check --deploy`` beside Django's."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.http.request import validate_host

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}
PER_HOST_CACHES = {"django.core.cache.backends.filebased.FileBasedCache"}


@register(Tags.caches, Tags.security, deploy=True)
def shared_cache(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The default cache holds the login and reset limits: it must be shared by all processes.

    With a per-process cache every gunicorn worker counts failed logins on its own, so the
    limits multiply with the number of workers (docs/security.md).
    """
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PER_PROCESS_CACHES:
        return [
            Error(
                f"The default cache ({backend.rsplit('.', 1)[-1]}) is per process, so the login "
                "and password-reset rate limits do not hold across server processes.",
                hint="Unset COMMONGROUND_CACHE_URL (the database cache) or set it to redis://...",
                id="commonground.E001",
            )
        ]
    if backend in PER_HOST_CACHES:
        return [
            Warning(
                "The default cache is a file-based cache: shared by the processes of one "
                "machine only, not by several app servers.",
                hint="Use the database cache (the default) or Redis.",
                id="commonground.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def public_url(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Other instances reach this one at ``COMMONGROUND_PUBLIC_URL`` (docs/federation.md).

    It names the instance in its well-known document and in every delivery it signs, so
    it must be served over HTTPS and be one of the hosts Django answers.
    """
    url = str(getattr(settings, "COMMONGROUND_PUBLIC_URL", "") or "")
    parts = urlsplit(url)
    problems: list[CheckMessage] = []
    if parts.scheme != "https":
        problems.append(
            Warning(
                f"COMMONGROUND_PUBLIC_URL ({url}) is not an https:// URL: peers would fetch "
                "this instance's key and send deliveries over plain HTTP.",
                hint="Set COMMONGROUND_PUBLIC_URL=https://your.host",
                id="commonground.W002",
            )
        )
    host = parts.hostname or ""
    if not validate_host(host, settings.ALLOWED_HOSTS):
        problems.append(
            Error(
                f"The host of COMMONGROUND_PUBLIC_URL ({host}) is not in "
                "COMMONGROUND_ALLOWED_HOSTS, so this instance would refuse its own public URL.",
                hint="Add it to COMMONGROUND_ALLOWED_HOSTS or correct COMMONGROUND_PUBLIC_URL.",
                id="commonground.E002",
            )
        )
    return problems
