"""Requests sent truly together: one thread per request, all released at once by a
barrier, against a live server (the concurrency tests run them on PostgreSQL, where the
requests' transactions really overlap)."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection


@dataclass(frozen=True)
class Call:
    """One API request, authenticated by ``token`` (a JSON ``body`` if any)."""

    method: str
    url: str
    token: str
    body: bytes = b""


@dataclass(frozen=True)
class Answer:
    """What a call got: its status and body; ``status`` None (and the error in ``body``)
    when no answer came at all (a refused connection etc.: it fails the test)."""

    call: Call
    status: int | None
    body: str


def _send(call: Call, out: list[Answer], barrier: threading.Barrier) -> None:
    headers = {"Authorization": f"Bearer {call.token}"}
    if call.body:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(call.url, method=call.method, data=call.body, headers=headers)
    try:
        barrier.wait(timeout=60)
        with urllib.request.urlopen(request, timeout=120) as response:
            out.append(Answer(call, response.status, response.read().decode()))
    except urllib.error.HTTPError as error:
        out.append(Answer(call, error.code, error.read().decode(errors="replace")))
    except Exception as error:  # recorded, fails the test
        out.append(Answer(call, None, repr(error)))
    finally:
        connection.close()


def all_at_once(calls: Sequence[Call]) -> list[Answer]:
    """Send every call at once; the answers in the order they came."""
    out: list[Answer] = []
    barrier = threading.Barrier(len(calls))
    threads = [threading.Thread(target=_send, args=(call, out, barrier)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert len(out) == len(calls), "some requests never finished"
    return out
