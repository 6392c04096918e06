"""A steward restores a hidden community translation of a solution or of a message from
the page that shows it, as for an issue's; nobody else is offered the restore."""

from __future__ import annotations

from typing import Any

import pytest

from commonground.contributions.models import Solution
from commonground.contributions.services.translations import SOLUTION
from commonground.issues import translating
from commonground.issues.models import Issue
from commonground.outcomes.models import Message
from commonground.outcomes.translations import MESSAGE
from tests.conftest import World
from tests.outcomes.conftest import agenda_issue, message  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_interface")]
OFFER = 'data-testid="hidden-translations"'


def _hidden(kind: translating.Kind, world: World, parent: Any, body: str) -> Any:
    added = translating.add_translation(
        kind, world.member["government"], parent, language="fr", title="Spectre ouvert",
        body=body,
    )  # fmt: skip
    return translating.moderate_translation(
        kind, world.steward, added, hide=True, reason="Off topic"
    )


def _restore_from_page(world: World, page_url: str, restore_url: str, hidden: Any) -> None:
    member = world.client_for(world.member["private_sector"])
    assert OFFER not in member.get(page_url).content.decode()
    steward = world.client_for(world.steward)
    page = steward.get(page_url).content.decode()
    assert OFFER in page and f'action="{restore_url}"' in page
    assert steward.post(restore_url, {"action": "restore", "reason": ""}).status_code == 400
    hidden.refresh_from_db()
    assert hidden.hidden
    done = steward.post(restore_url, {"action": "restore", "reason": "Checked, fine"})
    assert done.status_code == 302
    hidden.refresh_from_db()
    assert not hidden.hidden
    assert OFFER not in steward.get(page_url).content.decode()


def test_a_steward_restores_a_hidden_solution_translation_from_the_issue_page(
    world: World, issue: Issue, solution: Solution
) -> None:
    hidden = _hidden(SOLUTION, world, solution, "Des bandes.")
    url = f"/solution-translations/{hidden.pk}/moderate/"
    _restore_from_page(world, issue.get_absolute_url(), url, hidden)


def test_a_steward_restores_a_hidden_message_translation_from_the_message_page(
    world: World,
    message: Message,  # noqa: F811
) -> None:
    hidden = _hidden(MESSAGE, world, message, "Financement public.")
    url = f"/message-translations/{hidden.pk}/moderate/"
    _restore_from_page(world, message.get_absolute_url(), url, hidden)
