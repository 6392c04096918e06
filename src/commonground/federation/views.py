"""The federation's public page: ``/.well-known/commonground`` (docs/federation.md)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from commonground.federation.identity import well_known_document


@require_safe
def well_known(request: HttpRequest) -> JsonResponse:
    """This instance's URL, name, key and forums, for peers to pin (JSON)."""
    response = JsonResponse(well_known_document())
    response["Access-Control-Allow-Origin"] = "*"
    return response
