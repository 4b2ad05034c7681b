"""Rendering a long brief to HTML stays linear in its length.

markdown-it builds one token per escaped sign, several hundred thousand for
a brief of long answers, all alive until the page is written. Python's cyclic
garbage collector walked that growing tree again and again while it was built
(its full passes come more often as the tree grows), which made HTML, unlike
Markdown, cost more than ten times as much for ten times the text. The tokens
hold no cycles, so the renderer runs with the collector paused; these tests
check that mechanism without timing anything (the time is in
tests/perf/bench_export_length.py).
"""

from __future__ import annotations

import gc

import pytest

from pilotbook.export import render
from pilotbook.export.escape import md_block
from pilotbook.export.render import markdown_to_html

PROSE = "Ask ops.team+1@example.test, see www.example.test/x_y *now* | 12. "


def _collections() -> list[int]:
    return [g["collections"] for g in gc.get_stats()]


def test_no_collection_runs_while_a_long_brief_is_rendered() -> None:
    text = "\n\n".join(md_block(PROSE * 500) for _ in range(6))  # ~200,000 characters
    markdown_to_html("warm", "Loads markdown-it and the stylesheet")
    gc.collect()
    before = _collections()
    page = markdown_to_html(text, "Long")
    assert _collections() == before
    assert page.count("ops.team+1@example.test") == 3000  # all of it rendered, as text
    assert gc.isenabled()


def test_the_collector_is_left_as_it_was_found(monkeypatch: pytest.MonkeyPatch) -> None:
    gc.disable()
    try:
        markdown_to_html("plain", "Off")
        assert not gc.isenabled()
    finally:
        gc.enable()

    class Failing:
        def render(self, text: str) -> str:
            raise RuntimeError("broken")

    monkeypatch.setattr(render, "_markdown_it", Failing)
    with pytest.raises(RuntimeError):
        markdown_to_html("text", "Fails")
    assert gc.isenabled()
