"""Locust users of ``bench/load.py`` (run by it: ``locust -f bench/load_users.py``).

The site under test and its members are described by the JSON file named in
``CG_LOAD_PLAN`` (written by ``bench/load.py``): the forum, the hot issues, the
conversation and its statements, and one API token per member. Each simulated user takes
the next member, so no two users act as the same member; ``CG_LOAD_FIRST_MEMBER`` says
where a run starts among them (bench/load.py moves it on for each run, so that one
member's writes are spread over the bench's members rather than piled on the first few:
a member posts at most 40 comments an hour, and repeated runs on the first 32 members
reached that limit). The mixed day's comments come from the whole membership, one member
drawn at random for each: 32 users that never pause each make hundreds of requests in a
run, unequally (each keeps one connection to one server thread), and with comments made
cheap the busiest of them reached the 40-an-hour limit within one 20-second round, which
no member of a real forum's day does. ``CG_LOAD_BUDGET`` bounds the
requests of a run: the runner stops once that many were made (``--run-time`` bounds time).
"""

from __future__ import annotations

import itertools
import json
import os
import random
from pathlib import Path
from typing import Any

import gevent
from locust import FastHttpUser, constant, events, task

PLAN: dict[str, Any] = json.loads(Path(os.environ["CG_LOAD_PLAN"]).read_text(encoding="utf-8"))
BUDGET = int(os.environ.get("CG_LOAD_BUDGET", "0") or 0)
_members = itertools.count(int(os.environ.get("CG_LOAD_FIRST_MEMBER", "0") or 0))
_made = itertools.count(1)
_EVERY_MEMBER = [{"Authorization": f"Bearer {token}"} for token in PLAN["tokens"]]


_environment: Any = None


@events.request.add_listener
def _stop_at_budget(**kwargs: Any) -> None:
    if BUDGET and next(_made) == BUDGET:
        gevent.spawn(_environment.runner.quit)


@events.init.add_listener
def _keep(environment: Any, **kwargs: Any) -> None:
    global _environment
    _environment = environment


class Member(FastHttpUser):
    """A member with an API token; subclasses say what the member does."""

    abstract = True
    wait_time = constant(0)

    def on_start(self) -> None:
        tokens = PLAN["tokens"]
        self.token = tokens[next(_members) % len(tokens)]
        self.auth = {"Authorization": f"Bearer {self.token}"}
        self.supported: set[int] = set()

    def toggle_support(self, issue: int) -> None:
        """Support the issue, or withdraw when this member supports it already."""
        url = f"/api/v1/issues/{issue}/support"
        if issue in self.supported:
            self.client.delete(url, headers=self.auth, name="withdraw support")
            self.supported.discard(issue)
        else:
            self.client.post(url, headers=self.auth, name="support")
            self.supported.add(issue)

    def vote(self) -> None:
        conversation = PLAN["conversation"]
        body = {"statement": random.choice(PLAN["statements"]), "vote": random.choice((-1, 0, 1))}
        self.client.post(
            f"/api/v1/conversations/{conversation}/votes",
            json=body,
            headers=self.auth,
            name="vote",
        )


class MinimalView(FastHttpUser):
    """Baseline: a minimal Django view (bench-only URLconf)."""

    wait_time = constant(0)

    @task
    def minimal(self) -> None:
        self.client.get("/bench/minimal", name="minimal view")


class FloorWrite(FastHttpUser):
    """Baseline: one indexed read and one insert in a transaction (bench-only URLconf)."""

    wait_time = constant(0)

    @task
    def floor(self) -> None:
        self.client.post("/bench/floor-write", name="floor write")


class SupportStorm(Member):
    """Members supporting and withdrawing on a few hot issues."""

    @task
    def storm(self) -> None:
        self.toggle_support(random.choice(PLAN["hot_issues"]))


class VoteStorm(Member):
    """A conversation with many voters."""

    @task
    def storm(self) -> None:
        self.vote()


class MixedDay(Member):
    """Reads of the agenda, issue pages and lists, with 10 % writes."""

    @task(18)
    def agenda(self) -> None:
        self.client.get(f"/forums/{PLAN['forum']}/agenda/", name="read: agenda page")

    @task(18)
    def agenda_api(self) -> None:
        self.client.get(f"/api/v1/forums/{PLAN['forum']}/agenda", name="read: agenda API")

    @task(18)
    def issue_page(self) -> None:
        issue = random.choice(PLAN["issues"])
        self.client.get(f"/issues/{issue}/", name="read: issue page")

    @task(18)
    def issue_list(self) -> None:
        self.client.get(f"/forums/{PLAN['forum']}/issues/", name="read: issue list")

    @task(18)
    def issue_api(self) -> None:
        issue = random.choice(PLAN["issues"])
        self.client.get(f"/api/v1/issues/{issue}", name="read: issue API")

    @task(4)
    def support(self) -> None:
        self.toggle_support(random.choice(PLAN["issues"]))

    @task(3)
    def comment(self) -> None:
        issue = random.choice(PLAN["issues"])
        body = {"body": f"A comment under load {random.randint(1, 10**9)}."}
        author = random.choice(_EVERY_MEMBER)  # see the module's docstring
        self.client.post(
            f"/api/v1/issues/{issue}/comments", json=body, headers=author, name="comment"
        )

    @task(3)
    def vote_task(self) -> None:
        self.vote()
