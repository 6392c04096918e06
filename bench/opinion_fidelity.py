"""Agreement with Polis's own groups on the public conversations, with leave-one-out.

Usage (the bench dependency group holds red-dwarf)::

    uv run --group bench python bench/opinion.py fidelity [--save FILE | --from FILE]

For each public conversation in ``shared/data/polis`` and each mode:

- **replayed**: the export as published (``votes.csv`` with its timestamps);
- **cold**: a copy without ``votes.csv`` and ``stats-history.csv`` (only
  ``participants-votes.csv``, as many published exports are),

it prints Polis's k (``summary.csv``), ours, red-dwarf's, and the adjusted Rand index
(ARI) of ours and red-dwarf's against Polis's ``group-id``, over the participants both
clustered. Ours is given four ways: **before** (the method before issue 20: every
poller batch replayed, a single cold run without history), **previous** (growth 7 and
10 restarts without a margin, the defaults before the restart margin), **default**
(the shipped ``ReplayParams``) and **leave-one-out**: for each conversation, the rule set
(``ReplayParams`` from ``grid``) that scores best on the *other five* (``choose``: most
group counts equal to Polis's, then highest mean ARI, then the best neighbouring
restart margins, then the rule farther inside its plateau of equal scores, then
lowest cost), measured on the held-out one. The shipped
defaults are the rule set that scores best on all six by the same criterion.
Red-dwarf 0.4.0 runs ``run_pipeline(random_state=0)`` on the same votes and
moderation.
"""

from __future__ import annotations

import itertools
import json
import shutil
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "polis"
if not DATA.is_dir():
    DATA = Path("/work/shared/data/polis")

MODES = ("replayed", "cold")


def grid(mode: str) -> list[Any]:
    """The rule sets leave-one-out chooses among in ``mode``. Every one keeps the
    replay's cost bounded: each update has at least 1.5 times the votes of the last."""
    from commonground.opendata.polis_replay import ReplayParams

    out = []
    # Restarts off, or 10 restarts with each margin (the margin means nothing without).
    searches = [(0, 0.0)] + [(10, margin) for margin in MARGINS]
    for growth, (restarts, margin) in itertools.product(GROWTHS, searches):
        knobs = {"group_restarts": restarts, "group_restart_margin": margin, "tail": 0}
        if mode == "replayed":
            out.append(ReplayParams(growth=growth, **knobs))
        else:
            out.append(ReplayParams(joined_growth=growth, **knobs))
    if mode == "cold":
        for restarts, margin in searches:
            out.append(
                ReplayParams(
                    group_restarts=restarts, group_restart_margin=margin, joined_order=False
                )
            )
    return out


GROWTHS = (0.5, 1.0, 3.0, 7.0, 15.0)
MARGINS = (0.0, 0.0025, 0.005, 0.01, 0.02)


def _neighbours(rules: list[Any], i: int) -> list[int]:
    """The rule sets equal to rule ``i`` but for the restart margin, one step either
    way on ``MARGINS`` (and ``i`` itself)."""
    r = rules[i]
    if r.group_restarts == 0:
        return [i]
    step = MARGINS.index(r.group_restart_margin)
    near = {MARGINS[j] for j in (step - 1, step, step + 1) if 0 <= j < len(MARGINS)}
    return [
        j
        for j, o in enumerate(rules)
        if o.group_restarts == r.group_restarts
        and o.group_restart_margin in near
        and (o.growth, o.joined_growth, o.joined_order)
        == (r.growth, r.joined_growth, r.joined_order)
    ]


def _inside(rules: list[Any], i: int, base: Any) -> int:
    """How far rule ``i`` lies inside its plateau: the number of margin steps, on its
    shorter side, over which the rule sets equal to it but for the margin score the
    same (``base``). The grid's last margin either way ends a plateau: a rule at the
    grid's edge is at its plateau's edge, whatever lies beyond is unmeasured."""
    r = rules[i]
    if r.group_restarts == 0:
        return 0
    same = {
        o.group_restart_margin: j
        for j, o in enumerate(rules)
        if o.group_restarts == r.group_restarts
        and (o.growth, o.joined_growth, o.joined_order)
        == (r.growth, r.joined_growth, r.joined_order)
    }
    step, mine = MARGINS.index(r.group_restart_margin), base(i)
    reach = []
    for way in (-1, 1):
        n, j = 0, step + way
        while 0 <= j < len(MARGINS) and MARGINS[j] in same and base(same[MARGINS[j]]) == mine:
            n, j = n + 1, j + way
        reach.append(n)
    return min(reach)


def cost(params: Any, mode: str) -> float:
    """Relative work of a rule set (breaks ties): total update size, restarts."""
    if mode == "cold" and not params.joined_order:
        size = 1.0
    else:
        growth = params.growth if mode == "replayed" else params.joined_growth
        size = 1.0 + 1.0 / growth + params.tail
    return size * (1.0 + params.group_restarts / 100)


def cold_copy(folder: Path, into: Path) -> Path:
    target = into / folder.name
    target.mkdir(parents=True)
    for path in folder.iterdir():
        if path.name not in ("votes.csv", "stats-history.csv"):
            shutil.copy(path, target / path.name)
    return target


def ari(ids: np.ndarray, labels: np.ndarray, published: dict[int, int]) -> float:
    from sklearn.metrics import adjusted_rand_score

    pairs = [(published[p], g) for p, g in zip(ids.tolist(), labels.tolist(), strict=True)
             if p in published and g >= 0]  # fmt: skip
    return float(adjusted_rand_score([a for a, _ in pairs], [b for _, b in pairs]))


def ours(export: Any, params: Any) -> tuple[int, float, float]:
    from commonground.opendata.polis_replay import replay_history

    start = time.perf_counter()
    result, _ = replay_history(export, params=params)
    seconds = time.perf_counter() - start
    return (
        result.k,
        ari(result.participant_ids, result.group_labels, export.published_groups),
        seconds,
    )


def reddwarf(export: Any) -> tuple[int, float]:
    from reddwarf.implementations.polis import run_pipeline

    m = export.matrix
    per_row = np.diff(m.indptr)
    votes = [
        {"participant_id": int(p), "statement_id": int(s), "vote": int(v)}
        for p, s, v in zip(
            np.repeat(m.participant_ids, per_row).tolist(),
            m.statement_ids[m.indices].tolist(),
            m.values.tolist(),
            strict=True,
        )
    ]
    red = run_pipeline(votes=votes, mod_out_statement_ids=export.moderated_out, random_state=0)
    labels = red.participants_df["cluster_id"].dropna()
    ids = np.asarray([int(i) for i in labels.index])
    return len(set(labels.tolist())), ari(
        ids, labels.to_numpy().astype(np.int64), export.published_groups
    )


def measure() -> dict[str, Any]:
    """Every rule set on every conversation in both modes, red-dwarf, 'before' and the
    shipped default."""
    from commonground.opendata.polis_export import load_polis_export
    from commonground.opendata.polis_replay import ReplayParams

    before = {
        "replayed": ReplayParams(growth=0.0, tail=0, group_restarts=0),
        "cold": ReplayParams(group_restarts=0, joined_order=False),
    }
    # The defaults before the restart margin: growth 7, 10 restarts, margin 0.
    previous = {
        "replayed": ReplayParams(growth=7.0, group_restarts=10, group_restart_margin=0.0),
        "cold": ReplayParams(joined_growth=7.0, group_restarts=10, group_restart_margin=0.0),
    }
    out: dict[str, Any] = {
        "rules": {mode: [asdict(r) for r in grid(mode)] for mode in MODES},
        "conversations": {},
    }
    scratch = Path(tempfile.mkdtemp())
    for folder in sorted(p for p in DATA.iterdir() if p.is_dir()):
        entry: dict[str, Any] = {}
        for mode in MODES:
            source = folder if mode == "replayed" else cold_copy(folder, scratch / mode)
            export = load_polis_export(source, published=True)
            red_k, red_ari = reddwarf(export)
            entry[mode] = {
                "polis_k": int(export.summary.get("groups", 0)),
                "reddwarf": [red_k, red_ari],
                "before": list(ours(export, before[mode])),
                "previous": list(ours(export, previous[mode])),
                "default": list(ours(export, ReplayParams())),
                "rules": [list(ours(export, r)) for r in grid(mode)],
            }
            print(f"{folder.name} {mode}: done", file=sys.stderr, flush=True)
        out["conversations"][folder.name] = entry
    shutil.rmtree(scratch, ignore_errors=True)
    return out


def _rules(results: dict[str, Any], mode: str) -> list[Any]:
    from commonground.opendata.polis_replay import ReplayParams

    return [ReplayParams(**r) for r in results["rules"][mode]]


def choose(results: dict[str, Any], mode: str, names: list[str]) -> int:
    """Index of the rule set scoring best on ``names``: most group counts equal to
    Polis's, then the highest mean ARI (to 3 decimals); among rule sets tied on both,
    the one whose neighbouring restart margins score best too (the middle of a
    plateau rather than its edge; the same rule for every held-out conversation),
    then the one farther inside its plateau of equal scores (``_inside``: a margin at
    the grid's edge is at its plateau's edge), then the lowest cost."""
    rules = _rules(results, mode)
    rows = [results["conversations"][n][mode] for n in names]

    def base(i: int) -> tuple[int, float]:
        matches = sum(r["rules"][i][0] == r["polis_k"] for r in rows)
        mean = sum(r["rules"][i][1] for r in rows) / len(rows)
        return (matches, round(mean, 3))

    def score(i: int) -> tuple[int, float, float, int, float]:
        near = [base(j) for j in _neighbours(rules, i)]
        plateau = sum(m + a for m, a in near) / len(near)
        return (*base(i), round(plateau, 4), _inside(rules, i, base), -cost(rules[i], mode))

    return max(range(len(rules)), key=score)


def report(results: dict[str, Any]) -> None:
    """The tables of docs/opinion-map.md, one per mode."""
    names = sorted(results["conversations"])
    for mode in MODES:
        rules = _rules(results, mode)
        print(f"\n### {mode}\n")
        print(f"best on all six: {_describe(rules[choose(results, mode, names)], mode)}\n")
        print(
            "| conversation | Polis k | before k | ARI | previous k | ARI | default k | ARI "
            "| leave-one-out k | ARI | rule set chosen on the other five | red-dwarf k | ARI |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        sums = {key: [0, 0.0] for key in ("before", "previous", "default", "loo", "red")}
        for held in names:
            row = results["conversations"][held][mode]
            pick = choose(results, mode, [n for n in names if n != held])
            figures = {
                "before": row["before"][:2],
                "previous": row.get("previous", [0, float("nan")])[:2],
                "default": row["default"][:2],
                "loo": row["rules"][pick][:2],
                "red": row["reddwarf"][:2],
            }
            for key, (k, a) in figures.items():
                sums[key][0] += int(k == row["polis_k"])
                sums[key][1] += a / len(names)
            cells = " | ".join(f"{k} | {a:.3f}" for k, a in list(figures.values())[:4])
            red_k, red_ari = figures["red"]
            print(
                f"| {held} | {row['polis_k']} | {cells} | {_describe(rules[pick], mode)} "
                f"| {red_k} | {red_ari:.3f} |"
            )
        totals = " | ".join(
            f"{sums[k][0]}/6 | {sums[k][1]:.3f}" for k in ("before", "previous", "default", "loo")
        )
        print(f"| **k equal to Polis's, mean ARI** | | {totals} | | {sums['red'][0]}/6 "
              f"| {sums['red'][1]:.3f} |")  # fmt: skip


def _describe(r: Any, mode: str) -> str:
    if mode == "cold" and not r.joined_order:
        return f"single cold run, {_restarts(r)}"
    growth = r.growth if mode == "replayed" else r.joined_growth
    return f"growth {growth:g}, {_restarts(r)}"


def _restarts(r: Any) -> str:
    if r.group_restarts == 0:
        return "no restarts"
    return f"restarts {r.group_restarts}, margin {r.group_restart_margin:g}"


def main(argv: list[str]) -> int:
    """Measure (or read ``--from FILE``), save to ``--save FILE``, print the tables."""
    if "--from" in argv:
        results = json.loads(Path(argv[argv.index("--from") + 1]).read_text())
    else:
        results = measure()
    if "--save" in argv:
        Path(argv[argv.index("--save") + 1]).write_text(json.dumps(results))
    report(results)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main(sys.argv[1:]))
