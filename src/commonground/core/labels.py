"""The six stakeholder groups' and the UN regions' names in the active language.

``commonground.stakeholders`` holds the English names (marked for the catalogs, with no
Django there); every page, e-mail, feed and chart shows them through these functions.
"""

from __future__ import annotations

from django.utils.functional import lazy
from django.utils.translation import gettext

from commonground.stakeholders import GROUP_LABELS, GROUP_SHORT, REGION_LABELS, REGION_SHORT


def group_label(group: str) -> str:
    """The stakeholder group's name ("Civil society"); the code itself when unknown."""
    return gettext(GROUP_LABELS[group]) if group in GROUP_LABELS else group


def group_short(group: str) -> str:
    """The group's short name for charts and narrow columns."""
    return gettext(GROUP_SHORT[group]) if group in GROUP_SHORT else group


def region_label(region: str) -> str:
    """The UN regional group's name; the code itself when unknown."""
    return gettext(REGION_LABELS[region]) if region in REGION_LABELS else region


def region_short(region: str) -> str:
    """The UN regional group's short name for charts."""
    return gettext(REGION_SHORT[region]) if region in REGION_SHORT else region


# For choices and form fields declared at import time: translated when shown.
group_label_lazy = lazy(group_label, str)
region_label_lazy = lazy(region_label, str)
