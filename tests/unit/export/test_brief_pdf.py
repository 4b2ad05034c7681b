"""The printed brief, read back from the real PDF (WeasyPrint, then pypdf).

Page 1 is what a steering committee reads: whatever the shape of the pilot,
it holds the verdict, the decision, the owners with their sign-offs and
every hard stop (a crossed kill threshold included), and the appendix
starts on page 2. No text lies past the edge of the paper, and the PDF is
tagged for screen readers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from brief_shapes import SHAPES, export_shapes
from pdf_pages import outside, pages, reader, weasyprint_or_skip

_CACHE: dict[str, dict[str, Any]] = {}


def _made(tmp_path_factory: Any, shape: str) -> dict[str, Any]:
    """The brief of a pilot of this shape as Markdown and PDF, made once per run."""
    if shape not in _CACHE:
        folder: Path = tmp_path_factory.mktemp(shape)
        _CACHE[shape] = export_shapes(folder, shape, ("md", "pdf"))
    return _CACHE[shape]


@pytest.fixture
def pdf_of(tmp_path_factory) -> Any:  # type: ignore[no-untyped-def]
    weasyprint_or_skip()

    def made(shape: str) -> bytes:
        data = _made(tmp_path_factory, shape)["pdf"]
        assert isinstance(data, bytes)
        return data

    return made


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("shape", SHAPES)
def test_page_one_holds_the_verdict_the_decision_the_owners_and_every_hard_stop(
    shape: str, pdf_of: Any, tmp_path_factory: Any
) -> None:
    first, second = pages(pdf_of(shape))[:2]
    assert "Verdict of the rules:" in first
    assert "Decision recorded:" in first
    assert "Owners after launch and sign-offs" in first
    assert second.startswith("Contents"), f"page 1 spilled: {second[:300]}"
    # Every hard stop of the Markdown's reasons, by its first words.
    md = _made(tmp_path_factory, shape)["md"]
    full = md.split("\n## Reasons in full\n", 1)[1].split("\n## ", 1)[0]
    stops = [line for line in full.splitlines() if line.startswith("- **No-go**: ")]
    for line in stops:
        head = _words(line.removeprefix("- **No-go**: ").replace("\\", ""))[:40]
        assert head in first, f"a hard stop is not on page 1: {head}"
    if shape not in ("demo", "hostile", "every_gate"):  # every_gate redraws the baselines
        assert "Error rate measured 9.2 % on 2026-11-28, past its kill threshold of 8 %" in first
        assert "Sponsor Maria Okafor, signed" in first


@pytest.mark.parametrize("shape", ["demo", "realistic", "hostile"])
def test_no_text_lies_past_the_edge_of_the_paper(shape: str, pdf_of: Any) -> None:
    assert outside(pdf_of(shape)) == []


def test_a_hash_as_a_baselines_source_leaves_measured_on_on_the_page(pdf_of: Any) -> None:
    text = " ".join(pages(pdf_of("realistic")))
    assert "Measured on" in text
    assert "3f9a1c0e" in text


def test_the_brief_is_a_tagged_pdf(pdf_of: Any) -> None:
    root = reader(pdf_of("demo")).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root.get("/Lang") == "en"


def test_weasyprint_draws_the_chart_labels_inside_the_chart_and_off_the_axis() -> None:
    """WeasyPrint ignores `text-anchor`: the chart is printed on a page its own
    size, so a label past the chart's edge is past the page's."""
    weasyprint_or_skip()
    from pilotbook.export.diagram import LEFT, mermaid_html
    from pilotbook.export.pdf import html_to_pdf
    from pilotbook.export.render import _stylesheet

    source = (
        'xychart-beta\n    title "Wrong order status quoted"\n'
        '    x-axis ["2026-09-01", "2026-10-01", "2026-11-28"]\n'
        '    y-axis "percent of tickets in the QA sample"\n'
        "    line [1234.5, 980, 1500.25]\n    line [1200, 1200, 1200]\n"
    )
    chart = mermaid_html(source)
    assert chart is not None
    page = (
        f'<!DOCTYPE html><html lang="en"><head><title>c</title><style>{_stylesheet()}'
        "@page { size: 640px 236px; margin: 0 } main, body, figure { margin: 0; padding: 0 }"
        f"</style></head><body><main>{chart}</main></body></html>"
    )
    data = html_to_pdf(page)
    assert outside(data) == []
    text = pages(data)[0]
    assert "2026-11-28" in text and "percent of tickets" in text
    # The axis values end left of the axis (x = LEFT, in points on this page).
    ticks: list[tuple[float, str]] = []

    def visit(t: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if t.strip() in ("1500.25", "980"):
            em = size * abs(tm[0] * cm[0])
            ticks.append((tm[4] * cm[0] + cm[4] + 0.5 * em * len(t.strip()), t))

    reader(data).pages[0].extract_text(visitor_text=visit)
    assert ticks and all(right <= LEFT * 0.75 for right, _ in ticks), ticks
