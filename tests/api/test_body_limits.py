"""Bounded answers to unbounded input: the body limit and the capped error detail (issue 11.4).

A request body over the documented limit is refused as JSON before anything reads it, and
a body that breaks the schema in many places gets the first few problems and a count,
not one line per problem: an error answer is never much larger than the limit on errors.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from commonground.api.middleware import MAX_BODY_BYTES
from commonground.api.router import MAX_PROBLEM_CHARS, MAX_PROBLEMS
from commonground.api.schemas import MAX_UNKNOWN_FIELDS
from tests.api.conftest import API, bearer, snapshot
from tests.conftest import World

pytestmark = pytest.mark.django_db

Post = Callable[[str], Any]

GOOD_ISSUE = {"title": "Cheaper data", "description": "Mobile data costs too much."}


def padded(size: int) -> str:
    """A JSON issue body of exactly ``size`` bytes (the padding is an unknown field)."""
    base = json.dumps({**GOOD_ISSUE, "pad": ""})
    body = json.dumps({**GOOD_ISSUE, "pad": "x" * (size - len(base))})
    assert len(body.encode()) == size
    return body


@pytest.fixture
def post_issue(world: World) -> Post:
    """POST a raw body to the forum's issues as a member (the token made beforehand)."""
    headers = bearer(world.member["government"])

    def post(body: str) -> Any:
        url = f"{API}/forums/{world.forum.slug}/issues"
        return Client().post(url, body, content_type="application/json", **headers)

    return post


def test_limits_are_documented() -> None:
    docs = Path("docs/api.md").read_text()
    assert MAX_BODY_BYTES == 512 * 1024
    assert "512 KiB" in docs and f"{MAX_BODY_BYTES:,}" in docs
    assert f"first {MAX_PROBLEMS} problems" in docs


def test_body_at_the_limit_is_read_and_one_byte_more_is_413_json(
    post_issue: Callable[[str], Any],
) -> None:
    before = snapshot()
    at_limit = post_issue(padded(MAX_BODY_BYTES))
    assert at_limit.status_code == 422  # read and validated: "pad" is not a field
    assert "pad" in at_limit.json()["detail"]
    over = post_issue(padded(MAX_BODY_BYTES + 1))
    assert over.status_code == 413
    assert over["Content-Type"].startswith("application/json")
    assert over.json() == {
        "detail": f"The request body is {MAX_BODY_BYTES + 1:,} bytes; the API accepts at most "
        f"{MAX_BODY_BYTES:,} bytes (512 KiB)."
    }
    assert snapshot() == before


def test_body_over_django_upload_limit_is_json_not_an_html_page(
    post_issue: Callable[[str], Any],
) -> None:
    response = post_issue(padded(3 * 1024 * 1024))
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")


def test_many_problems_give_the_first_few_and_a_count(post_issue: Post) -> None:
    body = {**GOOD_ISSUE, **{f"unknown{i}": i for i in range(MAX_UNKNOWN_FIELDS)}}
    before = snapshot()
    response = post_issue(json.dumps(body))
    assert response.status_code == 422
    data = response.json()
    assert len(data["errors"]) == MAX_PROBLEMS
    assert data["errors"][0] == {"field": "unknown0", "message": "Extra inputs are not permitted"}
    assert data["detail"].endswith(f"… and {MAX_UNKNOWN_FIELDS - MAX_PROBLEMS:,} more problems.")
    assert len(response.content) < 4_000
    assert snapshot() == before


def test_thousands_of_unknown_fields_are_one_problem(post_issue: Post) -> None:
    # One past the threshold, and far past it: one problem that counts them, not one each.
    for count in (MAX_UNKNOWN_FIELDS + 1, 20_000):
        body = {**GOOD_ISSUE, **{f"unknown{i}": i for i in range(count)}}
        response = post_issue(json.dumps(body))
        assert response.status_code == 422
        assert response.json()["errors"] == [
            {
                "field": "body",
                "message": f"{count:,} fields this route does not know, such as unknown0, "
                "unknown1, unknown2",
            }
        ]


def test_problems_up_to_the_cap_are_all_listed(post_issue: Post) -> None:
    body = {**GOOD_ISSUE, **{f"unknown{i}": i for i in range(MAX_PROBLEMS)}}
    data = post_issue(json.dumps(body)).json()
    assert len(data["errors"]) == MAX_PROBLEMS
    assert "more problem" not in data["detail"]
    one_more = {**body, "unknownx": 1}
    data = post_issue(json.dumps(one_more)).json()
    assert len(data["errors"]) == MAX_PROBLEMS
    assert data["detail"].endswith("… and 1 more problem.")


def test_a_long_field_name_is_cut_in_the_error(post_issue: Post) -> None:
    name = "k" * 100_000
    response = post_issue(json.dumps({**GOOD_ISSUE, name: 1}))
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert len(error["field"]) <= MAX_PROBLEM_CHARS and error["field"].endswith("…")
    assert len(response.content) < 2_000
