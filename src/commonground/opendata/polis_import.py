"""``import_polis``: a Polis open-data export imported as a conversation.

Polis's export is an open-data format (``opendata.polis`` reads it); the import writes
the conversation, its statements and votes, and starts its opinion map from Polis's
replayed history.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.core.errors import InvalidInput
from commonground.dialogue import events
from commonground.dialogue.models import Conversation, OpinionSnapshot, Statement, Vote
from commonground.dialogue.services.conversations import MAX_DESCRIPTION, MAX_TOPIC
from commonground.dialogue.services.opinion_map import recompute_opinion_map
from commonground.forums.models import Forum
from commonground.issues.models import Issue
from commonground.ledger.services import append
from commonground.opendata.polis import PolisExportError, load_polis_export, replay_history


@dataclass(frozen=True)
class ImportResult:
    conversation: Conversation
    statements: int
    participants: int
    votes: int
    snapshot: OpinionSnapshot | None


def _comment_texts(folder: Path) -> dict[int, str]:
    path = folder / "comments.csv"
    if not path.is_file():
        return {}
    texts: dict[int, str] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            try:
                cid = int((row.get("comment-id") or "").strip())
            except ValueError:
                continue
            texts[cid] = (row.get("comment-body") or "").strip()
    return texts


def import_polis(
    folder: str | Path,
    forum: Forum,
    *,
    issue: Issue | None = None,
    topic: str = "",
    compute_map: bool = True,
) -> ImportResult:
    """Import a Polis open-data export as a conversation of ``forum`` (optionally on
    ``issue``): its statements (moderated-out ones as rejected) and the latest vote of
    each pseudonymous participant. One ledger event records the import. With
    ``compute_map``, the first map continues Polis's history of the votes, replayed
    (``replay_history``) and renamed to the new conversation's ids.

    Raises ``PolisExportError`` (a ``ValueError``) with a one-line reason for bad input.
    """
    folder = Path(folder)
    export = load_polis_export(folder)
    if export.matrix.n_votes == 0:
        raise PolisExportError(f"{export.source} holds no votes")
    if issue is not None and issue.forum_id != forum.pk:
        raise InvalidInput(
            _("Issue %(pk)s is not an issue of %(slug)s.") % {"pk": issue.pk, "slug": forum.slug}
        )
    texts = _comment_texts(folder)
    matrix = export.matrix
    moderated = set(export.moderated_out)
    comment_ids = sorted(set(int(x) for x in matrix.statement_ids.tolist()) | set(texts))
    name = export.summary.get("topic") or folder.name
    topic = " ".join((topic or f"{name} (imported from Polis)").split())[:MAX_TOPIC]
    description = export.summary.get("conversation-description", "")[:MAX_DESCRIPTION]
    now = timezone.now()
    with transaction.atomic():
        conversation = Conversation.objects.create(
            forum=forum,
            issue=issue,
            topic=topic,
            description=description,
            moderation=Conversation.Moderation.STRICT,
            source=f"polis:{folder.name}"[:200],
            created_at=now,
            last_vote_at=now,
            is_open=False,
        )
        statements = Statement.objects.bulk_create(
            [
                Statement(
                    conversation=conversation,
                    text=texts.get(cid) or f"Statement {cid}",
                    status=Statement.Status.REJECTED
                    if cid in moderated
                    else Statement.Status.ACCEPTED,
                    created_at=now,
                    external_id=cid,
                )
                for cid in comment_ids
            ],
            batch_size=2000,
        )
        if any(s.pk is None for s in statements):  # backends that do not return ids
            by_external = dict(
                Statement.objects.filter(conversation=conversation).values_list("external_id", "id")
            )
        else:
            by_external = {s.external_id: s.pk for s in statements}
        column_pk = np.asarray(
            [by_external[int(c)] for c in matrix.statement_ids.tolist()], dtype=np.int64
        )
        rows = np.repeat(np.arange(matrix.n_participants), np.diff(matrix.indptr))
        pids = [f"x{int(p)}" for p in matrix.participant_ids.tolist()]
        Vote.objects.bulk_create(
            (
                Vote(
                    conversation=conversation,
                    statement_id=int(column_pk[c]),
                    participant_key=pids[r],
                    value=int(v),
                    updated_at=now,
                )
                for r, c, v in zip(
                    rows.tolist(), matrix.indices.tolist(), matrix.values.tolist(), strict=True
                )
            ),
            batch_size=5000,
        )
        append(
            events.conversation_imported(
                conversation,
                statements=len(comment_ids),
                moderated_out=sorted(moderated & set(comment_ids)),
                participants=matrix.n_participants,
                votes=matrix.n_votes,
            )
        )
    snapshot = None
    if compute_map:
        # Polis's map is the end of a history (state carried from update to update), so
        # the first map starts from that history replayed, under this instance's ids.
        replayed, _history = replay_history(export)
        start = replayed.state.relabelled(
            {p: f"x{int(p)}" for p in matrix.participant_ids.tolist()},
            {int(c): by_external[int(c)] for c in matrix.statement_ids.tolist()},
        )
        snapshot = recompute_opinion_map(conversation, start=start)
    return ImportResult(
        conversation, len(comment_ids), matrix.n_participants, matrix.n_votes, snapshot
    )
