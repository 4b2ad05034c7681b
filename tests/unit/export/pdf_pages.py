"""What a PDF shows, read back with pypdf: each page's text, and where text lies."""

from __future__ import annotations

import io
from typing import Any

import pytest

# A rough width of a glyph in ems; real sans-serif text averages about 0.5.
EM = 0.5


def weasyprint_or_skip() -> None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as e:
        pytest.skip(f"WeasyPrint (pip install 'pilotbook[pdf]') cannot load here: {e}")


def reader(data: bytes) -> Any:
    pypdf = pytest.importorskip("pypdf", reason="pypdf is in the test extra")
    return pypdf.PdfReader(io.BytesIO(data))


def pages(data: bytes) -> list[str]:
    """Each page's text on one line, spaces squeezed."""
    return [" ".join((p.extract_text() or "").split()) for p in reader(data).pages]


def outside(data: bytes) -> list[str]:
    """Text drawn past a page's edge: "page N: text (x from a to b of width w)"."""
    found: list[str] = []
    for n, page in enumerate(reader(data).pages, 1):
        found += _outside_page(n, page)
    return found


def _outside_page(n: int, page: Any) -> list[str]:
    box = page.mediabox
    width, height = float(box.width), float(box.height)
    found = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        text = text.rstrip()
        if not text.strip():
            return
        # The text matrix, then the page's: where the text starts, in points.
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        em = size * abs(tm[0] * cm[0])
        right = x + EM * em * len(text)
        if x < 0 or right > width or not 0 <= y <= height:
            found.append(f"page {n}: {text[:60]!r} (x {x:.0f} to {right:.0f} of {width:.0f})")

    page.extract_text(visitor_text=visit)
    return found
