"""Benchmark: a Well-Architected lens at the tool's size limits, against a small one.

Each lens is imported with the command line, a pilot is started on it, and
`verdict` and `list` are run twice each (the first pays what the disk cache
does not keep yet). Every figure is a fresh process, as a user runs them;
the ratio is the big lens's time over the small one's, measured in the same
run. The big lens: 10 pillars of 20 questions of 15 choices, under 500 KB.

    .venv/bin/python tests/perf/bench_lens.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "unit" / "lens"))

from lens_gen import dumps, make_lens  # noqa: E402

SHAPES = {"small": (1, 2, 3), "max": (10, 20, 15)}
STEPS = ("import-lens", "new", "verdict", "verdict again", "list", "list again")


def _run(folder: Path, *args: str) -> float:
    env = dict(os.environ, PILOTBOOK_HOME=str(folder / "home"))
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pilotbook", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    took = time.perf_counter() - started
    if done.returncode not in (0, 1, 2, 3):  # verdict exits with the verdict
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr[-500:]}")
    return took


def measure(folder: Path, shape: tuple[int, int, int]) -> dict[str, float]:
    folder.mkdir(parents=True, exist_ok=True)
    lens = folder / "lens.json"
    lens.write_text(dumps(make_lens(*shape, per_choice=False, name="Bench lens")), "utf-8")
    _run(folder, "init")
    out = {"bytes": float(lens.stat().st_size)}
    out["import-lens"] = _run(folder, "playbooks", "import-lens", str(lens))
    out["new"] = _run(folder, "new", "Bench", "--playbook", "bench-lens")
    out["verdict"] = _run(folder, "verdict", "bench")
    out["verdict again"] = _run(folder, "verdict", "bench")
    out["list"] = _run(folder, "list")
    out["list again"] = _run(folder, "list")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="Work in this folder and keep it.")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-lens-"))
    found = {name: measure(base / name, shape) for name, shape in SHAPES.items()}
    small, big = found["small"], found["max"]
    print(f"lens sizes: small {small['bytes']:,.0f} bytes, max {big['bytes']:,.0f} bytes")
    print(f"{'step':<15}{'small s':>10}{'max s':>10}{'ratio':>8}")
    for step in STEPS:
        print(f"{step:<15}{small[step]:>10.2f}{big[step]:>10.2f}{big[step] / small[step]:>8.1f}")


if __name__ == "__main__":
    main()
