"""The 17 Sustainable Development Goals, offered as topic tags (``sdg-1`` … ``sdg-17``).

A topic's stored label is English (the API and the open data carry it); pages show the
goal's UN short title in the reader's language (``sdg_label_translated``).
"""

from __future__ import annotations

from typing import Final

from django.utils.translation import gettext, gettext_noop

SDG_TITLES: Final[dict[int, str]] = {
    # Translators: the UN's official short title of the Sustainable Development Goal.
    1: gettext_noop("No poverty"),
    2: gettext_noop("Zero hunger"),
    3: gettext_noop("Good health and well-being"),
    4: gettext_noop("Quality education"),
    5: gettext_noop("Gender equality"),
    6: gettext_noop("Clean water and sanitation"),
    7: gettext_noop("Affordable and clean energy"),
    8: gettext_noop("Decent work and economic growth"),
    9: gettext_noop("Industry, innovation and infrastructure"),
    10: gettext_noop("Reduced inequalities"),
    11: gettext_noop("Sustainable cities and communities"),
    12: gettext_noop("Responsible consumption and production"),
    13: gettext_noop("Climate action"),
    14: gettext_noop("Life below water"),
    15: gettext_noop("Life on land"),
    16: gettext_noop("Peace, justice and strong institutions"),
    17: gettext_noop("Partnerships for the goals"),
}


def sdg_slug(number: int) -> str:
    return f"sdg-{number}"


def sdg_label(number: int) -> str:
    return f"SDG {number}: {SDG_TITLES[number]}"


def sdg_label_translated(number: int) -> str:
    """The goal's label in the active language ("ODD 9 : Industrie, innovation et ...")."""
    # Translators: a Sustainable Development Goal's number and UN short title ("SDG 9: ...").
    return gettext("SDG %(number)s: %(title)s") % {
        "number": number,
        "title": gettext(SDG_TITLES[number]),
    }
