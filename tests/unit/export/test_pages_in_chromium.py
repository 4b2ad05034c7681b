"""The HTML export in a real browser (headless Chromium): never wider than the
window, whatever a long word in an answer, and the charts' labels inside
the chart and apart from each other."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from brief_shapes import export_shape

from tests.web.chromium import Browser, chromium_or_skip

_CACHE: dict[str, str] = {}
# Every text of every chart: its box, and the chart's own box, in the chart's units.
CHART_TEXTS = """
[...document.querySelectorAll('svg.chart')].map(svg => {
  const box = svg.viewBox.baseVal;
  return {width: box.width, height: box.height, texts: [...svg.querySelectorAll('text')]
    .map(t => { const b = t.getBBox();
      return {text: t.textContent, x: b.x, y: b.y, w: b.width, h: b.height}; })};
})
"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory) -> Any:  # type: ignore[no-untyped-def]
    chromium_or_skip()
    b = Browser(tmp_path_factory.mktemp("profile"), width=1000, height=800)
    yield b
    b.close()


def _show(browser: Any, html: str, width: int) -> None:
    browser.send(
        "Emulation.setDeviceMetricsOverride",
        width=width,
        height=800,
        deviceScaleFactor=1,
        mobile=width < 600,
    )
    frame = browser.send("Page.getFrameTree")["frameTree"]["frame"]["id"]
    browser.send("Page.setDocumentContent", frameId=frame, html=html)
    browser.wait_for("document.readyState === 'complete' && !!document.querySelector('main')")


def _html(tmp_path_factory: Any, shape: str) -> str:
    if shape not in _CACHE:
        folder: Path = tmp_path_factory.mktemp(shape)
        _CACHE[shape] = export_shape(folder, shape, "html")
    return _CACHE[shape]


@pytest.mark.parametrize("width", [1000, 390])
@pytest.mark.parametrize("shape", ["demo", "realistic", "hostile"])
def test_the_page_is_never_wider_than_the_window(
    shape: str, width: int, browser: Any, tmp_path_factory: Any
) -> None:
    _show(browser, _html(tmp_path_factory, shape), width)
    wide = browser.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"{shape}: the page is {wide} px wide in a {width} px window"


@pytest.mark.parametrize("shape", ["demo", "realistic", "hostile"])
def test_chart_labels_lie_inside_the_chart_and_apart(
    shape: str, browser: Any, tmp_path_factory: Any
) -> None:
    _show(browser, _html(tmp_path_factory, shape), 1000)
    charts = browser.evaluate(CHART_TEXTS)
    if shape != "demo":  # the demo has no metric measured twice
        assert charts, "the brief draws its scorecard's charts"
    for chart in charts:
        texts = chart["texts"]
        for t in texts:
            assert t["x"] >= 0 and t["x"] + t["w"] <= chart["width"], t
            assert t["y"] >= 0 and t["y"] + t["h"] <= chart["height"], t
        for i, a in enumerate(texts):
            for b in texts[i + 1 :]:
                apart = (
                    a["x"] + a["w"] <= b["x"]
                    or b["x"] + b["w"] <= a["x"]
                    or a["y"] + a["h"] <= b["y"]
                    or b["y"] + b["h"] <= a["y"]
                )
                assert apart, (a, b)
