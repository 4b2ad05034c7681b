"""Benchmark: coming back at a phase, on a fully answered pilot of the default playbook.

Measured: taking a snapshot, the since-last-time summary (what opening a pilot
with a snapshot shows first), a diff of a snapshot against now, the
scorecard, and the brief as of a snapshot. The baseline, measured in the same
run, is `ws.pilots.open` on the same pilot; each line prints its median
and its ratio to that baseline.

    .venv/bin/python tests/perf/bench_phases.py [--runs 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "unit" / "rules"))

from ai_pilot_answers import good_answers  # noqa: E402


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    os.environ["PILOTBOOK_PLAYBOOKS"] = str(ROOT / "playbooks")
    from pilotbook.workshop import open_workshop
    from pilotbook.workshop.review import export_document

    with tempfile.TemporaryDirectory() as folder:
        ws = open_workshop(str(Path(folder) / "store.db"))
        pilot = ws.pilots.create("Bench pilot")
        for qid, value in good_answers().items():
            if value is not None:
                ws.answers.set(pilot.id, qid, value, by="Ana")
        metrics = ws.measurements.scorecard(pilot.id).cards
        today = dt.date.today()
        for i in range(12):
            for card in metrics:
                base = card.metric.baseline or 1.0
                day = today - dt.timedelta(days=7 * (12 - i))
                ws.measurements.record(pilot.id, card.metric.key, base * (1 - i / 40), day)
        ws.phases.snapshot(pilot.id, "kick-off")
        ws.answers.set(pilot.id, "kill_rule", "Changed since the snapshot")
        n = [0]

        def take() -> None:
            n[0] += 1
            ws.phases.snapshot(pilot.id, f"bench {n[0]}")

        base = median_ms(lambda: ws.pilots.open(pilot.id), args.runs)
        rows = [
            ("open_pilot (baseline)", base),
            ("snapshot", median_ms(take, args.runs)),
            ("since_last_time", median_ms(lambda: ws.phases.since_last_time(pilot.id), args.runs)),
            (
                "diff kick-off..now",
                median_ms(lambda: ws.phases.diff(pilot.id, "kick-off"), args.runs),
            ),
            ("scorecard", median_ms(lambda: ws.measurements.scorecard(pilot.id), args.runs)),
            (
                "brief as of kick-off",
                median_ms(lambda: export_document(ws, pilot.id, "brief", as_of="kick-off"), 10),
            ),
        ]
        print(f"{len(metrics)} metrics, 12 measurements each; medians of {args.runs} runs")
        for name, ms in rows:
            print(f"{name:24} {ms:8.2f} ms  {ms / base:6.1f}x open_pilot")
        ws.close()


if __name__ == "__main__":
    main()
