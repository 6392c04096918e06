"""Template helpers: stakeholder-group names and colours, regions, charts.

Phase labels are the access layer's (``{% load access %}``, ``|phase_label``).
"""

from __future__ import annotations

from collections.abc import Mapping

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from commonground.core import labels
from commonground.core.charts import Bar, bar_chart
from commonground.core.percent import percent as percent_text
from commonground.stakeholders import (
    GROUP_COLOURS,
    GROUP_INITIALS,
    GROUPS,
    REGIONS,
)

register = template.Library()


@register.filter
def percent(fraction: float | int | str | None, places: int = 0) -> str:
    """A share (0 to 1) as a percentage in the page's language: ``{{ share|percent }}``
    ("67%", "67 %" in French), ``{{ share|percent:1 }}`` to one decimal ("2,5 %")."""
    if fraction is None or fraction == "":
        return ""
    return percent_text(fraction, int(places))


@register.simple_tag
def content_attrs(language: str | None = None) -> SafeString:
    """Attributes for an element holding text a member wrote: ``dir="auto"`` so that
    Arabic in an English page (or Latin text in an Arabic one) takes its own direction,
    and ``lang`` when the text's language is known and is not the page's."""
    if language and language != get_language():
        return format_html(' dir="auto" lang="{}"', language)
    return SafeString(' dir="auto"')


# Languages that write a language's name in lowercase inside a sentence ("Rédigé en
# anglais", "Escrito en inglés"); Django's names are capitalized, as at the head of a list.
LOWERCASE_LANGUAGE_NAMES = {"fr", "es"}


@register.filter
def in_sentence(language_name: str) -> str:
    """A language's name as it reads inside a sentence of the page's language."""
    if (get_language() or "").split("-")[0] in LOWERCASE_LANGUAGE_NAMES:
        return language_name[:1].lower() + language_name[1:]
    return language_name


@register.filter
def group_label(group: str) -> str:
    return labels.group_label(group)


@register.filter
def group_initials(group: str) -> str:
    return GROUP_INITIALS.get(group, group[:3].upper())


@register.filter
def group_colour(group: str) -> str:
    return GROUP_COLOURS.get(group, "#666666")


@register.filter
def region_label(region: str) -> str:
    return labels.region_label(region)


@register.filter
def get_item(mapping: Mapping[str, object], key: str) -> object:
    return mapping.get(key) if mapping else None


@register.simple_tag
def group_chart(counts: Mapping[str, int], title: str, unit: str = "") -> SafeString:
    """Bars for all six stakeholder groups, in the fixed order, with their colours."""
    bars = [
        Bar(f"{GROUP_INITIALS[g]} · {labels.group_short(g)}", counts.get(g, 0), GROUP_COLOURS[g])
        for g in GROUPS
    ]
    return bar_chart(bars, title=title, unit=unit)


@register.simple_tag
def region_chart(counts: Mapping[str, int], title: str) -> SafeString:
    bars = [Bar(labels.region_short(r), counts.get(r, 0), "#4a5568") for r in REGIONS]
    return bar_chart(bars, title=title)


@register.inclusion_tag("core/includes/group_badge.html")
def group_badge(group: str, verified: bool = False) -> dict[str, object]:
    return {
        "group": group,
        "label": labels.group_label(group),
        "initials": GROUP_INITIALS.get(group, ""),
        "verified": verified,
    }


@register.simple_tag
def mini_group_bar(counts: Mapping[str, int], width: int = 240) -> SafeString:
    """A thin stacked bar of supports by group (decorative; the numbers are shown beside it)."""
    from django.utils.safestring import mark_safe

    total = sum(counts.get(g, 0) for g in GROUPS) if counts else 0
    parts = [format_html('<svg class="mini" width="{}" height="6" aria-hidden="true">', width)]
    x = 0.0
    for g in GROUPS:
        w = width * counts.get(g, 0) / total if total else 0
        if w:
            parts.append(
                format_html(
                    '<rect x="{}" width="{}" height="6" fill="{}"/>',
                    f"{x:.1f}",
                    f"{w:.1f}",
                    GROUP_COLOURS[g],
                )
            )
        x += w
    if not total:
        parts.append(format_html('<rect width="{}" height="6" fill="#eef0f3"/>', width))
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))


@register.simple_tag
def rate_bar(value: float, group: str, width: int = 120) -> SafeString:
    """A small bar for a rate in [0, 1] in the group's colour (numbers are printed beside it)."""

    w = max(0.0, min(1.0, float(value))) * width
    return format_html(
        '<svg class="bar" width="{}" height="8" aria-hidden="true"><rect width="{}" height="8" '
        'rx="2" fill="#eef0f3"/><rect width="{}" height="8" rx="2" fill="{}"/></svg>',
        width,
        width,
        f"{w:.1f}",
        GROUP_COLOURS.get(group, "#666"),
    )
