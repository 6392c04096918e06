"""The public ledger page: the latest checkpoint and the latest audit of the public state."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commonground.ledger.services import latest_checkpoint, ledger_size
from commonground.opendata.models import AuditRun


def ledger(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "opendata/ledger.html",
        {
            "checkpoint": latest_checkpoint(),
            "size": ledger_size(),
            "audit": AuditRun.objects.order_by("-ran_at").first(),
        },
    )
