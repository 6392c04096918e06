"""``commonground ledger``: verify the ledger, publish checkpoints, export the entries.

``verify --entries FILE`` and ``verify --url URL`` need neither Django nor a database:
they read an export or a running site's public API and recompute everything with
:mod:`commonground.ledger.merkle`. The other actions set up Django and read the
local database. Verification failures exit 1 with one line naming the first bad
sequence number; bad arguments and unreadable input exit 2 with one line.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import contextlib
import hmac
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from commonground.core.errors import CliError
from commonground.ledger.merkle import (
    CompactRange,
    SignedCheckpoint,
    canonical_json,
    leaf_hash,
    verify_checkpoint,
)

#: Most entries the API returns per call.
PAGE = 1000
#: Bounds of ``ledger checkpoint --every SECONDS``.
MIN_INTERVAL, MAX_INTERVAL = 1.0, 86_400.0

Triple = tuple[Any, Any, Any]  # (seq, entry document or bytes, stored leaf hash hex or None)


class LedgerCliError(CliError):
    """A one-line reason to stop with exit code 2 (bad arguments, unreadable input)."""


# -- the audit itself (pure) ------------------------------------------------------------------


@dataclass(frozen=True)
class Audit:
    """Outcome of :func:`audit`: ``first_bad_seq`` names the first wrong entry, if one is."""

    ok: bool
    entries: int
    checkpoints: int
    first_bad_seq: int | None = None
    reason: str = ""

    def line(self) -> str:
        if self.ok:
            return f"ledger OK: {self.entries} entries, {self.checkpoints} checkpoints"
        where = f" at seq {self.first_bad_seq}" if self.first_bad_seq is not None else ""
        return f"ledger FAILED{where}: {self.reason}"


def audit(
    triples: Iterable[Triple],
    checkpoints: Iterable[SignedCheckpoint],
    *,
    trusted_key: bytes | None = None,
    min_size: int = 0,
) -> Audit:
    """Recompute every entry's leaf hash and the root at every checkpoint's size.

    ``triples`` yields ``(seq, entry, stored_leaf_hash)`` in log order: the entry as
    a document (encoded with :func:`canonical_json`) or as its canonical bytes, the
    stored hash as hex or None. Each checkpoint's signature is checked against
    ``trusted_key`` (raw 32 bytes) or, without one, against the key it embeds.
    ``min_size`` is how many entries there must be at least. Reads the
    entries as a stream in O(log n) memory and stops at the first problem.
    """
    cps = sorted(checkpoints, key=lambda c: c.checkpoint.tree_size)
    for cp in cps:
        key = trusted_key if trusted_key is not None else cp.public_key
        if not verify_checkpoint(cp, key):
            size = cp.checkpoint.tree_size
            why = "signature or key is wrong" if trusted_key else "signature is wrong"
            return Audit(False, 0, len(cps), None, f"checkpoint at tree size {size}: {why}")
    pending = list(cps)
    acc = CompactRange()

    def check_roots() -> Audit | None:
        while pending and pending[0].checkpoint.tree_size == acc.size:
            cp = pending.pop(0).checkpoint
            if not hmac.compare_digest(acc.root(), cp.root_hash):
                return Audit(
                    False,
                    acc.size,
                    len(cps),
                    None,
                    f"checkpoint at tree size {cp.tree_size}: its root hash does not match "
                    f"entries 1..{cp.tree_size} (entries removed, inserted, reordered or "
                    "rewritten with their hashes)",
                )
        return None

    failed = check_roots()
    if failed:
        return failed
    for seq, entry, stored in triples:
        expected = acc.size + 1
        if seq != expected or isinstance(seq, bool):
            why = f"expected seq {expected}, found {seq!r}"
            return Audit(False, acc.size, len(cps), expected, why)
        try:
            data = entry if isinstance(entry, bytes) else canonical_json(entry)
        except ValueError as exc:
            return Audit(False, acc.size, len(cps), seq, f"not a valid entry: {exc}")
        computed = leaf_hash(data)
        if stored is not None and not (
            isinstance(stored, str) and hmac.compare_digest(computed.hex(), stored)
        ):
            return Audit(
                False, acc.size, len(cps), seq, "the stored leaf hash does not match the entry"
            )
        acc.append(computed)
        failed = check_roots()
        if failed:
            return failed
    if pending:
        size = pending[-1].checkpoint.tree_size
        return Audit(
            False,
            acc.size,
            len(cps),
            acc.size + 1,
            f"the entries end at seq {acc.size} but a checkpoint covers {size}",
        )
    if acc.size < min_size:
        return Audit(
            False,
            acc.size,
            len(cps),
            acc.size + 1,
            f"the ledger head counts {min_size} entries but only {acc.size} were found",
        )
    return Audit(True, acc.size, len(cps))


# -- sources of entries and checkpoints -------------------------------------------------------


def _split(row: Any, where: str) -> Triple:
    if not isinstance(row, dict):
        raise LedgerCliError(f"{where}: an entry must be a JSON object")
    row = dict(row)
    stored = row.pop("leaf_hash", None)
    return row.get("seq"), row, stored


def file_triples(path: Path) -> Iterator[Triple]:
    """Entries from a JSONL export: one entry document (plus ``leaf_hash``) per line."""
    try:
        handle = sys.stdin if str(path) == "-" else path.open(encoding="utf-8")
    except OSError as exc:
        raise LedgerCliError(f"cannot read {path}: {exc.strerror}") from None
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError:
                raise LedgerCliError(f"{path}, line {number}: not valid JSON") from None
            yield _split(row, f"{path}, line {number}")


def read_checkpoints(path: Path) -> list[SignedCheckpoint]:
    """A checkpoint JSON file: one signed checkpoint object or a list of them."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LedgerCliError(f"cannot read {path}: {exc.strerror}") from None
    except ValueError:
        raise LedgerCliError(f"{path}: not valid JSON") from None
    items = data if isinstance(data, list) else [data]
    try:
        return [SignedCheckpoint.from_json_dict(item) for item in items]
    except ValueError as exc:
        raise LedgerCliError(f"{path}: {exc}") from None


def _get_json(url: str) -> Any:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)
    except urllib.error.HTTPError as exc:
        detail = ""
        with contextlib.suppress(ValueError, AttributeError):
            detail = json.load(exc).get("detail", "")
        raise LedgerCliError(f"{url}: HTTP {exc.code} {detail or exc.reason}".rstrip()) from None
    except urllib.error.URLError as exc:
        raise LedgerCliError(f"{url}: {exc.reason}") from None
    except (OSError, ValueError) as exc:
        raise LedgerCliError(f"{url}: {exc}") from None


def api_base(url: str) -> str:
    """The API root of a site: ``https://forum.example.org`` gives ``.../api/v1``."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise LedgerCliError(f"not an http(s) URL: {url!r}")
    path = parts.path.rstrip("/")
    if not path.endswith("/api/v1"):
        path += "/api/v1"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def url_triples(base: str, tree_size: int) -> Iterator[Triple]:
    """Page through ``/ledger/entries`` up to ``tree_size``."""
    start = 1
    while start <= tree_size:
        end = min(start + PAGE - 1, tree_size)
        page = _get_json(f"{base}/ledger/entries?start={start}&end={end}")
        rows = page.get("entries") if isinstance(page, dict) else None
        if not isinstance(rows, list) or not rows:
            raise LedgerCliError(f"{base}: no entries returned from seq {start}")
        for row in rows:
            yield _split(row, f"entry near seq {start}")
        start += len(rows)


# -- handlers ---------------------------------------------------------------------------------


def _trusted_key(value: str | None) -> bytes | None:
    if value is None:
        return None
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise LedgerCliError("--public-key is not valid base64") from None
    if len(raw) != 32:
        raise LedgerCliError("--public-key must be a raw 32-byte Ed25519 key in base64")
    return raw


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
    import django

    django.setup()


def _database_audit(trusted: bytes | None) -> Audit:
    _django()
    from commonground.ledger.models import Checkpoint, LedgerEntry
    from commonground.ledger.sequencer import integrate_pending, overdue
    from commonground.ledger.services import entry_document, ledger_size, signed_checkpoint

    late = overdue()
    if late is not None:
        print(
            f"warning: {late[0]} pending entries, the oldest from "
            f"{late[1]:%Y-%m-%dT%H:%M:%SZ}, waited past the maximum merge delay "
            "(is the sequencer running? see docs/ledger.md, section 7)",
            file=sys.stderr,
        )
    integrate_pending()  # every committed change is verified, none left pending
    # No long transaction (it would hold SQLite's write lock): read the checkpoints, then
    # the head, then the entries. Each read sees at least what the one before promised, so
    # entries appended meanwhile are simply checked too.
    checkpoints = []
    for row in Checkpoint.objects.order_by("tree_size"):
        try:
            checkpoints.append(signed_checkpoint(row))
        except ValueError as exc:
            why = f"checkpoint at tree size {row.tree_size} is malformed: {exc}"
            return Audit(False, 0, 0, None, why)
    size = ledger_size()
    rows = LedgerEntry.objects.order_by("seq").iterator(chunk_size=5000)
    triples = ((e.seq, entry_document(e), e.leaf_hash) for e in rows)
    result = audit(triples, checkpoints, trusted_key=trusted, min_size=size)
    if result.ok:
        from commonground.ledger.coverage import uncovered_problem

        stale = uncovered_problem()
        if stale is not None:
            return Audit(False, result.entries, result.checkpoints, stale[0], stale[1])
    from commonground.ledger.coverage import witnessed_problem

    witnessed = witnessed_problem(result.entries)
    if witnessed is not None:
        return Audit(False, result.entries, result.checkpoints, witnessed[0], witnessed[1])
    return result


def cmd_verify(args: argparse.Namespace) -> int:
    trusted = _trusted_key(args.public_key)
    if args.url and (args.entries or args.checkpoint):
        raise LedgerCliError("--url cannot be combined with --entries or --checkpoint")
    if args.checkpoint and not args.entries:
        raise LedgerCliError("--checkpoint goes with --entries FILE")
    if args.url:
        base = api_base(args.url)
        try:
            doc = _get_json(f"{base}/ledger/checkpoint")
            signed = SignedCheckpoint.from_json_dict(doc)
        except ValueError as exc:
            raise LedgerCliError(f"{base}/ledger/checkpoint: {exc}") from None
        size = signed.checkpoint.tree_size
        result = audit(url_triples(base, size), [signed], trusted_key=trusted)
        key: bytes | None = signed.public_key
        if result.ok and getattr(args, "witness", None):
            from commonground.ledger.cosigned import check_witnesses

            problem = check_witnesses(signed, doc, args.witness, args.min_witnesses)
            if problem is not None:
                result = Audit(False, result.entries, result.checkpoints, None, problem)
        if result.ok and getattr(args, "witness_url", None):
            from commonground.ledger.cosigned import check_witness_views

            problem = check_witness_views(base, signed, args.witness_url)
            if problem is not None:
                result = Audit(False, result.entries, result.checkpoints, None, problem)
    elif args.entries:
        checkpoints = read_checkpoints(Path(args.checkpoint)) if args.checkpoint else []
        result = audit(file_triples(Path(args.entries)), checkpoints, trusted_key=trusted)
        key = checkpoints[0].public_key if checkpoints else None
        if result.ok:
            anchored = _anchor_entries(args, checkpoints)
            if anchored is not None:
                held, line = anchored
                print(result.line() if held else line, file=sys.stdout if held else sys.stderr)
                if held:
                    print(line)
                return 0 if held else 1
    else:
        result = _database_audit(trusted)
        key = None
    print(result.line(), file=sys.stdout if result.ok else sys.stderr)
    if result.ok and key is not None and trusted is None:
        print(
            "note: signatures checked with the key in the checkpoint, "
            f"{base64.b64encode(key).decode()}; compare it with the operator's published key "
            "(or pass --public-key)"
        )
    return 0 if result.ok else 1


def _anchor_entries(
    args: argparse.Namespace, checkpoints: list[SignedCheckpoint]
) -> tuple[bool, str] | None:
    """``--fingerprint`` / ``--from-url`` with ``--entries``: None when neither is given."""
    from commonground.ledger.anchors import Anchor, AnchorError, check_anchor

    fingerprint, from_url = getattr(args, "fingerprint", None), getattr(args, "from_url", None)
    if fingerprint is None and from_url is None:
        return None
    try:
        anchor = Anchor.parse(None, fingerprint, from_url)
    except ValueError as exc:
        raise LedgerCliError(str(exc)) from None
    try:
        held = check_anchor(anchor, checkpoints, lambda: file_triples(Path(args.entries)))
    except AnchorError as exc:
        return False, f"ledger FAILED: {exc}"
    return True, f"anchored: {held}"


def _describe(checkpoint: Any) -> str:
    return f"tree size {checkpoint.tree_size}, root {checkpoint.root_hash}"


def _write_checkpoint(path: str) -> None:
    from commonground.ledger.services import checkpoint_document, latest_checkpoint

    checkpoint = latest_checkpoint()
    if checkpoint is None:
        raise LedgerCliError("no checkpoint to write")
    text = json.dumps(checkpoint_document(checkpoint), indent=2) + "\n"
    if path == "-":
        sys.stdout.write(text)
    else:
        Path(path).write_text(text, encoding="utf-8")


def cmd_checkpoint(args: argparse.Namespace) -> int:
    every = args.every
    if every is not None and not MIN_INTERVAL <= every <= MAX_INTERVAL:
        raise LedgerCliError(
            f"--every is between {MIN_INTERVAL:g} and {MAX_INTERVAL:g} seconds, not {every:g}"
        )
    if args.times is not None and (every is None or args.times < 1):
        raise LedgerCliError("--times N (N >= 1) goes with --every SECONDS")
    _django()
    from django.db import close_old_connections, connection

    from commonground.ledger.services import LedgerDamaged, publish_checkpoint

    rounds = 0
    try:
        while True:
            if not connection.in_atomic_block:  # a long-running loop: drop stale connections
                close_old_connections()
            try:
                checkpoint, created = publish_checkpoint()
            except LedgerDamaged as exc:
                raise LedgerCliError(f"cannot sign a damaged ledger: {exc}") from None
            if created:
                print(f"published checkpoint: {_describe(checkpoint)}", flush=True)
            elif every is None:
                print(f"ledger unchanged since checkpoint: {_describe(checkpoint)}", flush=True)
            if args.output:
                _write_checkpoint(args.output)
            rounds += 1
            if every is None or (args.times is not None and rounds >= args.times):
                return 0
            time.sleep(every)
    except KeyboardInterrupt:
        print("stopped", flush=True)
        return 0


def cmd_export_entries(args: argparse.Namespace) -> int:
    _django()
    from commonground.ledger.models import LedgerEntry
    from commonground.ledger.sequencer import integrate_pending
    from commonground.ledger.services import entry_document, ledger_size

    integrate_pending()
    size = ledger_size()
    rows = LedgerEntry.objects.filter(seq__lte=size).order_by("seq").iterator(chunk_size=5000)

    def lines() -> Iterator[str]:
        for e in rows:
            try:
                data = canonical_json({**entry_document(e), "leaf_hash": e.leaf_hash})
            except ValueError as exc:
                raise LedgerCliError(f"entry {e.seq} cannot be encoded: {exc}") from None
            yield data.decode("utf-8") + "\n"

    if args.file == "-":
        sys.stdout.writelines(lines())
        return 0
    target = Path(args.file)
    tmp = target.with_name(f".{target.name}.tmp")
    count = 0
    try:
        with tmp.open("w", encoding="utf-8", newline="\n") as out:
            for line in lines():
                out.write(line)
                count += 1
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise LedgerCliError(f"cannot write {target}: {exc.strerror}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    print(f"exported {count} entries to {target}")
    return 0
