"""Collecting the static files for ``serve`` and ``demo``: hashed names, compressed copies.

``collect_static`` runs Django's ``collectstatic`` into ``STATIC_ROOT`` when the manifest
there is missing or older than one of the source files (a fresh clone, an upgrade, an
edited stylesheet), and does nothing otherwise, so a server starts quickly the second
time. WhiteNoise's storage writes each file under a name carrying a hash of its content
with gzip and Brotli copies beside it; WhiteNoise serves the copy the browser accepts and
marks hashed names cacheable for ten years (they change whenever the content does).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import brotli
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

MANIFEST = "staticfiles.json"
# Brotli's best level costs about 8 s per megabyte on a busy machine: worth it for the
# site's own small files, not for the interactive API docs' bundles (level 9 is 15 times
# faster there and 9 % larger).
BEST_BROTLI_UP_TO = 256 * 1024
# Source maps are for developers' tools and never sent to a participant's browser.
SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")


class _Compressor(Compressor):
    @staticmethod
    def compress_brotli(data: bytes) -> bytes:
        quality = 11 if len(data) <= BEST_BROTLI_UP_TO else 9
        compressed: bytes = brotli.compress(data, quality=quality)
        return compressed


class StaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed and compressed storage, with the compression levels above."""

    def create_compressor(self, **kwargs: Any) -> Compressor:
        kwargs["extensions"] = kwargs.get("extensions") or SKIP_COMPRESS_EXTENSIONS
        return _Compressor(**kwargs)


def _newest_source() -> float:
    from django.contrib.staticfiles.finders import get_finders

    newest = 0.0
    for finder in get_finders():
        for path, storage in finder.list(None):
            newest = max(newest, os.stat(storage.path(path)).st_mtime)
    return newest


def static_is_current() -> bool:
    """Whether STATIC_ROOT holds a manifest at least as new as every source file."""
    from django.conf import settings

    manifest = Path(settings.STATIC_ROOT) / MANIFEST
    return manifest.exists() and manifest.stat().st_mtime >= _newest_source()


def collect_static() -> bool:
    """Collect (and compress) the static files if they changed; whether it did."""
    from django.conf import settings
    from django.core.management import call_command

    if not settings.STATIC_COLLECTED or static_is_current():
        return False
    # The manifest is written last: a server started meanwhile sees the old one or none.
    with tempfile.TemporaryFile("w+") as quiet:
        call_command("collectstatic", interactive=False, verbosity=0, stdout=quiet)
    return True
