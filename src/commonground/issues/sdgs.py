"""The 17 Sustainable Development Goals, offered as topic tags (``sdg-1`` … ``sdg-17``)."""

from __future__ import annotations

from typing import Final

SDG_TITLES: Final[dict[int, str]] = {
    1: "No poverty",
    2: "Zero hunger",
    3: "Good health and well-being",
    4: "Quality education",
    5: "Gender equality",
    6: "Clean water and sanitation",
    7: "Affordable and clean energy",
    8: "Decent work and economic growth",
    9: "Industry, innovation and infrastructure",
    10: "Reduced inequalities",
    11: "Sustainable cities and communities",
    12: "Responsible consumption and production",
    13: "Climate action",
    14: "Life below water",
    15: "Life on land",
    16: "Peace, justice and strong institutions",
    17: "Partnerships for the goals",
}


def sdg_slug(number: int) -> str:
    return f"sdg-{number}"


def sdg_label(number: int) -> str:
    return f"SDG {number}: {SDG_TITLES[number]}"
