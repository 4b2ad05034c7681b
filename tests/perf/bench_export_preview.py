"""Export screen opened to the preview shown, on the demo pilot.

Drives the app headless: pushes the export screen for the demo pilot, then
polls until the preview holds the document. Meanwhile a 10 ms timer on the
app records when it last ran: the longest gap between two runs is how long
the app was frozen (keys typed then would wait). Target: the preview within
1 s, and no gap the user can feel (a frozen app queues keys).

    .venv/bin/python tests/perf/bench_export_preview.py [runs]
"""

from __future__ import annotations

import asyncio
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

floors: list[float] = []  # the timer's median period in each run

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def preview_shown(screen: Any) -> bool:
    """True once the preview widget holds the document's text, whatever widget it is."""
    from textual.widgets import Markdown, TextArea

    for w in screen.query("#preview-md, #preview-text"):
        if isinstance(w, TextArea):
            return "Go/no-go brief" in w.text
        if isinstance(w, Markdown):
            return screen.rendered is not None and len(w.children) > 3
    return False


async def one_run(ws: Any, pilot_id: str) -> tuple[float, float]:
    from pilotbook.tui.app import make_app
    from pilotbook.tui.screens.export import ExportScreen

    app = make_app(ws, theme="textual-dark")
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause(0.3)
        ticks: list[float] = []
        app.set_interval(0.01, lambda: ticks.append(time.perf_counter()))
        await pilot.pause(0.1)
        start = time.perf_counter()
        screen = ExportScreen(pilot_id, folder=Path(tempfile.gettempdir()))
        app.push_screen(screen)
        while not preview_shown(screen):
            await asyncio.sleep(0.005)
            if time.perf_counter() - start > 60:
                raise SystemExit("the preview never showed")
        shown = time.perf_counter() - start
        # Then until the whole document is in the widget (a Markdown widget
        # mounts its blocks in batches): its block count stops changing.
        last, since = -1, time.perf_counter()
        while time.perf_counter() - since < 0.5:
            await asyncio.sleep(0.05)
            n = len(list(screen.query("#preview-md *, #preview-text")))
            if n != last:
                last, since = n, time.perf_counter()
        whole = since - start
        print(f"  whole document in the widget after {whole * 1000:.0f} ms")
        gaps = [b - a for a, b in itertools.pairwise(ticks) if a >= start - 0.02]
        # The floor: the timer's own median period in this run, when nothing froze it.
        floors.append(statistics.median(gaps) if gaps else 0.01)
        return shown, max(gaps, default=0.0)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PILOTBOOK_HOME"] = str(Path(tmp) / "home")
        from pilotbook.demo import fill_demo
        from pilotbook.workshop import open_workshop

        ws = open_workshop(str(Path(tmp) / "store.db"))
        pilot_id = fill_demo(ws).id
        shown, stalls = [], []
        for _ in range(runs):
            s, g = asyncio.run(one_run(ws, pilot_id))
            shown.append(s * 1000)
            stalls.append(g * 1000)
            print(f"preview shown {s * 1000:7.0f} ms   longest freeze {g * 1000:7.0f} ms")
        tick = statistics.median(floors) * 1000
        print(
            f"median: preview {statistics.median(shown):.0f} ms, "
            f"longest freeze {statistics.median(stalls):.0f} ms ({runs} runs); "
            f"the timer's median period (floor) {tick:.1f} ms, "
            f"longest freeze ÷ floor {statistics.median(stalls) / tick:.1f}x"
        )


if __name__ == "__main__":
    main()
