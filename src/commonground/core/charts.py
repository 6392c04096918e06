"""Bar charts rendered on the server, readable without JavaScript or CSS.

Labels and values are HTML text (so they keep their size on a phone); only the bars
are small SVGs, drawn with presentation attributes so that they render under a
Content-Security-Policy without 'unsafe-inline'. The whole chart carries a text
alternative listing every value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    colour: str
    note: str = ""


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:.2f}"


def bar_chart(bars: Sequence[Bar], *, title: str, unit: str = "") -> SafeString:
    """A horizontal bar chart: one labelled row per bar, scaled to the largest value."""
    top = max((b.value for b in bars), default=0) or 1
    summary = "; ".join(f"{b.label}: {b.note or _fmt(b.value)}{unit}" for b in bars)
    rows = format_html_join(
        "",
        '<div class="bar-row" aria-hidden="true"><span class="bar-label">{}</span>'
        '<svg class="bar-svg" viewBox="0 0 100 10" preserveAspectRatio="none" focusable="false">'
        '<rect width="100" height="10" rx="1.5" fill="#eef0f3"/>'
        '<rect width="{}" height="10" rx="1.5" fill="{}"/></svg>'
        '<span class="bar-value">{}</span></div>',
        (
            (
                b.label,
                f"{max(0.0, 100 * b.value / top):.2f}",
                b.colour,
                b.note or f"{_fmt(b.value)}{unit}",
            )
            for b in bars
        ),
    )
    return format_html(
        '<div class="bars" role="img" aria-label="{}">{}</div>', f"{title}. {summary}", rows
    )
