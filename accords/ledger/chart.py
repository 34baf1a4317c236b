"""The chart of an agreement's money over time, as server-rendered SVG: committed, obliged and
paid, cumulative by month, three step lines on one scale. Three polylines and their labels
are drawn here directly rather than through a charting library (which would bring a plotting
stack, or JavaScript, for what is a few lines of SVG)."""

from datetime import date

from django.utils.html import format_html, format_html_join

from accords.ledger.money import shown

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 240, 110, 20, 20, 40
LINES = (("committed", "#1f5f8b", 1), ("obliged", "#b8860b", 2), ("paid", "#2e7d32", 3))


def _points(series, index: int, top: int, x) -> str:
    y = lambda v: TOP + (HEIGHT - TOP - BOTTOM) * (1 - v / top)  # noqa: E731
    points, last = [], None
    for i, row in enumerate(series):
        if last is not None:
            points.append(f"{x(i):.1f},{y(last):.1f}")
        last = row[index]
        points.append(f"{x(i):.1f},{y(last):.1f}")
    points.append(f"{x(len(series)):.1f},{y(last):.1f}")
    return " ".join(points)


def money_chart(series: list[tuple[date, int, int, int]], currency: str) -> str:
    """`series`: (month, committed, obliged, paid), cumulative minor units."""
    if not series:
        return ""
    top = max(max(row[1:]) for row in series) or 1
    span = WIDTH - LEFT - RIGHT
    x = lambda i: LEFT + span * i / len(series)  # noqa: E731
    lines = format_html_join(
        "", '<polyline fill="none" stroke="{}" stroke-width="2" points="{}"><title>{}</title>'
        "</polyline>",
        ((colour, _points(series, i, top, x), name) for name, colour, i in LINES),
    )  # fmt: skip
    legend = format_html_join(
        "", '<text x="{}" y="{}" fill="{}">{}</text>',
        ((LEFT + 130 * n, HEIGHT - 8, colour, name) for n, (name, colour, _) in enumerate(LINES)),
    )  # fmt: skip
    months = format_html_join(
        "", '<text x="{}" y="{}" font-size="10">{}</text>',
        ((f"{x(i):.0f}", HEIGHT - BOTTOM + 14, row[0].strftime("%Y-%m"))
         for i, row in enumerate(series) if i % max(1, len(series) // 6) == 0),
    )  # fmt: skip
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" '
        'class="chart" aria-label="{label}"><line x1="{l}" y1="{b}" x2="{r}" y2="{b}" '
        'stroke="#999"/><text x="4" y="{t}" font-size="11">{top}</text>'
        '<text x="4" y="{b}" font-size="11">0</text>{lines}{months}{legend}</svg>',
        w=WIDTH, h=HEIGHT, l=LEFT, r=WIDTH - RIGHT, b=HEIGHT - BOTTOM, t=TOP + 4,
        top=shown(top, currency), lines=lines, months=months, legend=legend,
        label=f"Committed, obliged and paid over time, in {currency}",
    )  # fmt: skip
