"""The issue list shows, per issue, how many governments/IGOs signalled concern and from where."""

from __future__ import annotations

from django.urls import reverse

from commonground.contributions import services
from commonground.issues.models import Issue
from tests.conftest import World
from tests.contributions.conftest import signal_fields


def _list_html(world: World) -> str:
    url = reverse("issues:index", args=[world.forum.slug])
    return world.client_for(None).get(url).content.decode()


def test_issue_list_shows_signal_count_and_jurisdictions(world: World, issue: Issue) -> None:
    assert "Signalled by" not in _list_html(world)
    services.signal_concern(world.member["government"], issue, **signal_fields("government"))
    services.signal_concern(
        world.member["intergovernmental"], issue, **signal_fields("intergovernmental")
    )
    html = _list_html(world)
    assert "Signalled by 2 governments/IGOs: ITU, KE" in html


def test_issue_list_leaves_hidden_signals_out_of_the_count(world: World, issue: Issue) -> None:
    services.signal_concern(world.member["government"], issue, **signal_fields("government"))
    igo = services.signal_concern(
        world.member["intergovernmental"], issue, **signal_fields("intergovernmental")
    )
    services.moderate(world.steward, "signal", igo, hide=True, reason="Off-topic")
    html = _list_html(world)
    assert "Signalled by 1 government/IGO: KE" in html
    assert "ITU" not in html
