"""Forwarding to a forum on another instance, and delivering it (docs/federation.md).

:func:`forward_remote` (an agenda issue) and :func:`forward_message_remote` (a published
message) are the steward's act, through one function: the same preconditions as a local forward,
one ledger entry recording the forward record, and a :class:`Delivery` row, queued. The
row is the durable state: :func:`attempt` claims a due row (a lease, so two workers never
send at once), signs and sends the body, and records the outcome. A 2xx is delivered; a
4xx fails at once (the receiver refused it and would again); a network error or a 5xx is
retried after ``COMMONGROUND_FEDERATION_RETRY_BASE_S`` × 2^(attempts-1) seconds, up to
``COMMONGROUND_FEDERATION_MAX_ATTEMPTS``. A crash mid-attempt leaves the row queued and
due again when its lease ends; the receiver answers a repeat with the same issue.
"""

from __future__ import annotations

import json
import logging
import threading
from datetime import timedelta
from typing import Any

import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from commonground.access.members import AnyUser, require_steward
from commonground.access.rules import require_not_merged
from commonground.core.errors import Conflict, InvalidInput, NotFound
from commonground.core.periodic import start_periodic
from commonground.federation import proofs, signing
from commonground.federation.events import Action, issue_forwarded_remote
from commonground.federation.identity import public_url
from commonground.federation.lookup import peer_for_url, remote_forum_for_url
from commonground.federation.models import Delivery, RemoteParent
from commonground.forums.models import Forum
from commonground.issues.models import Issue
from commonground.ledger.models import LedgerEntry
from commonground.ledger.services import (
    LedgerDamaged,
    append,
    checkpoint_document,
    entry_document,
    inclusion,
    latest_checkpoint,
    publish_checkpoint,
    signing_key,
)
from commonground.network.models import Forward
from commonground.network.services import (
    AgendaPlace,
    agenda_place,
    forward_record,
    require_on_agenda,
)
from commonground.outcomes.models import Message

logger = logging.getLogger(__name__)

INBOX_PATH = "/api/v1/federation/inbox"
#: How long a claimed attempt holds its row (longer than a request may take).
LEASE = timedelta(seconds=120)
TIMEOUT = (5, 30)  # connect, read (seconds)


def retry_base() -> float:
    return float(getattr(settings, "COMMONGROUND_FEDERATION_RETRY_BASE_S", 30))


def max_attempts() -> int:
    return int(getattr(settings, "COMMONGROUND_FEDERATION_MAX_ATTEMPTS", 8))


def _remote_parents(forum: Forum) -> list[str]:
    """URLs of the forums on other instances above ``forum``: its own remote parent and
    those of the forums above it here."""
    urls: list[str] = []
    node: Forum | None = forum
    while node is not None:
        link = RemoteParent.objects.filter(forum=node).select_related("remote").first()
        if link is not None:
            urls.append(link.remote.url)
        node = node.parent
    return urls


def forward_remote(user: AnyUser, issue: Issue, to: str) -> Delivery:
    """A steward forwards an agenda issue to a forum on a peer (``to``: its full URL).

    Refused as a local forward is: not a steward (403), a merged issue or one not on the
    latest published agenda, or already forwarded there (409); a URL that is not a known
    forum on a pinned peer (404, as an unknown slug) or not above this forum (400).
    Records the forward in the ledger and queues its delivery; the task runs after the
    commit.
    """
    return _queue_forward(user, issue, None, to)


def forward_message_remote(user: AnyUser, message: Message, to: str) -> Delivery:
    """A steward forwards a published message to a forum on a peer (``to``: its full URL).

    The same delivery as an issue's: the record carries the message's title and text, the
    figures of the issue it is about on the latest published agenda (none if it is not on
    it), and ``kind`` "message"; the receiver makes an issue of it as a local forward of a
    message does. Refused as an issue's remote forward (403, 404, 400), and 409 for a
    message that is not published or was forwarded there already (naming the delivery).
    """
    return _queue_forward(user, message.issue, message, to)


def _source_of(
    issue: Issue, message: Message | None
) -> tuple[str, int, str, str, AgendaPlace | None]:
    """What a forward sends (kind, id, title, text, agenda place), once its own rule holds:
    an issue not merged and on the latest published agenda, or a published message."""
    if message is None:
        require_not_merged(issue)
        place = require_on_agenda(issue)
        return Forward.Kind.ISSUE, issue.pk, issue.title, issue.description, place
    if not message.is_published:
        raise Conflict(_("Only a published message can be forwarded."))
    return Forward.Kind.MESSAGE, message.pk, message.title, message.text, agenda_place(issue)


def _require_not_sent(issue: Issue, message: Message | None, url: str) -> None:
    live = Delivery.objects.filter(target_url=url).exclude(state=Delivery.State.FAILED)
    if message is None:
        if live.filter(issue=issue, message__isnull=True).exists():
            raise Conflict(
                _("Issue %(id)s was forwarded to %(url)s already.") % {"id": issue.pk, "url": url}
            )
        return
    existing = live.filter(message=message).first()
    if existing is not None:
        raise Conflict(
            _("Message %(id)s was forwarded to %(url)s already: delivery %(delivery)s.")
            % {"id": message.pk, "url": url, "delivery": existing.public_id}
        )


def _queue_forward(user: AnyUser, issue: Issue, message: Message | None, to: str) -> Delivery:
    """One remote forward, of an issue or (``message`` set) of a message about it."""
    remote = remote_forum_for_url(to)
    peer = peer_for_url(to)
    if peer is None or remote is None:
        raise NotFound(
            _("%(url)s is not a known forum on a peer instance (the operator peers first).")
            % {"url": to}
        )
    forum = issue.forum if message is None else message.forum
    with transaction.atomic():
        steward = require_steward(user, forum)
        if remote.url not in _remote_parents(forum):
            raise InvalidInput(
                _("%(url)s is not above %(forum)s in the forum tree.")
                % {"url": remote.url, "forum": forum.name}
            )
        kind, source_id, title, text, place = _source_of(issue, message)
        _require_not_sent(issue, message, remote.url)
        forward = forward_record(
            steward, issue, kind, source_id, title, text, place, timezone.now(),
            instance=public_url(),
        )  # fmt: skip
        record = forward.payload(to=remote.url)
        delivery = Delivery(
            issue=issue, message=message, peer=peer, target_url=remote.url, record=record,
            created_by=steward.user.public_id,
        )  # fmt: skip
        try:
            with transaction.atomic():
                delivery.save()
        except IntegrityError:
            raise Conflict(_("This issue is being forwarded there already.")) from None
        append(issue_forwarded_remote(delivery.public_id, record, steward.user.public_id))
        transaction.on_commit(lambda: enqueue(delivery.pk))
    return delivery


def enqueue(delivery_id: int) -> None:
    """Queue the delivery task; the row stays due, so a lost task costs only a delay."""
    try:
        deliver.enqueue(delivery_id)
    except Exception:  # the worker's sweep picks the row up
        logger.exception("could not queue delivery %s", delivery_id)


@task()
def deliver(delivery_id: int) -> str:
    """The background task: one attempt at a delivery, if it is due."""
    return attempt(delivery_id)


def _entry(delivery: Delivery) -> LedgerEntry | None:
    """The sender's ledger entry of the forward, once it has its place in the tree."""
    return LedgerEntry.objects.filter(
        action=Action.ISSUE_FORWARD_REMOTE, object_type="delivery", object_id=delivery.public_id
    ).first()


def build_body(delivery: Delivery) -> dict[str, Any] | None:
    """The delivery's body, or None while its ledger entry waits for the sequencer."""
    entry = _entry(delivery)
    checkpoint = latest_checkpoint()
    if entry is None or checkpoint is None or checkpoint.tree_size < entry.seq:
        checkpoint, _new = publish_checkpoint()  # integrates pending entries first, if any
        entry = entry or _entry(delivery)
    if entry is None or checkpoint.tree_size < entry.seq:
        return None
    return proofs.delivery_body(
        delivery=delivery.public_id, to=delivery.target_url,
        entry=entry_document(entry), inclusion=inclusion(entry.seq, checkpoint.tree_size),
        checkpoint=checkpoint_document(checkpoint),
    )  # fmt: skip


def _claim(delivery_id: int) -> bool:
    now = timezone.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id, state=Delivery.State.QUEUED, next_attempt_at__lte=now
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + LEASE)
    return claimed == 1


def _finish(delivery: Delivery, state: str, error: str = "", url: str = "") -> None:
    now = timezone.now()
    fields: dict[str, Any] = {"state": state, "last_error": error[:300]}
    if state == Delivery.State.QUEUED:
        fields["next_attempt_at"] = now + timedelta(
            seconds=retry_base() * 2 ** max(delivery.attempts - 1, 0)
        )
    if state == Delivery.State.DELIVERED:
        fields.update(remote_issue_url=url[:300], delivered_at=now, last_error="")
    Delivery.objects.filter(pk=delivery.pk).update(**fields)


def _retry_or_fail(delivery: Delivery, error: str) -> str:
    state = Delivery.State.FAILED if delivery.attempts >= max_attempts() else Delivery.State.QUEUED
    _finish(delivery, state, error)
    return str(state)


def attempt(delivery_id: int) -> str:
    """Claim the delivery if it is due, send it once, record the outcome; its new state."""
    if not _claim(delivery_id):
        row = Delivery.objects.filter(pk=delivery_id).values_list("state", flat=True).first()
        return str(row or "missing")
    delivery = Delivery.objects.select_related("peer").get(pk=delivery_id)
    try:
        body = build_body(delivery)
    except LedgerDamaged as exc:
        return _retry_or_fail(delivery, _("the ledger is damaged: %(e)s") % {"e": exc})
    if body is None:
        return _retry_or_fail(delivery, _("the forward's ledger entry is not in the tree yet"))
    raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    url = delivery.peer.url + INBOX_PATH
    headers = signing.sign_request("POST", url, raw, signing_key())
    try:
        answer = requests.post(url, data=raw, headers=headers, timeout=TIMEOUT)
    except requests.RequestException as exc:
        return _retry_or_fail(delivery, _("the peer did not answer: %(e)s") % {"e": exc})
    detail = _detail(answer)
    if answer.status_code in (200, 201):
        _finish(delivery, Delivery.State.DELIVERED, url=str(_json(answer).get("url", "")))
        return str(Delivery.State.DELIVERED)
    reason = f"{answer.status_code}: {detail}"
    if 400 <= answer.status_code < 500:
        _finish(delivery, Delivery.State.FAILED, reason)
        return str(Delivery.State.FAILED)
    return _retry_or_fail(delivery, reason)


def _json(answer: requests.Response) -> dict[str, Any]:
    try:
        data = answer.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _detail(answer: requests.Response) -> str:
    data = _json(answer)
    text = data.get("detail") or answer.reason or ""
    return str(text)[:250]


def run_due(limit: int = 100) -> int:
    """Attempt every due queued delivery (``commonground worker``); how many were tried."""
    due = list(
        Delivery.objects.filter(state=Delivery.State.QUEUED, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in due:
        attempt(pk)
    return len(due)


#: How often the worker's sweeper looks for due deliveries (seconds).
SWEEP_EVERY = 10.0


def start_sweeper(stop: threading.Event) -> threading.Thread:
    """A daemon thread of ``commonground worker`` that attempts due deliveries until
    ``stop`` is set: the rows, not the task queue, hold what is left to deliver."""
    return start_periodic(stop, "delivery-sweeper", run_due, SWEEP_EVERY)
