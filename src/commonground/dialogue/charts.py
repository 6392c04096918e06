"""The opinion map as a server-rendered SVG (presentation attributes only: no inline
styles, so it renders under the site's Content-Security-Policy)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import ngettext

# Opinion groups get colours and shapes of their own, distinct from the six stakeholder
# colours (Paul Tol's colour-blind-safe set), and a letter that the page repeats.
GROUP_STYLE: tuple[tuple[str, str], ...] = (
    ("#332288", "circle"),
    ("#882255", "square"),
    ("#999933", "triangle"),
    ("#555555", "diamond"),
    ("#000000", "cross"),
)
WIDTH, HEIGHT, PAD = 480, 320, 24


def group_letter(g: int) -> str:
    return chr(ord("A") + g) if 0 <= g < 26 else str(g)


def group_colour(g: int) -> str:
    return GROUP_STYLE[g % len(GROUP_STYLE)][0]


def _marker(shape: str, x: float, y: float, colour: str, r: float = 3.2) -> str:
    if shape == "square":
        return (
            f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" '
            f'fill="{colour}" fill-opacity="0.7"/>'
        )
    if shape == "triangle":
        pts = f"{x:.1f},{y - r - 0.6:.1f} {x - r:.1f},{y + r:.1f} {x + r:.1f},{y + r:.1f}"
        return f'<polygon points="{pts}" fill="{colour}" fill-opacity="0.7"/>'
    if shape == "diamond":
        pts = f"{x:.1f},{y - r:.1f} {x + r:.1f},{y:.1f} {x:.1f},{y + r:.1f} {x - r:.1f},{y:.1f}"
        return f'<polygon points="{pts}" fill="{colour}" fill-opacity="0.7"/>'
    if shape == "cross":
        return (
            f'<path d="M{x - r:.1f} {y - r:.1f}L{x + r:.1f} {y + r:.1f}M{x - r:.1f} {y + r:.1f}'
            f'L{x + r:.1f} {y - r:.1f}" stroke="{colour}" stroke-width="1.6"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour}" fill-opacity="0.7"/>'


def opinion_map_svg(
    points: Sequence[Sequence[float]],
    sizes: Sequence[int],
    *,
    highlight: int | None = None,
) -> SafeString:
    """Participants at their 2-D positions, by opinion group; ``highlight`` (an index
    into ``points``) is ringed as "you". ``points`` rows are ``[x, y, group]``."""
    k = len(sizes)
    summary = ngettext(
        "Opinion map: %(people)s participants placed by how they vote, in %(k)s opinion group",
        "Opinion map: %(people)s participants placed by how they vote, in %(k)s opinion groups",
        k,
    ) % {"people": len(points), "k": k}
    if k:
        summary += ": " + "; ".join(
            ngettext(
                "group %(letter)s, %(n)s participant", "group %(letter)s, %(n)s participants", n
            )
            % {"letter": group_letter(g), "n": n}
            for g, n in enumerate(sizes)
        )
    summary += "."
    xs = [p[0] for p in points] or [0.0]
    ys = [p[1] for p in points] or [0.0]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    scale = min((WIDTH - 2 * PAD) / span_x, (HEIGHT - 2 * PAD) / span_y)
    off_x = (WIDTH - scale * span_x) / 2 - scale * min(xs)
    off_y = (HEIGHT - scale * span_y) / 2 + scale * max(ys)

    def place(x: float, y: float) -> tuple[float, float]:
        return off_x + scale * x, off_y - scale * y  # y grows upwards on the map

    marks: list[str] = []
    sums: dict[int, list[float]] = {}
    for x, y, g in points:
        px, py = place(x, y)
        group = int(g)
        colour, shape = (
            GROUP_STYLE[group % len(GROUP_STYLE)] if group >= 0 else ("#aaaaaa", "circle")
        )
        marks.append(_marker(shape, px, py, colour))
        acc = sums.setdefault(group, [0.0, 0.0, 0.0])
        acc[0] += px
        acc[1] += py
        acc[2] += 1
    labels = []
    for g, (sx, sy, n) in sorted(sums.items()):
        if g < 0 or not n:
            continue
        labels.append(
            f'<text x="{sx / n:.1f}" y="{sy / n - 8:.1f}" text-anchor="middle" font-size="16" '
            f'font-weight="bold" fill="#ffffff" stroke="#ffffff" stroke-width="4">'
            f"{group_letter(g)}</text>"
            f'<text x="{sx / n:.1f}" y="{sy / n - 8:.1f}" text-anchor="middle" font-size="16" '
            f'font-weight="bold" fill="{group_colour(g)}">{group_letter(g)}</text>'
        )
    you = ""
    if highlight is not None and 0 <= highlight < len(points):
        hx, hy = place(points[highlight][0], points[highlight][1])
        you = (
            f'<circle cx="{hx:.1f}" cy="{hy:.1f}" r="8" fill="none" stroke="#D55E00" '
            f'stroke-width="2.5"/><text x="{hx + 11:.1f}" y="{hy + 4:.1f}" font-size="12" '
            f'fill="#000000">you</text>'
        )
    axes = (
        f'<line x1="{PAD / 2}" y1="{off_y:.1f}" x2="{WIDTH - PAD / 2}" y2="{off_y:.1f}" '
        f'stroke="#d0d4da" stroke-width="1"/>'
        f'<line x1="{off_x:.1f}" y1="{PAD / 2}" x2="{off_x:.1f}" y2="{HEIGHT - PAD / 2}" '
        f'stroke="#d0d4da" stroke-width="1"/>'
    )
    body = SafeString(axes + "".join(marks) + "".join(labels) + you)
    return format_html(
        '<svg class="opinion-map" dir="ltr" viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-label="{}" focusable="false" data-testid="opinion-map">'
        '<rect width="{}" height="{}" fill="#ffffff" stroke="#d0d4da"/>{}</svg>',
        WIDTH,
        HEIGHT,
        summary,
        WIDTH,
        HEIGHT,
        body,
    )


def group_marker(g: int) -> SafeString:
    """The group's mark on the map (colour and shape), as a small decorative icon."""
    colour, shape = GROUP_STYLE[g % len(GROUP_STYLE)]
    return format_html(
        '<svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false">'
        "{}</svg>",
        SafeString(_marker(shape, 7.0, 7.0, colour, r=5.5)),
    )


def share_bar(share: float, colour: str, width: int = 120) -> SafeString:
    """A small horizontal bar for a share in 0..1 (decorative: the number is beside it)."""
    w = max(0.0, min(1.0, share)) * 100
    return format_html(
        '<svg class="bar-svg" viewBox="0 0 100 10" width="{}" height="10" '
        'preserveAspectRatio="none" aria-hidden="true" focusable="false">'
        '<rect width="100" height="10" rx="1.5" fill="#eef0f3"/>'
        '<rect width="{}" height="10" rx="1.5" fill="{}"/></svg>',
        width,
        f"{w:.1f}",
        colour,
    )


__all__ = ["group_colour", "group_letter", "group_marker", "opinion_map_svg", "share_bar"]
