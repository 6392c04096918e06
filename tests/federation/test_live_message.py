"""Two live instances, a published message (issue 16 with the networked-governance issue's
message forward): the national instance (this test's database, served by ``commonground
serve``) forwards a published message to the global forum on a second process with its own
data directory, database and key. The receiver verifies the signed delivery against the
sender's checkpoint and makes an issue of it, with provenance naming the message; a second
forward is refused 409 naming the delivery; the pages name the remote forum as its
instance lists it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests

from commonground.cli import main as cli
from commonground.federation.identity import public_url
from commonground.federation.models import Peer, RemoteParent
from commonground.federation.remote import find_remote_forum, remember_forum
from commonground.outcomes.models import Message
from tests.api.conftest import send
from tests.federation.instances import national_and_global, served
from tests.network.conftest import Network
from tests.servers import serving

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.scenario]


def test_a_published_message_crosses_instances_once_with_its_provenance(
    network: Network, settings: Any, tmp_path: Path
) -> None:
    two = national_and_global(settings, tmp_path, "Global IGF site")
    national_env, igf, target = two.env, two.igf, two.target
    # Setup only: the message's own life is the outcomes app's; here it is published.
    message = Message.objects.create(
        forum=network.kenya, cycle=network.kenya.open_cycle, issue=network.on_agenda,
        title="Cap the price of rural data", text="The forum calls for a price cap.",
        state=Message.State.PUBLISHED, created_by=network.world.membership["civil_society"],
    )  # fmt: skip
    steward = network.world.client_for(network.world.steward)

    national_log = tmp_path / "national.log"
    with (
        serving(national_env, national_log, port=two.port),
        served(igf, tmp_path / "global.log"),
    ):
        igf.run("peer", "add", public_url())
        assert cli(["peer", "add", igf.url]) == 0
        # Kenya's parent is the global forum there, named as the peer lists it.
        peer, listed = find_remote_forum(target)
        assert listed["name"] == "Global IGF"
        remote = remember_forum(
            peer, url=listed["url"], slug=listed["slug"], level=listed["level"],
            name=listed["name"],
        )  # fmt: skip
        RemoteParent.objects.create(forum=network.kenya, remote=remote)
        page = steward.get(f"/messages/{message.pk}/forward/remote/").content.decode()
        assert "Global IGF" in page and f'value="{target}"' in page

        answer = send(steward, "post", f"/messages/{message.pk}/forward", {"to": target})
        assert answer.status_code == 202, answer.content
        delivery_id = answer.json()["delivery_id"]
        state = send(steward, "get", f"/deliveries/{delivery_id}").json()
        assert (state["state"], state["attempts"], state["last_error"]) == (
            "delivered", 1, "",
        )  # fmt: skip

        issue_id = int(state["remote_issue_url"].rstrip("/").rsplit("/", 1)[-1])
        detail = requests.get(f"{igf.url}/api/v1/issues/{issue_id}", timeout=30).json()
        assert (detail["title"], detail["description"]) == (message.title, message.text)
        origin = detail["provenance"][0]
        assert (origin["instance"], origin["forum"]) == (public_url(), "kenya-igf")
        assert origin["message_id"] == message.pk
        assert origin["issue_id"] == network.on_agenda.pk and origin["agenda_rank"] == 1
        received = requests.get(
            f"{igf.url}/api/v1/federation/received", params={"from": public_url()}, timeout=30
        ).json()
        assert [item["delivery"] for item in received["results"]] == [delivery_id]

        again = send(steward, "post", f"/messages/{message.pk}/forward", {"to": target})
        assert again.status_code == 409 and delivery_id in again.json()["detail"]
        issues = requests.get(f"{igf.url}/api/v1/forums/igf/issues", timeout=30).json()
        assert issues["count"] == 1
        after = steward.get(f"/messages/{message.pk}/forward/remote/").content.decode()
        assert "delivered" in after and ">Global IGF</a>" in after
    assert Peer.objects.filter(url=igf.url).exists()
