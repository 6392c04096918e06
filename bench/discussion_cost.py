"""Cost of an issue page with a long discussion, one request at a time.

    uv run python bench/discussion_cost.py [--n 40] [--comments 400]

On a scratch PostgreSQL database (as bench/load.py builds it), one issue gets
``--comments`` comments through the API (one in six a reply to an earlier thread), then
it measures through Django's test client (the whole middleware stack, no network) the
application CPU of reading that issue's page:

* anonymous, right after a new comment on it (its contributions section renders, each
  thread it shows from this process's parts),
* as a member (nothing cached for members: the whole page renders every time).

The kinds alternate read by read; it prints each kind's median and mean and the page's
size. Run it in two trees one after the other, alternated, to compare them.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

# Run as a script (``python bench/discussion_cost.py``): this folder is on sys.path.
from scratch_site import like_load_servers

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--comments", type=int, default=400)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from bench.load import setup_database

    random.seed(19)
    plan = setup_database(members=160, issues=2, statements=5)
    from django.test import Client

    from commonground.ledger.sequencer import integrate_pending
    from commonground.participants.models import User

    tokens = plan["tokens"]
    issue = plan["issues"][0]
    api = Client()

    def auth(i: int) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {tokens[i % len(tokens)]}"}

    def post_comment(n: int, body: str, parent: int | None = None) -> int:
        response = api.post(
            f"/api/v1/issues/{issue}/comments",
            {"body": body, "parent": parent} if parent else {"body": body},
            content_type="application/json",
            **auth(n),
        )
        assert response.status_code == 201, (response.status_code, response.content[:300])
        return int(response.json()["id"])

    heads: list[int] = []
    for n in range(args.comments):
        body = f"A comment of the seeding, number {n}: *access* matters."
        if heads and n % 6 == 5:
            post_comment(n, body, random.choice(heads))
        else:
            heads.append(post_comment(n, body))
    integrate_pending()

    anonymous = Client()
    member = Client()
    member.force_login(User.objects.get(email="member7@load.example.org"))
    writes = [args.comments]

    def anonymous_after_comment() -> tuple[Client, str]:
        writes[0] += 1
        post_comment(writes[0], f"A comment under load {random.randint(1, 10**9)}.")
        anonymous.cookies.clear()
        return anonymous, f"/issues/{issue}/"

    def as_member() -> tuple[Client, str]:
        return member, f"/issues/{issue}/"

    kinds = {"anonymous after a comment": anonymous_after_comment, "member": as_member}
    for prepare in kinds.values():  # templates loaded, per-process memories warm
        client, url = prepare()
        assert client.get(url).status_code == 200
    cpu: dict[str, list[float]] = {kind: [] for kind in kinds}
    size: dict[str, int] = {}
    for _ in range(args.n):
        for kind, prepare in kinds.items():
            client, url = prepare()
            start = time.process_time()
            response = client.get(url)
            cpu[kind].append((time.process_time() - start) * 1000)
            assert response.status_code == 200, response.status_code
            size[kind] = len(response.content)
    results = {}
    for kind, values in cpu.items():
        median, mean = statistics.median(values), statistics.mean(values)
        results[kind] = {"median_ms": round(median, 2), "mean_ms": round(mean, 2)}
        results[kind]["bytes"] = size[kind]
        print(
            f"{kind:<28} app CPU median {median:7.2f} ms  mean {mean:7.2f} ms  "
            f"page {size[kind]} bytes",
            flush=True,
        )
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    like_load_servers(every_read_checks=True)  # each read after a comment: its render
    raise SystemExit(main())
