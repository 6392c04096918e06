"""Percentages in user-facing text, written as the reader's language writes them: the
number through Django's localization (a decimal comma in French) and the sign placed by
the catalogs ("5 %" in French, with a no-break space; "5%" in English)."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext


def percent(fraction: float | int | str, places: int = 0) -> str:
    """A share between 0 and 1 as a percentage rounded to ``places`` decimals (a zero
    fraction dropped: 0.4 is "40%", 0.125 with one place "12.5%")."""
    value = round(float(fraction) * 100, places)
    number = formats.number_format(int(value) if value.is_integer() else value)
    return gettext("%(number)s%%") % {"number": number}
