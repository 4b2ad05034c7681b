"""Benchmark: export time against the length of the answers.

The demo pilot with nine long-text answers each replaced by N characters of
typed text (letters, then words with punctuation, addresses and markup), for
N = 1,000, 10,000 and 100,000 (the store's limit per answer). Each brief is
exported as Markdown and as HTML; the time of each and its ratio to the step
before are printed. Escaping is linear when a tenfold longer answer costs at
most about ten times as much (less while fixed costs dominate); the square
would show as a hundredfold step. The step is taken on the process's CPU
time: on a shared machine the wall clock also counts the other processes'
turns, and a single run's wall time has shown "12x" for work that is 8x.
Nothing is asserted: the regression tests (tests/unit/export/
test_escape_linear.py, test_html_render_gc.py) guard the behaviour.

    .venv/bin/python tests/perf/bench_export_length.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

LENGTHS = (1_000, 10_000, 100_000)
ANSWERS = 9  # long answers per pilot: nine of them once passed the 10 s budget
SHAPES = {
    "letters": "a",
    "prose": "Ask ops.team+1@example.test, see www.example.test/x_y *now* | 12. ",
}


def _text(shape: str, n: int) -> str:
    unit = SHAPES[shape]
    return (unit * (n // len(unit) + 1))[:n]


def _answer(ws: Any, text: str) -> str:
    """The demo pilot (made once) with its long answers set to `text`."""
    from pilotbook.demo import fill_demo

    pilot = fill_demo(ws)
    view = ws.pilots.open(pilot.id)
    long = [q.id for q in view.playbook.questions() if q.type == "longtext"][:ANSWERS]
    for qid in long:
        ws.answers.set(pilot.id, qid, text)
    return str(pilot.id)


def _time(ws: Any, pilot_id: str, fmt: str, runs: int) -> tuple[float, float]:
    """The median wall and CPU seconds of `runs` exports."""
    from pilotbook.workshop.review import export_documents

    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        export_documents(ws, pilot_id, ("brief",), fmt)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def _escaping(runs: int) -> None:
    """The escaping alone, where nothing fixed hides the slope: ~10x a step."""
    from pilotbook.export.escape import md_block

    print(f"{'shape':8} {'escape':6} {'N':>8} {'seconds':>9} {'x step':>7}")
    for shape in SHAPES:
        before = None
        for n in LENGTHS:
            text = _text(shape, n)
            times = []
            for _ in range(max(runs, 5)):
                start = time.perf_counter()
                md_block(text)
                times.append(time.perf_counter() - start)
            t = min(times)
            step = f"{t / before:6.1f}x" if before else "      -"
            print(f"{shape:8} {'block':6} {n:8,} {t:9.4f} {step}")
            before = t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="exports per point (median)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["PILOTBOOK_HOME"] = str(Path(folder) / "home")
        os.environ["PILOTBOOK_PLAYBOOKS"] = str(ROOT / "playbooks")
        from pilotbook.workshop import open_workshop

        ws = open_workshop(str(Path(folder) / "store.db"))
        print(f"{ANSWERS} long answers of N characters; median of {args.runs} exports")
        print(f"{'shape':8} {'format':6} {'N':>8} {'wall s':>9} {'CPU s':>9} {'x step':>7}")
        for shape in SHAPES:
            for fmt in ("md", "html"):
                _time(ws, _answer(ws, "warm"), fmt, 1)  # imports, templates
                before = None
                for n in LENGTHS:
                    wall, t = _time(ws, _answer(ws, _text(shape, n)), fmt, args.runs)
                    step = f"{t / before:6.1f}x" if before else "      -"
                    print(f"{shape:8} {fmt:6} {n:8,} {wall:9.3f} {t:9.3f} {step}")
                    before = t
        ws.close()
    _escaping(args.runs)


if __name__ == "__main__":
    main()
