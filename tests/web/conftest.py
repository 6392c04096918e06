"""Fixtures of the web pages' tests."""

from __future__ import annotations

from datetime import datetime, tzinfo

import pytest
from django.contrib.humanize.templatetags import humanize


@pytest.fixture
def still_humanize_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages say how long ago an issue was raised ("raised now", "a second ago"): tests that
    compare two renders of a page (the read cache's, the hand-written reads') would differ
    when a second passes between them on a busy machine. Humanize's clock stands still at
    its first reading for the test."""
    readings: dict[tzinfo | None, datetime] = {}

    class StillClock(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> StillClock:
            first = readings.setdefault(tz, datetime.now(tz))
            return cls.fromtimestamp(first.timestamp(), tz)

    monkeypatch.setattr(humanize, "datetime", StillClock)
