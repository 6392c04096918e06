"""Dates and language names on the pages are written the way the reader's language writes
them: "j M Y" gave "11 Nov 2026" on a French page and "11 十一月 2026" on a Chinese one, and
a French page said "Rédigé en Anglais"."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from commonground.issues.models import Issue

pytestmark = pytest.mark.django_db

MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre"]  # fmt: skip


def test_an_issue_page_writes_its_date_in_the_readers_language(
    issue: Issue, anonymous: Client
) -> None:
    day = timezone.localtime(issue.raised_at)
    url = issue.get_absolute_url() + "?stay=1"
    chinese = anonymous.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f"{day.year}年{day.month}月{day.day}日" in chinese
    french = anonymous.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert f"{day.day} {MONTHS_FR[day.month - 1]} {day.year}" in french


def test_a_language_named_inside_a_sentence_is_lowercase_where_the_language_writes_it_so(
    issue: Issue, anonymous: Client
) -> None:
    url = issue.get_absolute_url() + "?stay=1"
    assert "Rédigé en anglais" in anonymous.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Escrito en inglés" in anonymous.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Written in English" in anonymous.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
