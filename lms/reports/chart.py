"""The cumulative chart of a target, drawn on the server as inline SVG: no script, scales with
its container (a phone's width too), prints as drawn. Words come in translated."""
from __future__ import annotations

from datetime import date

from markupsafe import Markup, escape

# (width, height, left margin, css class): a wide drawing for screens and paper, a narrow one for phones
SIZES = {"wide": (640, 300, 56, "chart chart-wide"), "narrow": (360, 300, 44, "chart chart-narrow")}
RIGHT, TOP, BOTTOM = 12, 20, 36


def _nice_top(value: float) -> int:
    """A round number at or above value (1, 2, 2.5, 5 × 10^n)."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * magnitude >= value:
            return int(step * magnitude)
    return int(10 * magnitude)


def _fmt(n: float) -> str:
    return f"{int(round(n)):,}"


def cumulative_chart(points: list[tuple[date, int]], target: int, start: date, deadline: date, today: date,
                     projected: int | None, labels: dict[str, str]) -> Markup:
    """Both drawings (CSS shows the one that fits). points: (day, value) in order; labels: title,
    target, deadline, today, projected (translated)."""
    return Markup("").join(_draw(size, points, target, start, deadline, today, projected, labels) for size in SIZES)


def _draw(size: str, points, target, start, deadline, today, projected, labels) -> Markup:
    W, H, LEFT, css = SIZES[size]  # noqa: N806 - the drawing's constants
    end = max(deadline, points[-1][0] if points else deadline)
    span = max(1, (end - start).days)
    top = _nice_top(max([target, projected or 0, *[v for _d, v in points]]) * 1.08)
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(day: date) -> float:
        return LEFT + plot_w * min(max((day - start).days, 0), span) / span

    def y(value: float) -> float:
        return TOP + plot_h * (1 - value / top)

    parts = [f'<svg class="{css}" viewBox="0 0 {W} {H}" role="img" aria-label="{escape(labels["title"])}" '
             f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">',
             f'<title>{escape(labels["title"])}</title>']
    for i in range(5):  # grid and y ticks
        value = top * i / 4
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{W - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}"/>')
        parts.append(f'<text class="tick" x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{_fmt(value)}</text>')
    for year in range(start.year, end.year + 2):  # x ticks: each 1 January
        day = date(year, 1, 1)
        if start <= day <= end:
            parts.append(f'<line class="grid" x1="{x(day):.1f}" x2="{x(day):.1f}" y1="{TOP}" y2="{H - BOTTOM}"/>')
            parts.append(f'<text class="tick" x="{x(day):.1f}" y="{H - BOTTOM + 16}" text-anchor="middle">{year}</text>')
    parts.append(f'<line class="axis" x1="{LEFT}" x2="{W - RIGHT}" y1="{H - BOTTOM}" y2="{H - BOTTOM}"/>')
    # the target: a horizontal dashed line, and the deadline
    parts.append(f'<line class="target" x1="{LEFT}" x2="{W - RIGHT}" y1="{y(target):.1f}" y2="{y(target):.1f}"/>')
    parts.append(f'<text class="label target-label" x="{LEFT + 4}" y="{y(target) - 5:.1f}">'
                 f'{escape(labels["target"])} {_fmt(target)}</text>')
    parts.append(f'<line class="deadline" x1="{x(deadline):.1f}" x2="{x(deadline):.1f}" y1="{TOP}" y2="{H - BOTTOM}"/>')
    anchor = "end" if x(deadline) > W * 0.6 else "start"
    dx = -4 if anchor == "end" else 4
    parts.append(f'<text class="label" x="{x(deadline) + dx:.1f}" y="{TOP + 12}" text-anchor="{anchor}">'
                 f'{escape(labels["deadline"])} {deadline.isoformat()}</text>')
    if points:
        line = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in points)
        area = f"{x(points[0][0]):.1f},{y(0):.1f} {line} {x(points[-1][0]):.1f},{y(0):.1f}"
        parts.append(f'<polygon class="area" points="{area}"/>')
        parts.append(f'<polyline class="actual" points="{line}"/>')
        last_day, last = points[-1]
        if projected is not None and today < deadline:
            parts.append(f'<line class="projection" x1="{x(last_day):.1f}" y1="{y(last):.1f}" '
                         f'x2="{x(deadline):.1f}" y2="{y(projected):.1f}"/>')
            parts.append(f'<text class="label" x="{x(deadline) - 4:.1f}" y="{y(projected) - 6:.1f}" text-anchor="end">'
                         f'{escape(labels["projected"])} {_fmt(projected)}</text>')
        parts.append(f'<circle class="now" cx="{x(last_day):.1f}" cy="{y(last):.1f}" r="4"/>')
        anchor = "end" if x(last_day) > W / 2 else "start"
        dx = -8 if anchor == "end" else 8
        label_y = y(last) - 10 if y(last) > TOP + 40 else y(last) + 18
        parts.append(f'<text class="label value-label" x="{x(last_day) + dx:.1f}" y="{label_y:.1f}" '
                     f'text-anchor="{anchor}">{escape(labels["today"])} {_fmt(last)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above went through escape()
