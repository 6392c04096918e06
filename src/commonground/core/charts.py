"""Server-rendered SVG bar charts with text alternatives.

The charts use SVG presentation attributes only (no style attributes), so they
render under a Content-Security-Policy without 'unsafe-inline'.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    colour: str
    note: str = ""


def bar_chart(bars: Sequence[Bar], *, title: str, unit: str = "", width: int = 400) -> SafeString:
    """A horizontal bar chart: one labelled row per bar, scaled to the largest value."""
    row = 26
    label_w = 178
    value_w = 58
    plot_w = width - label_w - value_w
    height = row * len(bars) + 8
    top = max((b.value for b in bars), default=0) or 1
    summary = "; ".join(f"{b.label}: {b.note or _fmt(b.value)}{unit}" for b in bars)
    parts = [
        format_html(
            '<svg class="chart" viewBox="0 0 {} {}" width="100%" role="img" '
            'aria-label="{}" preserveAspectRatio="xMinYMin meet">',
            width,
            height,
            f"{title}. {summary}",
        ),
        format_html("<title>{}</title>", title),
    ]
    for i, bar in enumerate(bars):
        y = 4 + i * row
        w = max(0.0, plot_w * bar.value / top)
        parts.append(
            format_html(
                '<text x="0" y="{}" class="chart-label" dominant-baseline="middle">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="#eef0f3"/>'
                '<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="{}"/>'
                '<text x="{}" y="{}" class="chart-value" dominant-baseline="middle">{}</text>',
                y + row / 2 - 2,
                bar.label,
                label_w,
                y + 3,
                plot_w,
                row - 10,
                label_w,
                y + 3,
                f"{w:.1f}",
                row - 10,
                bar.colour,
                label_w + plot_w + 8,
                y + row / 2 - 2,
                bar.note or f"{_fmt(bar.value)}{unit}",
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:.2f}"


def text_table_alt(bars: Sequence[Bar]) -> str:
    return escape(", ".join(f"{b.label} {b.note or _fmt(b.value)}" for b in bars))
