"""The public transparency pages: the ledger (latest checkpoint, how to verify it, recent
entries with their proofs, the latest audit of the public state) and a forum's open data
with the download of its package as a zip."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from commonground.access.lookup import get_forum
from commonground.core.errors import ServiceError
from commonground.core.http import refusal
from commonground.ledger.models import Checkpoint, LedgerEntry, SplitView, WitnessedLog
from commonground.ledger.services import entry_document, latest_checkpoint, ledger_size
from commonground.ledger.witness import witnesses_of
from commonground.opendata import resources
from commonground.opendata.download import package_zip
from commonground.opendata.models import AuditRun

RECENT_ENTRIES = 25


def ledger(request: HttpRequest) -> HttpResponse:
    """What anyone needs to audit the ledger: size, signed checkpoint, the command that
    verifies it, the latest entries with links to their proofs, the latest audit."""
    checkpoint = latest_checkpoint()
    signed = checkpoint.tree_size if checkpoint is not None else 0
    previous = Checkpoint.objects.filter(tree_size__lt=signed).order_by("-tree_size").first()
    rows = LedgerEntry.objects.order_by("-seq")[:RECENT_ENTRIES]
    return render(
        request,
        "opendata/ledger.html",
        {
            "checkpoint": checkpoint,
            "previous": previous,
            "checkpoints": Checkpoint.objects.count(),
            "cosignatures": witnesses_of(checkpoint) if checkpoint else [],
            "witnessed": WitnessedLog.objects.all(),
            "split_views": SplitView.objects.all()[:20],
            "size": ledger_size(),
            "entries": [{**entry_document(row), "signed": row.seq <= signed} for row in rows],
            "site_url": settings.COMMONGROUND_SITE_URL,
            "audit": AuditRun.objects.order_by("-ran_at").first(),
        },
    )


def open_data(request: HttpRequest, slug: str) -> HttpResponse:
    """What the package holds, how to download, recompute and verify it (reads only)."""
    try:
        forum = get_forum(slug)
    except ServiceError as error:
        return refusal(request, error)
    return render(
        request,
        "opendata/open_data.html",
        {
            "forum": forum,
            # The descriptions in the reader's language; the package keeps them in English.
            "tables": [(table.path, gettext(table.description)) for table in resources.TABLES],
            "checkpoint": latest_checkpoint(),
            "size": ledger_size(),
            "site_url": settings.COMMONGROUND_SITE_URL,
        },
    )


def package_download(request: HttpRequest, slug: str) -> HttpResponse | FileResponse:
    """The forum's package as a zip: the bytes ``commonground export`` writes, zipped."""
    try:
        forum = get_forum(slug)
        for attempt in range(2):
            path = package_zip(forum)
            try:
                handle = path.open("rb")
            except FileNotFoundError:  # replaced by a newer package just now: make it again
                if attempt:
                    raise
                continue
            break
    except ServiceError as error:
        return refusal(request, error)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"commonground-{forum.slug}.zip",
        content_type="application/zip",
    )
