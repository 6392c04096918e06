"""Two live instances (issue 16, "What must be shown"): the national instance (this test's
database, served by ``commonground serve``) forwards to the global one (a second process
with its own data directory and database), both on loopback.

One story, in order: the receiver is down during a forward, which is delivered exactly once
after it comes back (``commonground worker --until-empty``); the issue shows on the receiver
with its provenance; a body changed in transit, an unsigned request, a request signed by an
unpinned key, a stale ``created``, a replayed nonce, a forged inclusion proof and a
checkpoint with a bad signature are each refused with their status and change nothing
there; a key change on the sender is refused until the receiver re-pins it.
"""

from __future__ import annotations

import base64
import json
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from commonground.cli import main as cli
from commonground.federation import signing
from commonground.federation.identity import public_url
from commonground.federation.models import Delivery, Peer, RemoteForum, RemoteParent
from commonground.federation.sending import INBOX_PATH, build_body
from commonground.issues.services import support_issue
from commonground.ledger.merkle import private_key_to_pem
from commonground.ledger.services import signing_key
from commonground.recognition.services import publish_agenda
from tests.api.conftest import send
from tests.federation.instances import Instance, national_and_global, served
from tests.network.conftest import Network
from tests.servers import script, serving

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.scenario]


def forward(network: Network, issue_id: int, to: str) -> str:
    client = network.world.client_for(network.world.steward)
    answer = send(client, "post", f"/issues/{issue_id}/forward", {"to": to})
    assert answer.status_code == 202, answer.content
    assert answer.json()["state"] in ("queued", "delivered", "failed")
    return str(answer.json()["delivery_id"])


def state_of(network: Network, delivery_id: str) -> dict[str, Any]:
    client = network.world.client_for(network.world.steward)
    answer = send(client, "get", f"/deliveries/{delivery_id}")
    assert answer.status_code == 200, answer.content
    return dict(answer.json())


def receiver_state(igf: Instance) -> tuple[int, int, int]:
    """What a refused request must leave alone: the receiver's ledger (committed and
    pending) and its forum's issues."""
    ledger = requests.get(f"{igf.url}/api/v1/ledger/entries?start=1", timeout=30).json()
    issues = requests.get(f"{igf.url}/api/v1/forums/igf/issues", timeout=30).json()
    return ledger["tree_size"], ledger.get("pending", 0), issues["count"]


def post(igf: Instance, raw: bytes, headers: dict[str, str]) -> requests.Response:
    return requests.post(igf.url + INBOX_PATH, data=raw, headers=headers, timeout=30)


def refused(igf: Instance, raw: bytes, headers: dict[str, str]) -> tuple[int, str]:
    before = receiver_state(igf)
    answer = post(igf, raw, headers)
    assert receiver_state(igf) == before, f"{answer.status_code} {answer.text} changed it"
    return answer.status_code, answer.json().get("check", "")


def test_two_instances_forward_verify_refuse_and_recover(
    network: Network, settings: Any, tmp_path: Path
) -> None:
    settings.COMMONGROUND_FEDERATION_RETRY_BASE_S = 0
    key_file = Path(settings.COMMONGROUND_LEDGER_KEY_FILE)
    two = national_and_global(settings, tmp_path, COMMONGROUND_FEDERATION_RETRY_BASE_S="0")
    national_env, igf, target = two.env, two.igf, two.target

    with serving(national_env, tmp_path / "national.log", port=two.port):
        with served(igf, tmp_path / "global.log"):
            igf.run("peer", "add", public_url())  # the global operator pins the national key
            assert cli(["peer", "add", igf.url]) == 0  # and the national one the global key
        # Kenya's parent is the global IGF on the other instance.
        peer = Peer.objects.get(url=igf.url)
        remote = RemoteForum.objects.create(
            peer=peer, url=target, slug="igf", level="global", name="Global IGF"
        )
        RemoteParent.objects.create(forum=network.kenya, remote=remote)

        # 1. The receiver is down: the forward is queued with the reason, then delivered
        #    exactly once by the worker after the receiver comes back.
        first = forward(network, network.on_agenda.pk, target)
        down = state_of(network, first)
        assert (down["state"], down["attempts"]) == ("queued", 1)
        assert "did not answer" in down["last_error"]
        with served(igf, tmp_path / "global-2.log"):
            worker = subprocess.run(
                [script("commonground"), "worker", "--until-empty"],
                env={**national_env, "COMMONGROUND_TASKS": "database"},
                capture_output=True, text=True, timeout=300,
            )  # fmt: skip
            assert worker.returncode == 0, worker.stderr
            assert "attempted 1 delivery" in worker.stdout
            done = state_of(network, first)
            assert (done["state"], done["attempts"], done["last_error"]) == ("delivered", 2, "")
            again = subprocess.run(
                [script("commonground"), "worker", "--until-empty"],
                env={**national_env, "COMMONGROUND_TASKS": "database"},
                capture_output=True, text=True, timeout=300,
            )  # fmt: skip
            assert "attempted" not in again.stdout  # nothing due: never sent twice
            assert receiver_state(igf)[2] == 1

            # 2. The issue shows on the receiver with its provenance.
            issue_id = int(done["remote_issue_url"].rstrip("/").rsplit("/", 1)[-1])
            detail = requests.get(f"{igf.url}/api/v1/issues/{issue_id}", timeout=30).json()
            assert detail["title"] == network.on_agenda.title
            origin = detail["provenance"][0]
            assert (origin["instance"], origin["forum"]) == (public_url(), "kenya-igf")
            assert origin["issue_url"] == f"{public_url()}/issues/{network.on_agenda.pk}/"
            page = requests.get(done["remote_issue_url"], timeout=30).text
            assert "Kenya IGF" in page and public_url() in page

            # 3. Each bad request is refused with its status and changes nothing there.
            row = Delivery.objects.get(public_id=first)
            body = build_body(row)
            assert body is not None
            raw = json.dumps(body).encode()
            url = igf.url + INBOX_PATH
            key = signing_key()
            changed = raw.replace(b'"tree_size"', b'"tree_size" ', 1)
            assert refused(igf, changed, signing.sign_request("POST", url, raw, key)) == (
                400, "content_digest",
            )  # fmt: skip
            assert refused(igf, raw, {"Content-Type": "application/json"}) == (401, "unsigned")
            stranger = Ed25519PrivateKey.generate()
            assert refused(igf, raw, signing.sign_request("POST", url, raw, stranger)) == (
                401, "unknown_peer",
            )  # fmt: skip
            old = datetime.now(UTC) - timedelta(minutes=6)
            assert refused(igf, raw, signing.sign_request("POST", url, raw, key, created=old)) == (
                401, "created",
            )  # fmt: skip
            fresh = signing.sign_request("POST", url, raw, key)
            assert post(igf, raw, fresh).status_code == 200  # the same forward: the same issue
            assert refused(igf, raw, fresh) == (409, "replay")
            forged = json.loads(raw)
            forged["inclusion"]["audit_path"] = ["00" * 32] * len(forged["inclusion"]["audit_path"])
            forged_raw = json.dumps(forged).encode()
            assert refused(igf, forged_raw, signing.sign_request("POST", url, forged_raw, key)) == (
                400, "inclusion_proof",
            )  # fmt: skip
            bad = json.loads(raw)
            bad["checkpoint"]["signature"] = base64.b64encode(bytes(64)).decode()
            bad_raw = json.dumps(bad).encode()
            assert refused(igf, bad_raw, signing.sign_request("POST", url, bad_raw, key)) == (
                400, "checkpoint_signature",
            )  # fmt: skip

            # 4. The sender's key changes: refused until the receiver re-pins it.
            for group in ("civil_society", "academic_technical"):
                support_issue(network.world.member[group], network.off_agenda)
            publish_agenda(network.world.steward, network.kenya)
            key_file.write_bytes(private_key_to_pem(Ed25519PrivateKey.generate()))
            second = forward(network, network.off_agenda.pk, target)
            refused_state = state_of(network, second)
            assert refused_state["state"] == "failed" and refused_state["attempts"] == 1
            assert refused_state["last_error"].startswith("401:")
            assert receiver_state(igf)[2] == 1
            repin = igf.run("peer", "add", public_url(), check=False)
            assert repin.returncode != 0  # a changed key is not taken silently
            igf.run("peer", "add", public_url(), "--replace")
            third = forward(network, network.off_agenda.pk, target)
            assert state_of(network, third)["state"] == "delivered"
            assert receiver_state(igf)[2] == 2
