"""The programme review: a portfolio of pilots as Markdown, HTML or PDF.

The portfolio comes from the service (`ws.portfolio.report`); this module only
lays it out, so it takes any object with the portfolio's attributes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pilotbook.export.escape import mermaid_label

FORMATS = ("md", "html", "pdf")
MAX_LISTED = 50  # stalled pilots and changes listed in full; the rest are counted


@dataclass(frozen=True)
class _StallLine:
    label: str
    count: int
    pilots: str


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.0%}"


def stall_chart(stalls: list[tuple[str, int]]) -> str:
    """A Mermaid bar chart; the HTML export draws it as SVG, a wiki draws it itself."""
    xs = ", ".join(f'"{mermaid_label(label)}"' for label, _ in stalls)
    values = ", ".join(str(n) for _, n in stalls)
    return "\n".join(
        [
            "```mermaid",
            "xychart-beta horizontal",
            '    title "Pilots held back, by reason"',
            f"    x-axis [{xs}]",
            '    y-axis "pilots"',
            f"    bar [{values}]",
            "```",
        ]
    )


def _names(slugs: tuple[str, ...], limit: int = 12) -> str:
    more = len(slugs) - limit
    return ", ".join(slugs[:limit]) + (f" and {more} more" if more > 0 else "")


def review_markdown(p: Any, *, title: str, selection: str = "", stalled_days: int = 60) -> str:
    from pilotbook.export.render import render_markdown, template_for

    stalled = list(p.stalled(stalled_days))
    stalled.sort(key=lambda r: -r.days_in_phase)
    decided = sum(q.decided for q in p.quarters)
    doc = {
        "title": title,
        "today": p.today.isoformat(),
        "count": len(p.rows),
        "selection": selection,
        "rate": None if p.rate is None else _pct(p.rate),
        "production": sum(q.production for q in p.quarters),
        "decided": decided,
        "came_back": p.came_back,
        "quarters": [
            {
                "quarter": q.quarter,
                "decided": q.decided,
                "production": q.production,
                "rate": _pct(q.rate),
            }
            for q in p.quarters
        ],
        "stalls": [_StallLine(s.label, len(s.pilots), _names(s.pilots)) for s in p.stalls],
        "chart": stall_chart([(s.label, len(s.pilots)) for s in p.stalls]),
        "phase_times": [
            {
                "phase": t.phase,
                "spans": t.spans,
                "median_days": f"{t.median_days:g}",
                "low_days": t.low_days,
                "high_days": t.high_days,
            }
            for t in p.phase_times
        ],
        "stalled_days": stalled_days,
        "trend": [
            {
                "quarter": x.quarter,
                "pilots": x.pilots,
                "stalled": x.stalled,
                "share": _pct(x.stalled / x.pilots if x.pilots else None),
            }
            for x in p.trend
        ],
        "stalled": stalled[:MAX_LISTED],
        "stalled_more": max(0, len(stalled) - MAX_LISTED),
        "since": p.since.isoformat() if p.since else None,
        "changes": [
            {"at": c.at.date().isoformat(), "slug": c.slug, "what": c.what}
            for c in p.changes[:MAX_LISTED]
        ],
        "changes_more": max(0, len(p.changes) - MAX_LISTED),
    }
    return render_markdown(doc, template_for("portfolio"))  # type: ignore[arg-type]


def review(
    p: Any, fmt: str, *, title: str, selection: str = "", stalled_days: int = 60
) -> str | bytes:
    """The review as `fmt`; ValueError for an unknown format, PdfUnavailable without the extra."""
    if fmt not in FORMATS:
        raise ValueError(f"a programme review is one of {', '.join(FORMATS)}, not {fmt!r}")
    text = review_markdown(p, title=title, selection=selection, stalled_days=stalled_days)
    if fmt == "md":
        return text
    from pilotbook.export.render import markdown_to_html

    page = markdown_to_html(text, f"Programme review: {title}")
    if fmt == "html":
        return page
    from pilotbook.export.pdf import html_to_pdf

    return html_to_pdf(page)
