"""The bench-only URLconf of ``bench/load.py``: the site plus two baselines.

Served only when ``COMMONGROUND_BENCH_URLCONF=bench.load_urls`` names it, which the
settings refuse in production: these routes never exist on a real site.

* ``GET /bench/minimal``: a minimal Django view (no database), the floor of a request;
* ``POST /bench/floor-write``: one indexed read and one insert in a transaction, the
  floor of a write through Django on PostgreSQL (into ``bench_floor_write``, a table
  ``bench/load.py`` creates in its scratch database).
"""

from __future__ import annotations

import random

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

FLOOR_TABLE = "bench_floor_write"


def minimal(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"ok": True})


@csrf_exempt
def floor_write(request: HttpRequest) -> HttpResponse:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, forum_id FROM participants_membership WHERE id >= %s ORDER BY id LIMIT 1",
            [random.randint(1, 5000)],
        )
        row = cursor.fetchone() or (0, 0)
        cursor.execute(
            f"INSERT INTO {FLOOR_TABLE} (membership_id, forum_id, created_at) "
            "VALUES (%s, %s, now())",
            [row[0], row[1]],
        )
    return JsonResponse({"ok": True}, status=201)


urlpatterns = [
    path("bench/minimal", minimal),
    path("bench/floor-write", floor_write),
    path("", include("commonground.urls")),
]
