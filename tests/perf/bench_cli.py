"""The command line from the outside: read-only commands on a `pilotbook demo` store.

Each command runs in a fresh process, interleaved with two floors measured in
the same run: a bare interpreter (`python -c pass`) and the import of
SQLAlchemy and SQLModel alone (what every command paid before the light read
path). Prints the median of each, and its ratio to both floors. Targets:
list / show <= 0.3 s, verdict / export brief <= 0.5 s.

    .venv/bin/python tests/perf/bench_cli.py [runs]

With 1 run (the CI smoke run) the caches are not warmed first.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PILOT = "customer-service-assistant-demo"
FLOORS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "import sqlalchemy, sqlmodel": [sys.executable, "-c", "import sqlalchemy, sqlmodel"],
}
COMMANDS = {
    "list": ["list"],
    "show": ["show", PILOT],
    "verdict": ["verdict", PILOT],
    "export brief": ["export", PILOT, "-o", "-"],
    "history": ["history", PILOT],
    "where": ["where"],
    "questions": ["questions", PILOT],
}
TARGETS = {"list": 0.3, "show": 0.3, "verdict": 0.5, "export brief": 0.5}


def timed(argv: list[str], cwd: str) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, env=os.environ.copy(), capture_output=True, check=False)
    return time.perf_counter() - start


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    with tempfile.TemporaryDirectory() as home:
        os.environ["PILOTBOOK_HOME"] = home
        os.environ["PILOTBOOK_DB"] = str(Path(home) / "pilotbook.db")
        pb = [sys.executable, "-m", "pilotbook"]
        subprocess.run([*pb, "demo", "--no-open"], cwd=home, check=True, capture_output=True)
        every = {**FLOORS, **{k: [*pb, *v] for k, v in COMMANDS.items()}}
        if runs > 1:
            for argv in every.values():  # warm the caches: byte code, playbooks, conditions
                timed(argv, home)
        times: dict[str, list[float]] = {k: [] for k in every}
        for _ in range(runs):
            for name, argv in every.items():
                times[name].append(timed(argv, home))
    bare = statistics.median(times["python -c pass"])
    orm = statistics.median(times["import sqlalchemy, sqlmodel"])
    print(f"{'':28} {'median':>8} {'÷ python':>9} {'÷ ORM import':>13}  target")
    for name, ts in times.items():
        m = statistics.median(ts)
        target = f"<= {TARGETS[name]:.1f} s" if name in TARGETS else ""
        print(f"{name:28} {m * 1000:6.0f} ms {m / bare:8.2f}x {m / orm:12.2f}x  {target}")


if __name__ == "__main__":
    main()
