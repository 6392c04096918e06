"""Server-rendered SVG of a coherence chain and of the network view by UN region.

Presentation attributes only (no inline style), so the pictures render under the site's
Content-Security-Policy; every picture is ``role="img"`` with a label, and its page
carries the full text alternative beside it.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from commonground.core.labels import region_label, region_short
from commonground.network.coherence import Chain, Node
from commonground.stakeholders import REGIONS

BOX_W, BOX_H, GAP_X, ROW_H, PAD = 190, 70, 20, 120, 10
FORWARD = "#0072B2"
MERGE = "#D55E00"


def _short(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _two_lines(text: str, size: int) -> tuple[str, str]:
    """The words of ``text`` on at most two lines of ``size`` characters (the rest cut)."""
    first, words = "", text.split()
    while words and len(f"{first} {words[0]}".strip()) <= size:
        first = f"{first} {words.pop(0)}".strip()
    if not first:  # one word longer than a line
        return _short(text, size), ""
    return first, _short(" ".join(words), size)


def _node_lines(node: Node) -> list[str]:
    if node.agenda_rank is not None:
        figures = _("rank %(rank)s · B %(b).3f") % {
            "rank": node.agenda_rank,
            "b": node.balanced_support or 0,
        }
    else:
        figures = _("not on a published agenda")
    outcome = _("%(s)s sessions · %(m)s messages") % {"s": node.sessions, "m": node.messages}
    return [_short(node.title, 30), figures, outcome]


def _positions(chain: Chain) -> tuple[dict[str, tuple[int, int]], int, int]:
    rows = chain.levels()
    widest = max((len(nodes) for _, nodes in rows), default=1)
    width = max(2 * PAD + widest * (BOX_W + GAP_X) - GAP_X, 360)
    where: dict[str, tuple[int, int]] = {}
    for r, (_level, nodes) in enumerate(rows):
        used = len(nodes) * (BOX_W + GAP_X) - GAP_X
        left = (width - used) // 2
        for i, node in enumerate(nodes):
            where[node.key] = (left + i * (BOX_W + GAP_X), PAD + r * ROW_H)
    return where, width, PAD * 2 + len(rows) * ROW_H - (ROW_H - BOX_H)


def _edge(chain: Chain, where: dict[str, tuple[int, int]], kind: str, a: str, b: str) -> str:
    ax, ay = where[a]
    bx, by = where[b]
    colour = FORWARD if kind == "forward" else MERGE
    dash = "" if kind == "forward" else ' stroke-dasharray="6 4"'
    if ay == by:  # a merge within one forum: side to side
        x1, x2 = (ax + BOX_W, bx) if ax < bx else (ax, bx + BOX_W)
        y = ay + BOX_H // 2
        return (
            f'<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{colour}" stroke-width="2"'
            f'{dash} marker-end="url(#arrow-{kind})"/>'
        )
    x1, y1 = ax + BOX_W // 2, ay if ay > by else ay + BOX_H
    x2, y2 = bx + BOX_W // 2, by + BOX_H if ay > by else by
    return (
        f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour}" stroke-width="2"'
        f'{dash} marker-end="url(#arrow-{kind})"/>'
    )


def chain_svg(chain: Chain) -> SafeString:
    """The chain as a tree: the global forum on top, national forums at the bottom."""
    where, width, height = _positions(chain)
    defs = "".join(
        f'<marker id="arrow-{kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        f'fill="{colour}"/></marker>'
        for kind, colour in (("forward", FORWARD), ("merge", MERGE))
    )
    edges = "".join(_edge(chain, where, e.kind, e.source, e.target) for e in chain.edges)
    rtl = get_language_bidi()
    figures_dir = mark_safe(' direction="rtl"') if rtl else ""
    boxes = []
    for n, (key, (x, y)) in enumerate(where.items()):
        node = chain.nodes[key]
        lines = _node_lines(node)
        # The two lines of figures are in the reader's language: in Arabic they read right
        # to left from the box's right edge (the picture itself is drawn left to right).
        figures_x = x + BOX_W - 8 if rtl else x + 8
        # The box clips its text: a long name or a longer translation of the figures
        # stays inside it instead of running over the next box. The title says it whole.
        boxes.append(
            format_html(
                '<g><title>{}: {}</title><clipPath id="coherence-box-{}"><rect x="{}" y="{}" '
                'width="{}" height="{}"/></clipPath>'
                '<rect x="{}" y="{}" width="{}" height="{}" rx="6" fill="#ffffff" '
                'stroke="{}" stroke-width="{}"/><g clip-path="url(#coherence-box-{})">'
                '<text x="{}" y="{}" font-size="12" font-weight="bold" fill="#1b1f24">{}</text>'
                '<text x="{}" y="{}" font-size="11" fill="#1b1f24">{}</text>'
                '<text x="{}" y="{}" font-size="11" fill="#414a55"{}>{}</text>'
                '<text x="{}" y="{}" font-size="11" fill="#414a55"{}>{}</text></g></g>',
                node.forum_name,
                node.title,
                n,
                x + 4,
                y,
                BOX_W - 8,
                BOX_H,
                x,
                y,
                BOX_W,
                BOX_H,
                "#1b1f24" if node.is_focus else "#8a939e",
                3 if node.is_focus else 1,
                n,
                x + 8,
                y + 16,
                _short(node.forum_name, 23),
                x + 8,
                y + 32,
                lines[0],
                figures_x,
                y + 47,
                figures_dir,
                lines[1],
                figures_x,
                y + 62,
                figures_dir,
                lines[2],
            )
        )
    label = _("How this issue travelled across levels; the list below says the same in words.")
    # Drawn at its own size, never shrunk to the column: at 100 % of a phone's width a
    # chain of five forums side by side had 4-pixel text. A wider picture scrolls sideways
    # in its frame (.coherence-picture).
    return format_html(
        '<svg class="coherence-svg" dir="ltr" viewBox="0 0 {} {}" width="{}" height="{}" '
        'role="img" aria-label="{}" focusable="false"><defs>{}</defs>{}{}</svg>',
        width,
        height,
        width,
        height,
        label,
        mark_safe(defs),
        mark_safe(edges),
        format_html_join("", "{}", ((b,) for b in boxes)),
    )


def regions_svg(counts: dict[str, int], title: str) -> SafeString:
    """Five boxes, one per UN regional group, each shaded by its count (a map-like chart)."""
    top = max(counts.values(), default=0) or 1
    cells: Sequence[tuple[str, int]] = [(r, counts.get(r, 0)) for r in REGIONS]
    # Rough geography: the Americas left, Europe top middle, Africa below it, Asia right.
    spots = {
        "grulac": (10, 90), "weog": (130, 20), "eastern_european": (250, 20),
        "african": (190, 110), "asia_pacific": (370, 70),
    }  # fmt: skip
    parts = []
    for region, count in cells:
        x, y = spots[region]
        shade = 0.15 + 0.85 * count / top if count else 0.0
        # The chart's short name on two lines fits the box (the full name cut at one line
        # did not); the full name is the box's title.
        line1, line2 = _two_lines(str(region_short(region)), 15)
        parts.append(
            format_html(
                '<g><title>{}</title><rect x="{}" y="{}" width="110" height="70" rx="8" '
                'fill="{}" fill-opacity="{}" stroke="#1b1f24" stroke-width="1"/>'
                '<text x="{}" y="{}" font-size="11" fill="#1b1f24">{}</text>'
                '<text x="{}" y="{}" font-size="11" fill="#1b1f24">{}</text>'
                '<text x="{}" y="{}" font-size="20" font-weight="bold" fill="#1b1f24">{}</text>'
                "</g>",
                region_label(region),
                x,
                y,
                "#56B4E9",
                f"{shade:.2f}",
                x + 8,
                y + 17,
                line1,
                x + 8,
                y + 31,
                line2,
                x + 8,
                y + 58,
                count,
            )
        )
    return format_html(
        '<svg class="regions-svg" dir="ltr" viewBox="0 0 490 190" width="100%" role="img" '
        'aria-label="{}" focusable="false">{}</svg>',
        title,
        format_html_join("", "{}", ((p,) for p in parts)),
    )
