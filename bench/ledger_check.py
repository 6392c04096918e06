"""Cost of checking a package's tables against its ledger (issue 18), at scale.

    uv run python bench/ledger_check.py BASE_PACKAGE OUT_DIR [SUPPORTS]

``BASE_PACKAGE`` is a real export (e.g. ``commonground export igf``); the script adds
participants (``membership.join`` entries) and supports (``support.add`` entries) to it
until the package holds about ``SUPPORTS`` supports (default 1,000,000), re-signs one
checkpoint with a throwaway key, then times, each in a fresh interpreter with its peak
resident memory (VmHWM):

* the check alone (``package_proof.prove``: every entry against the checkpoint, then the
  tables against the fold of the ledger);
* ``agenda --from`` with the check and with ``--trust-tables`` (the baseline);
* ``commonground import`` into a fresh SQLite instance (it runs the same check first).
"""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from commonground.ledger.merkle import (
    Checkpoint,
    CompactRange,
    canonical_json,
    format_timestamp,
    leaf_hash,
    sign_checkpoint,
)

PER_PARTICIPANT = 10
GROUPS = (
    "government",
    "intergovernmental",
    "private_sector",
    "civil_society",
    "academic_technical",
    "internet_institution",
)


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def build(base: Path, out: Path, target: int) -> None:
    """Copy ``base`` to ``out`` and grow it to about ``target`` supports, ledger included."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(base, out)
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    slug = descriptor["commonground"]["forum"]
    cycle = descriptor["commonground"]["cycle_id"]
    issues = [r[0] for r in _rows(out / "issues.csv")[1:] if r[1] == cycle]
    supports = _rows(out / "supports.csv")
    participants = _rows(out / "participants.csv")
    lines = (out / "ledger.jsonl").read_text(encoding="utf-8").splitlines()
    last = json.loads(lines[-1])
    seq = last["seq"]
    start = datetime.strptime(last["time"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    next_member = max(int(r[10]) for r in participants[1:]) + 1
    next_support = max(int(r[0]) for r in supports[1:]) + 1
    need = max(0, target - (len(supports) - 1))
    rng = random.Random(18)
    acc = CompactRange()
    for line in lines:  # the existing entries' leaf hashes, as stored
        acc.append(bytes.fromhex(json.loads(line)["leaf_hash"]))
    people = open(out / "participants.csv", "a", encoding="utf-8", newline="")  # noqa: SIM115
    backing = open(out / "supports.csv", "a", encoding="utf-8", newline="")  # noqa: SIM115
    ledger = open(out / "ledger.jsonl", "a", encoding="utf-8", newline="\n")  # noqa: SIM115
    p_writer, s_writer = (
        csv.writer(people, lineterminator="\n"),
        csv.writer(backing, lineterminator="\n"),
    )
    added_people = added_supports = 0

    def entry(action: str, otype: str, oid: int, actor: str, when: datetime, fields: dict) -> None:
        nonlocal seq
        seq += 1
        doc = {
            "seq": seq,
            "time": when.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "actor": actor,
            "action": action,
            "object": {"type": otype, "id": str(oid)},
            "forum": slug,
            "fields": fields,
        }
        h = leaf_hash(canonical_json(doc))
        acc.append(h)
        ledger.write(canonical_json({**doc, "leaf_hash": h.hex()}).decode("utf-8") + "\n")

    when = start
    while added_supports < need:
        pid = f"x{next_member:012d}"
        group = GROUPS[next_member % len(GROUPS)]
        when += timedelta(milliseconds=1)
        stamp = when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        p_writer.writerow(
            [pid, group, "KE", "african", "[]", "false", "", "participant", "active", stamp,
             next_member]
        )  # fmt: skip
        entry(
            "membership.join", "membership", next_member, pid, when,
            {"stakeholder_group": group, "country": "KE", "region": "african", "other_hats": []},
        )  # fmt: skip
        for issue in rng.sample(issues, min(PER_PARTICIPANT, len(issues))):
            when += timedelta(microseconds=10)
            stamp = when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            s_writer.writerow([next_support, pid, issue, cycle, group, stamp])
            entry("support.add", "issue", int(issue), pid, when, {"stakeholder_group": group})
            next_support += 1
            added_supports += 1
        next_member += 1
        added_people += 1
    for handle in (people, backing, ledger):
        handle.close()
    signed = sign_checkpoint(
        Checkpoint(seq, acc.root(), format_timestamp(), "bench"), Ed25519PrivateKey.generate()
    ).to_json_dict()
    header = ["tree_size", "root_hash", "timestamp", "origin", "public_key", "signature"]
    with (out / "checkpoints.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, [signed[h] for h in header]])
    (out / "checkpoint.json").write_text(json.dumps(signed, indent=2) + "\n", encoding="utf-8")
    section = descriptor["commonground"]
    section["ledger"].update(tree_size=seq, root_hash=signed["root_hash"])
    section["counts"]["participants"] += added_people
    section["counts"]["supports"] += added_supports
    section["counts"]["checkpoints"] = 1
    (out / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    print(f"package: {len(supports) - 1 + added_supports:,} supports, {seq:,} ledger entries")


PEAK = (
    "peak = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')]\n"
    "print('PEAK', peak[0].split()[1], file=sys.stderr)\n"
)
CHECK = (
    "import sys\nfrom pathlib import Path\n"
    "from commonground.ledger.anchors import Anchor\n"
    "from commonground.opendata.package_proof import prove\n"
    "prove(Path(sys.argv[1]), Anchor())\n" + PEAK
)
AGENDA = (
    "import sys, os\n"
    "from commonground.opendata.agenda_output import main_agenda_from\n"
    "with open(os.devnull, 'w') as out:\n"
    "    code = main_agenda_from(sys.argv[1], 'json', out, trust_tables=sys.argv[2] == '1')\n"
    + PEAK
    + "sys.exit(code)\n"
)


def _child(args: list[str], env: dict[str, str] | None = None) -> tuple[float, int, int]:
    """(seconds, exit code, peak KiB) of a fresh interpreter."""
    begin = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - begin
    peak = 0
    for line in done.stderr.splitlines():
        if line.startswith("PEAK "):
            peak = int(line.split()[1])
        elif "Maximum resident set size" in line:
            peak = int(line.split()[-1])
    if done.returncode:
        print(done.stderr[-2000:], file=sys.stderr)
    return seconds, done.returncode, peak


def measure(package: Path) -> None:
    py = sys.executable
    rows = [
        ("check alone (ledger + tables)", _child([py, "-c", CHECK, str(package)])),
        ("agenda --from, checked", _child([py, "-c", AGENDA, str(package), "0"])),
        ("agenda --from --trust-tables", _child([py, "-c", AGENDA, str(package), "1"])),
    ]
    if os.environ.get("BENCH_SKIP_IMPORT") == "1":  # the import takes long at 1M supports
        _report(rows)
        return
    data = Path(tempfile.mkdtemp(prefix="cg-import-"))
    env = {**os.environ, "COMMONGROUND_DATA_DIR": str(data)}
    for name in ("DATABASE_URL", "COMMONGROUND_SQLITE_PATH"):
        env.pop(name, None)
    tool = shutil.which("commonground") or str(Path(py).with_name("commonground"))
    subprocess.run([tool, "manage", "migrate", "-v", "0"], env=env, check=True)
    rows.append(
        (
            "import into a fresh SQLite instance",
            _child(["/usr/bin/time", "-v", tool, "import", str(package)], env),
        )
    )
    shutil.rmtree(data, ignore_errors=True)
    _report(rows)


def _report(rows: list[tuple[str, tuple[float, int, int]]]) -> None:
    print("| step | wall | peak RSS | exit |")
    print("|---|---|---|---|")
    for name, (seconds, code, peak) in rows:
        print(f"| {name} | {seconds:.1f} s | {peak / 1024:,.0f} MiB | {code} |")


if __name__ == "__main__":
    base, out = Path(sys.argv[1]), Path(sys.argv[2])
    target = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
    build(base, out, target)
    measure(out)
