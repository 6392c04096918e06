"""Deployment checks of our own, run by ``manage check --deploy`` beside Django's."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

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
