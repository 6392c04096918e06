"""No input makes the contribution routes answer 500: generated bodies for every write."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonground.contributions import services
from commonground.contributions.models import Solution
from commonground.issues.models import Issue
from tests.api.conftest import bearer, send
from tests.conftest import World

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=6,
)
texts = st.text(max_size=120) | st.sampled_from(
    ["", " ", "\x00", "KE", "ke", "XX", "ITU", "<b>", "x" * 41, "http://[", "javascript:1"]
)
urls = st.lists(texts | st.just("https://example.org/a") | st.just("ftp://x"), max_size=3)
fields = {
    "jurisdiction": texts | values,
    "priority": st.sampled_from(["low", "urgent", "huge", ""]) | values,
    "statement": texts | values,
    "title": texts | values,
    "description": texts | values,
    "actors": st.lists(texts, max_size=3) | values,
    "feasibility": st.sampled_from(["feasible", "unclear", "maybe"]) | values,
    "conditions": texts,
    "affected_groups": st.lists(st.sampled_from(["government", "aliens"]), max_size=3) | values,
    "evidence": urls | values,
    "body": texts | values,
    "stance": st.sampled_from(["in_favour", "against", "x"]) | values,
    "parent": st.integers() | values,
    "reason": st.sampled_from(["spam", "other", "nope"]) | values,
    "note": texts | values,
}
bodies = (
    st.dictionaries(st.sampled_from(sorted(fields)), st.just(None), max_size=5).flatmap(
        lambda keys: st.fixed_dictionaries({k: fields[k] for k in keys})
    )
    | values
)

ROUTES = [
    ("POST", "/issues/{issue}/signals", "government"),
    ("POST", "/issues/{issue}/signals", "intergovernmental"),
    ("POST", "/issues/{issue}/solutions", "civil_society"),
    ("POST", "/solutions/{solution}/advice", "academic_technical"),
    ("POST", "/issues/{issue}/comments", "private_sector"),
    ("POST", "/solutions/{solution}/comments", "private_sector"),
    ("POST", "/comments/{comment}/reports", "government"),
    ("PATCH", "/comments/{comment}", "civil_society"),
    ("PATCH", "/solutions/{solution}", "civil_society"),
]


@pytest.mark.parametrize(("method", "path", "group"), ROUTES)
def test_no_body_makes_a_500(
    world: World, issue: Issue, solution: Solution, method: str, path: str, group: str
) -> None:
    comment = services.add_comment(world.member["civil_society"], issue=issue, body="Hi")
    headers = bearer(world.member[group])
    client = world.client_for(None)
    url = path.format(issue=issue.pk, solution=solution.pk, comment=comment.pk)

    @FUZZ
    @given(body=bodies)
    def check(body: Any) -> None:
        response = send(client, method, url, body, headers=headers)
        assert response.status_code < 500, (body, response.content)
        if response.status_code >= 400:
            assert json.loads(response.content)["detail"]

    check()
