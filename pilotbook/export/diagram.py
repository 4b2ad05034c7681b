"""The Mermaid diagrams pilotbook writes, drawn as HTML for the HTML export.

A wiki that knows Mermaid draws the Markdown's diagrams itself; the HTML
file has no script and loads nothing, so it draws them here: a chain of
steps as a flow of boxes (HTML and CSS), a metric's chart as inline SVG.
Only the two shapes that pilotbook's own templates and scorecard write are
read back; anything else (a playbook's own template may hold any diagram)
returns None and stays a code block.

Labels are decoded from the entity codes `escape.mermaid_label` wrote and
then escaped for HTML, so an answer is text here too.
"""

from __future__ import annotations

import html
import itertools
import re

_NODE = re.compile(r'^(\w+)\["(.*)"\]$')
_EDGE = re.compile(r"^(\w+) --> (\w+)$")
_CODE = re.compile(r"#(\d{1,7}|quot|lt|gt|amp);")
_NAMED = {"quot": '"', "lt": "<", "gt": ">", "amp": "&"}
_QUOTED = re.compile(r'"([^"]*)"')
_NUMBERS = re.compile(r"^\[([^\]]*)\]$")


def _decode(label: str) -> str:
    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        if code in _NAMED:
            return _NAMED[code]
        n = int(code)
        return chr(n) if 0 < n <= 0x10FFFF and not 0xD800 <= n <= 0xDFFF else "\ufffd"

    return _CODE.sub(one, label)


def _text(label: str) -> str:
    return html.escape(_decode(label))


def mermaid_html(source: str) -> str | None:
    """HTML for a diagram pilotbook wrote, or None for any other diagram."""
    lines = [line.strip() for line in source.strip().splitlines() if line.strip()]
    if not lines:
        return None
    head = lines[0].split()
    if head[0] in ("flowchart", "graph"):
        return _flow(lines[1:], head[1] if len(head) > 1 else "TD")
    if head == ["xychart-beta"]:
        return _chart(lines[1:])
    if head == ["xychart-beta", "horizontal"]:
        return _bar_chart(lines[1:])
    return None


def _flow(lines: list[str], direction: str) -> str | None:
    labels: dict[str, str] = {}
    edges: list[tuple[str, str]] = []
    for line in lines:
        if m := _NODE.match(line):
            labels[m.group(1)] = m.group(2)
        elif m := _EDGE.match(line):
            edges.append((m.group(1), m.group(2)))
        else:
            return None
    order = list(labels)
    # A chain drawn in the order of its arrows; anything else is not ours.
    if edges != list(itertools.pairwise(order)):
        return None
    across = direction in ("LR", "RL")
    items = "".join(f"<li><span>{_text(labels[n])}</span></li>" for n in order)
    return f'<ol class="flow {"flow-across" if across else "flow-down"}">{items}</ol>\n'


def _numbers(text: str) -> list[float] | None:
    m = _NUMBERS.match(text.strip())
    if not m:
        return None
    try:
        return [float(x) for x in m.group(1).split(",") if x.strip()]
    except ValueError:
        return None


def _chart(lines: list[str]) -> str | None:
    title, unit, xs, series = "", "", [], []
    for line in lines:
        key, _, rest = line.partition(" ")
        if key == "title":
            title = " ".join(_QUOTED.findall(rest))
        elif key == "x-axis":
            xs = _QUOTED.findall(rest)
        elif key == "y-axis":
            unit = " ".join(_QUOTED.findall(rest))
        elif key == "line" and (values := _numbers(rest)) is not None:
            series.append(values)
        else:
            return None
    if not series or not xs or any(len(s) != len(xs) for s in series):
        return None
    return _svg(_decode(title), _decode(unit), xs, series)


def _bar_chart(lines: list[str]) -> str | None:
    """One series of bars with a label each (the portfolio's "where pilots stall")."""
    title, xs, values = "", [], None
    for line in lines:
        key, _, rest = line.partition(" ")
        if key == "title":
            title = " ".join(_QUOTED.findall(rest))
        elif key == "x-axis":
            xs = _QUOTED.findall(rest)
        elif key == "y-axis":
            continue
        elif key == "bar" and values is None:
            values = _numbers(rest)
        else:
            return None
    if not values or len(values) != len(xs):
        return None
    return _bars(_decode(title), [_decode(x) for x in xs], values)


BAR_H, LABEL_W = 22, 300


def _bars(title: str, labels: list[str], values: list[float]) -> str:
    """Horizontal bars, the label on the left and the value at the bar's end."""
    e = html.escape
    high = max(max(values), 1.0)
    plot_w = W - LABEL_W - RIGHT
    height = TOP + BAR_H * len(labels) + 8
    parts = [
        f'<svg class="chart" viewBox="0 0 {W} {height}" width="{W}" height="{height}" '
        f'role="img" aria-label="{e(title)}">',
        f'<text x="4" y="16" class="chart-title">{e(title)}</text>',
    ]
    for i, (label, v) in enumerate(zip(labels, values, strict=True)):
        top = TOP + i * BAR_H
        w = plot_w * v / high
        shown = label if len(label) <= 48 else label[:47] + "…"
        parts += [
            f'<text x="{LABEL_W - 6}" y="{top + 15}" class="tick end">{e(shown)}</text>',
            f'<rect x="{LABEL_W}" y="{top + 4}" width="{w:.1f}" height="{BAR_H - 8}" '
            f'fill="{COLOURS[0]}"/>',
            f'<text x="{LABEL_W + w + 6:.1f}" y="{top + 15}" class="tick">{v:g}</text>',
        ]
    parts.append("</svg>")
    return '<figure class="chart">' + "".join(parts) + "</figure>\n"


COLOURS = ("#1b1b1b", "#6b6b6b", "#2a7a2a", "#b22222")
W, H, LEFT, RIGHT, TOP, BOTTOM = 640, 236, 56, 64, 44, 40
# Font sizes in the chart's units (page.css sets the same), and a generous
# width of one character in ems: every label is placed by its start, worked
# out from this estimate, because WeasyPrint ignores `text-anchor` and a
# browser does not; so both draw the same picture.
TICK, TITLE, CHAR_EM = 11, 13, 0.62


def _width(text: str, size: int = TICK) -> float:
    return len(text) * size * CHAR_EM


def _fit(text: str, room: float, size: int = TICK) -> str:
    """The text, cut with "…" to what fits in `room`."""
    if _width(text, size) <= room:
        return text
    keep = max(1, int(room / (size * CHAR_EM)) - 1)
    return text[:keep].rstrip() + "…"


def _label(x: float, y: float, text: str, extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" class="tick"{extra}>{html.escape(text)}</text>'


def _svg(title: str, unit: str, xs: list[str], series: list[list[float]]) -> str:
    values = [v for s in series for v in s]
    low, high = min(values), max(values)
    if high == low:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.08
    low, high = low - pad, high + pad
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w * i / (len(xs) - 1) if len(xs) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return TOP + plot_h * (high - v) / (high - low)

    e = html.escape
    # The title on the first line, the unit on its own line below it: a long
    # unit never runs into the title.
    parts = [
        f'<svg class="chart" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" '
        f'aria-label="{e(title)}">',
        f'<text x="4" y="16" class="chart-title">{e(_fit(title, W - 8, TITLE))}</text>',
        _label(4, TOP - 10, _fit(unit, W - 8)),
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" class="axis"/>',
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" '
        'class="axis"/>',
    ]
    # The axis values end just left of the axis.
    for v in (high - pad, low + pad):
        text = _fit(f"{v:g}", LEFT - 10)
        parts.append(_label(LEFT - 6 - _width(text), y(v) + 4, text))
    # The dates centred under their points, but never past either edge.
    step = max(1, len(xs) // 6)
    for i, raw in enumerate(xs):
        if i % step == 0 or i == len(xs) - 1:
            text = _decode(raw)
            start = min(max(2.0, x(i) - _width(text) / 2), W - 2 - _width(text))
            parts.append(_label(start, H - BOTTOM + 16, text))
    for n, s in enumerate(series):
        colour = COLOURS[n % len(COLOURS)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(s))
        dash = "" if n == 0 else ' stroke-dasharray="6 4"'
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
        )
        if n == 0:  # the measurements: a dot each, so one measurement shows too
            parts += [
                f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"/>'
                for i, v in enumerate(s)
            ]
        else:  # a level: its value at the right end
            text = _fit(f"{s[-1]:g}", RIGHT - 8)
            parts.append(_label(LEFT + plot_w + 6, y(s[-1]) + 4, text, f' fill="{colour}"'))
    parts.append("</svg>")
    return '<figure class="chart">' + "".join(parts) + "</figure>\n"
