"""Every benchmark, run small, so none of them can rot: CI runs this.

A smoke run checks that each benchmark still runs to the end and prints its
figures; the figures are not asserted (a shared CI machine is too noisy for
that). Exits non-zero when a benchmark crashes or overruns its time.

    .venv/bin/python tests/perf/smoke.py
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SMALL = {
    "bench_cli.py": ["1"],
    "bench_startup.py": ["1", "20"],
    "bench_home.py": ["1", "300"],
    "bench_keypress.py": ["3"],
    "bench_verdict.py": ["--smoke"],
    "bench_phases.py": ["--runs", "2"],
    "bench_export.py": ["--pilots", "20", "--warm-runs", "2"],
    "bench_export_preview.py": ["1"],
    "bench_rounds.py": ["3"],
    "bench_store.py": ["--smoke"],
    "bench_server.py": ["--smoke"],
    "bench_kill.py": ["1", "1", "1"],
    "bench_export_length.py": ["--runs", "1"],
    "bench_lens.py": [],
    "bench_portfolio.py": ["300"],
}
LIMIT = 120.0  # seconds for one benchmark, a hang's backstop


def _one(name: str, args: list[str]) -> tuple[str, bool, str]:
    began = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, str(HERE / name), *args],
            timeout=LIMIT,
            check=False,
            capture_output=True,
            text=True,
        )
        ok, out = done.returncode == 0, done.stdout + done.stderr
    except subprocess.TimeoutExpired:
        ok, out = False, f"(stopped after {LIMIT:g} s)\n"
    took = time.perf_counter() - began
    head = f"smoke: {name} {' '.join(args)}: {'ok' if ok else 'FAILED'} in {took:.1f} s"
    return name, ok, head + "\n" + out


def main() -> int:
    from concurrent.futures import ThreadPoolExecutor

    start = time.perf_counter()
    failed = sorted(p.name for p in HERE.glob("bench_*.py") if p.name not in SMALL)
    for name in failed:
        print(f"smoke: {name} has no smoke arguments", flush=True)
    # Two at a time: the figures are not asserted, and CI's time is short.
    with ThreadPoolExecutor(max_workers=2) as pool:
        for name, ok, report in pool.map(lambda item: _one(*item), SMALL.items()):
            print(report, flush=True)
            if not ok:
                failed.append(name)
    print(f"smoke: {len(SMALL)} benchmarks in {time.perf_counter() - start:.1f} s", flush=True)
    if failed:
        print("smoke: failed: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
