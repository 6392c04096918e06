"""Forum settings: one service, one API route and one page, built from one list."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from commonground.cli import main as cli
from commonground.contributions.services import settings_of
from commonground.core.errors import InvalidInput, NotAllowed
from commonground.forums.forum_settings import SETTINGS, current, update_settings
from commonground.forums.models import Forum
from commonground.ledger.models import LedgerEntry
from tests.api.conftest import bearer, send
from tests.conftest import World

URL = "/forums/kenya-igf/settings"


def now(world: World) -> dict[str, Any]:
    """The forum's settings as stored now."""
    return current(Forum.objects.get(pk=world.forum.pk))


def _form(forum: Forum, **changes: Any) -> dict[str, Any]:
    """The settings page's form as the browser posts it, with some fields changed."""
    data = {k: v for k, v in current(forum).items() if v is not False}
    data.update(changes)
    return {k: ("on" if v is True else v) for k, v in data.items() if v is not False}


def test_steward_changes_settings_of_both_holders_in_one_ledger_entry(world: World) -> None:
    update_settings(
        world.steward,
        world.forum,
        {"min_share": 0.1, "report_threshold": 7, "min_groups": 3, "description": "Kenya."},
    )
    world.forum.refresh_from_db()
    assert world.forum.min_share == 0.1 and world.forum.description == "Kenya."
    assert settings_of(world.forum).report_threshold == 7
    entry = LedgerEntry.objects.get(action="forum.settings")
    # min_groups kept its value: not recorded; decimals as text, free text by digest
    assert set(entry.fields) == {"description_sha256", "min_share", "report_threshold"}
    assert entry.fields["min_share"] == "0.1" and entry.actor == world.steward.public_id


def test_an_unchanged_value_appends_nothing(world: World) -> None:
    before = LedgerEntry.objects.count()
    update_settings(world.steward, world.forum, {"min_groups": world.forum.min_groups})
    assert LedgerEntry.objects.count() == before


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"min_groups": 7}, "min_groups"),
        ({"min_groups": 0}, "min_groups"),
        ({"min_groups": 3.0}, "min_groups"),
        ({"min_share": 1.01}, "min_share"),
        ({"min_share": True}, "min_share"),
        ({"report_threshold": 1001}, "report_threshold"),
        ({"verified_required_for_signals_and_advice": "yes"}, "verified_required"),
        ({"name": "  "}, "name"),
        ({"description": "x" * 4001}, "description"),
        ({"colour": "blue"}, "colour"),
        ({"agenda_slots": 5, "min_supporters": 0}, "min_supporters"),
    ],
)
def test_a_bad_value_is_refused_naming_it_and_changes_nothing(
    world: World, changes: dict[str, Any], named: str
) -> None:
    before = (now(world), LedgerEntry.objects.count())
    with pytest.raises(InvalidInput, match=f"^{named}"):
        update_settings(world.steward, world.forum, changes)
    assert (now(world), LedgerEntry.objects.count()) == before


def test_bounds_are_inclusive(world: World) -> None:
    update_settings(world.steward, world.forum, {"min_groups": 6, "min_share": 0.0})
    update_settings(world.steward, world.forum, {"min_groups": 1, "min_share": 1.0})
    assert (now(world)["min_groups"], now(world)["min_share"]) == (1, 1.0)


def test_only_a_steward_changes_settings(world: World) -> None:
    with pytest.raises(NotAllowed):
        update_settings(world.member["government"], world.forum, {"min_groups": 1})
    assert now(world)["min_groups"] == 3


# -- API


def test_anyone_reads_every_setting(world: World, client) -> None:
    response = send(client, "GET", URL)
    assert response.status_code == 200
    assert set(response.json()) == {s.name for s in SETTINGS}
    assert response.json()["report_threshold"] == 3


def test_steward_patches_only_the_settings_sent(world: World, client) -> None:
    body = {"agenda_slots": 12, "verified_required_for_signals_and_advice": True}
    response = send(client, "PATCH", URL, body, headers=bearer(world.steward))
    assert response.status_code == 200
    assert response.json()["agenda_slots"] == 12
    assert response.json()["verified_required_for_signals_and_advice"] is True
    assert response.json()["min_groups"] == 3


def test_patch_with_a_bad_field_is_400_naming_it(world: World, client) -> None:
    response = send(client, "PATCH", URL, {"min_groups": 9}, headers=bearer(world.steward))
    assert response.status_code == 400
    assert response.json()["detail"].startswith("min_groups:")
    assert now(world)["min_groups"] == 3


@pytest.mark.parametrize("raw", ["[1]", "{", "{}", '"x"'])
def test_patch_needs_a_json_object_with_a_setting(world: World, client, raw: str) -> None:
    response = send(client, "PATCH", URL, raw=raw, headers=bearer(world.steward))
    assert response.status_code == 400


def test_patch_by_a_member_is_403_and_anonymous_401(world: World, client) -> None:
    headers = bearer(world.member["civil_society"])
    assert send(client, "PATCH", URL, {"min_groups": 1}, headers=headers).status_code == 403
    assert send(client, "PATCH", URL, {"min_groups": 1}).status_code == 401
    assert now(world)["min_groups"] == 3


# -- web page


def test_settings_page_shows_every_setting_and_saves_a_change(world: World) -> None:
    steward = world.client_for(world.steward)
    url = reverse("forums:settings", args=["kenya-igf"])
    page = steward.get(url).content.decode()
    for setting in SETTINGS:
        assert f'name="{setting.name}"' in page
    response = steward.post(url, _form(world.forum, min_groups=4, report_threshold=9))
    assert response.status_code == 302
    assert (now(world)["min_groups"], now(world)["report_threshold"]) == (4, 9)
    assert LedgerEntry.objects.filter(action="forum.settings").count() == 1


def test_every_setting_says_what_it_does_not_only_the_code_of_its_rule() -> None:
    # The session settings' help read "Screening rule min_confirmed_speakers." and no more.
    for setting in SETTINGS:
        words = str(setting.help_text)
        assert not words.startswith("Screening rule "), words
        if "(rule " in words:
            assert words.startswith(("Screening declines", "When ticked, screening")), words


def test_settings_page_unticked_box_turns_a_setting_off(world: World) -> None:
    update_settings(world.steward, world.forum, {"verified_required_for_signals_and_advice": True})
    data = _form(world.forum)
    del data["verified_required_for_signals_and_advice"]
    world.client_for(world.steward).post(reverse("forums:settings", args=["kenya-igf"]), data)
    assert now(world)["verified_required_for_signals_and_advice"] is False


def test_settings_page_refuses_bad_values_and_changes_nothing(world: World) -> None:
    url = reverse("forums:settings", args=["kenya-igf"])
    response = world.client_for(world.steward).post(url, _form(world.forum, min_groups=9))
    assert response.status_code == 400
    assert now(world)["min_groups"] == 3
    assert not LedgerEntry.objects.filter(action="forum.settings").exists()


def test_settings_page_is_for_stewards_only(world: World) -> None:
    url = reverse("forums:settings", args=["kenya-igf"])
    member = world.client_for(world.member["private_sector"])
    assert member.get(url).status_code == 403
    assert member.post(url, _form(world.forum, min_groups=1)).status_code == 403
    assert now(world)["min_groups"] == 3


# -- CLI


def test_cli_shows_and_changes_settings_as_operator_or_steward(world: World, capsys) -> None:
    assert cli(["forum", "settings", "kenya-igf"]) == 0
    assert "min_groups = 3" in capsys.readouterr().out
    assert cli(["forum", "settings", "kenya-igf", "min_groups=4", "min_share=0.2"]) == 0
    changes = ["report_threshold=5", "verified_required_for_signals_and_advice=yes"]
    as_steward = ["--as", world.steward.email]
    assert cli(["forum", "settings", "kenya-igf", *changes, *as_steward]) == 0
    settings = now(world)
    assert (settings["min_groups"], settings["min_share"], settings["report_threshold"]) == (
        4,
        0.2,
        5,
    )
    assert settings["verified_required_for_signals_and_advice"] is True
    entries = LedgerEntry.objects.filter(action="forum.settings").order_by("seq")
    assert [e.actor for e in entries] == [None, world.steward.public_id]


@pytest.mark.parametrize(
    "args",
    [
        ["min_groups=four"],
        ["min_groups=9"],
        ["colour=blue"],
        ["min_groups"],
        ["min_groups=2", "--as", "cecile.civil@example.org"],
        ["min_groups=2", "--as", "nobody@example.org"],
    ],
)
def test_cli_refuses_bad_settings_in_one_line(world: World, capsys, args: list[str]) -> None:
    before = (now(world), LedgerEntry.objects.count())
    assert cli(["forum", "settings", "kenya-igf", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert (now(world), LedgerEntry.objects.count()) == before
