"""Reading another instance's public JSON (its well-known document, its public API)."""

from __future__ import annotations

import contextlib
import json
import urllib.error
import urllib.request
from typing import Any

from django.utils.translation import gettext as _

from commonground.core.errors import Conflict

#: Seconds to wait for another instance before giving up.
TIMEOUT_S = 30
#: The most bytes read from another instance's answer.
MAX_BYTES = 4 * 1024 * 1024


def get_json(url: str) -> Any:
    """GET ``url`` and parse its JSON; Conflict (409) with a one-line reason on any failure.

    The peer's state, not the request, is what is wrong when it is down or answers badly,
    so the refusal is a 409 on the API and ``error: ...`` (exit 2) on the command line.
    """
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        detail = ""
        with contextlib.suppress(ValueError, AttributeError, TypeError):
            detail = str(json.load(exc).get("detail", ""))
        raise Conflict(
            _("%(url)s answered HTTP %(code)s %(detail)s")
            % {"url": url, "code": exc.code, "detail": detail or exc.reason}
        ) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise Conflict(
            _("%(url)s could not be read: %(reason)s") % {"url": url, "reason": reason}
        ) from None
    if len(body) > MAX_BYTES:
        raise Conflict(_("%(url)s answered more than 4 MB") % {"url": url})
    try:
        return json.loads(body)
    except ValueError:
        raise Conflict(_("%(url)s did not answer JSON") % {"url": url}) from None
