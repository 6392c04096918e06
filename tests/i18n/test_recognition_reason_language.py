"""The recognition reason on the issue page and the agenda is written in the reader's
language, with each language's plurals, from the engine's codes and numbers."""

from __future__ import annotations

from html import unescape

import pytest
from django.test import Client
from django.utils import translation

from commonground.analysis.recognition.reason import Reason
from commonground.issues.models import Issue
from commonground.issues.services import raise_issue, support_issue
from commonground.recognition.reasons import reason_text
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _issue_backed_by(world: World, groups: tuple[str, ...]) -> Issue:
    world.forum.min_supporters = 1
    world.forum.save()
    issue = raise_issue(
        world.member["civil_society"], world.forum, title="Spectrum", description="Why."
    )
    for group in groups:
        support_issue(world.member[group], issue)
    return issue


def _reason_on(client: Client, url: str, language: str) -> str:
    html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    start = html.index('data-testid="recognition-reason"')
    return unescape(html[start : html.index("</p>", start)])


def test_two_groups_short_of_three_reads_needs_one_more_group_in_french_and_russian(
    world: World, anonymous: Client
) -> None:
    issue = _issue_backed_by(world, ("government", "private_sector"))
    url = issue.get_absolute_url()
    assert "Encore 1 groupe nécessaire" in _reason_on(anonymous, url, "fr")
    assert "Нужна ещё 1 группа" in _reason_on(anonymous, url, "ru")
    assert "Needs 1 more group" in _reason_on(anonymous, url, "en")


def test_the_third_group_makes_the_french_reason_say_recognized_and_rank_one(
    world: World, anonymous: Client
) -> None:
    issue = _issue_backed_by(world, ("government", "private_sector", "academic_technical"))
    reason = _reason_on(anonymous, issue.get_absolute_url(), "fr")
    assert "Reconnu par 3 sur 6 groupes ; à l'ordre du jour au rang 1 ; pas encore" in reason
    assert "nécessaire" not in reason


def test_the_agenda_page_gives_the_close_issue_s_reason_in_arabic(
    world: World, anonymous: Client
) -> None:
    _issue_backed_by(world, ("government", "private_sector"))
    other = raise_issue(world.member["civil_society"], world.forum, title="Other", description=".")
    support_issue(world.member["academic_technical"], other)  # a third group is active
    html = anonymous.get(
        f"/forums/{world.forum.slug}/agenda/", HTTP_ACCEPT_LANGUAGE="ar"
    ).content.decode()
    assert "تحتاج إلى 1 فئة إضافية" in html
    assert "needs 1 more group" not in html.lower()


def _needs(more_groups: int, clauses: tuple[tuple[tuple[str, ...], int], ...]) -> Reason:
    return Reason(
        recognized=False, breadth=3 - more_groups, n_groups=6, rank=0, slots=20,
        more_groups=more_groups, closest=clauses, silent=(),
    )  # fmt: skip


def test_russian_plurals_follow_the_number_one_two_and_five(db: None) -> None:
    with translation.override("ru"):
        assert reason_text(_needs(1, ())) == "Нужна ещё 1 группа."
        assert reason_text(_needs(2, ())) == "Нужны ещё 2 группы."
        five = reason_text(_needs(1, ((("private_sector",), 5),)))
    assert five.endswith("ближе всего: Частный сектор, ещё 5 сторонников.")


def test_arabic_uses_its_dual_and_chinese_its_own_punctuation(db: None) -> None:
    with translation.override("ar"):
        assert reason_text(_needs(2, ())) == "تحتاج إلى 2 فئتين إضافيتين."
    tied = _needs(1, ((("government", "civil_society"), 1),))
    with translation.override("zh-hans"):
        text = reason_text(tied)
    assert text.startswith("还需1个群体；最接近：") and text.endswith("各还需1名支持者。")
    assert "和" in text  # the two tied groups joined in Chinese, not with "and"


def test_a_recognized_issue_past_the_last_slot_says_so_in_spanish(db: None) -> None:
    below = Reason(
        recognized=True, breadth=3, n_groups=6, rank=0, slots=1, more_groups=0,
        closest=(), silent=("government",),
    )  # fmt: skip
    with translation.override("es"):
        text = reason_text(below)
    assert text.startswith("Reconocido por 3 de 6 grupos; reconocido pero fuera de 1 puesto")
    assert text.endswith("aún sin voz de: Gobierno.")
