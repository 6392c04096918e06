"""No input makes the API answer 500: generated bodies, query strings and paths.

Whatever is sent, the answer is a success or a 4xx JSON error with a message.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonground.issues.models import Issue
from tests.api.conftest import API, bearer
from tests.conftest import World

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
texts = st.text(max_size=250) | st.sampled_from(["", " ", "\x00", "SDG 18", "sdg-0", "x" * 201])
issue_bodies = st.fixed_dictionaries(
    {},
    optional={
        "title": texts | json_values,
        "description": texts | json_values,
        "topics": st.lists(texts, max_size=8) | json_values,
        "extra": json_values,
    },
)
join_bodies = st.fixed_dictionaries(
    {},
    optional={
        "stakeholder_group": st.sampled_from(["government", "pirates", ""]) | json_values,
        "country": st.text(max_size=3) | st.sampled_from(["KE", "ke", "XX", "K\x00"]),
        "affiliation": texts | json_values,
        "other_hats": st.lists(st.sampled_from(["civil_society", "pirates"]) | st.text()),
    },
)
raw_bodies = st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode())


# One client for all examples: building a client loads the middleware (and WhiteNoise
# scans the static files), which would dominate the run time.
CLIENT = Client()


def _check(response: Any) -> None:
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert response["Content-Type"].startswith("application/json")
        detail = response.json()["detail"]
        assert isinstance(detail, str)
        assert detail


@FUZZ
@given(body=issue_bodies | json_values)
def test_no_issue_body_causes_a_server_error(world: World, issue: Issue, body: Any) -> None:
    author = bearer(world.member["civil_society"])
    for method, path in (("post", "/forums/kenya-igf/issues"), ("patch", f"/issues/{issue.pk}")):
        call = getattr(CLIENT, method)
        _check(call(f"{API}{path}", json.dumps(body), content_type="application/json", **author))


@FUZZ
@given(body=join_bodies | json_values)
def test_no_join_body_causes_a_server_error(world: World, body: Any) -> None:
    response = CLIENT.post(
        f"{API}/forums/africa-igf/join",
        json.dumps(body),
        content_type="application/json",
        **bearer(world.outsider),
    )
    _check(response)


@FUZZ
@given(raw=raw_bodies)
def test_no_raw_body_causes_a_server_error(world: World, issue: Issue, raw: bytes) -> None:
    headers = bearer(world.member["government"])
    for path in (
        "/forums/kenya-igf/issues",
        "/forums/kenya-igf/join",
        f"/issues/{issue.pk}/support",
    ):
        response = CLIENT.post(f"{API}{path}", raw, content_type="application/json", **headers)
        _check(response)


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(["q", "topic", "group", "region", "cycle", "sort", "limit", "offset"]),
        st.text(max_size=30) | st.integers().map(str),
    )
)
def test_no_query_string_causes_a_server_error(world: World, params: dict[str, str]) -> None:
    _check(CLIENT.get(f"{API}/forums/kenya-igf/issues?{urlencode(params)}"))


@FUZZ
@given(segment=st.text(min_size=1, max_size=80))
def test_no_path_segment_causes_a_server_error(world: World, segment: str) -> None:
    quoted = quote(segment, safe="")
    for path in (f"/forums/{quoted}", f"/forums/{quoted}/issues", f"/forums/{quoted}/cycles",
                 f"/issues/{quoted}", f"/participants/{quoted}"):  # fmt: skip
        response = CLIENT.get(f"{API}{path}")
        assert response.status_code < 500, (path, response.content)
