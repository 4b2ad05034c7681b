"""The pilots list at 200 and at 10,000 pilots: time to the first usable list, the
time a filter key takes (typing and backspace), and the peak memory.

Each size runs in a fresh headless app process. The verdicts are left out (the
list's background work is switched off) so the figures are the list's own. A
filter key is timed as the screen's refill after the filter box changes, without
the paint that follows (the table paints only the rows in view). Targets: 10k
vs 200 <= 1.2x to the first list, <= 50 ms a key, <= 100 MiB.

    .venv/bin/python tests/perf/bench_home.py [runs [big]]
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

APP = """
import json, resource, sys, time
from textual.widgets import Input
from pilotbook.tui.app import make_app
from pilotbook.tui.screens.home import HomeScreen
HomeScreen.load_verdicts = lambda self, ids: None
HomeScreen._after_shown = lambda self, ids: None
shown = HomeScreen.show_pilots
def done(self, *args, **kwargs):
    shown(self, *args, **kwargs)
    self.app.call_after_refresh(ready, self)
def ready(home):
    first = time.time()
    box = home.query_one("#filter", Input)
    keys = []
    for text in ("p", "pi", "pil", "pilot", "pilot 1", "pilot 12", "pilot 1", "pilot", ""):
        with box.prevent(Input.Changed):
            box.value = text
        start = time.perf_counter()
        home.refill()
        keys.append(time.perf_counter() - start)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"first": first, "keys": keys, "rss": rss}), flush=True)
    home.app.exit()
HomeScreen.show_pilots = done
make_app(sys.argv[1], theme="textual-dark").run(headless=True)
"""


def fill(db: str, pilots: int) -> None:
    """200 pilots made by the service, then copies of them to reach `pilots`."""
    from pilotbook.workshop import open_workshop

    ws = open_workshop(db)
    made = min(pilots, 200)
    for i in range(made):
        p = ws.pilots.create(f"Pilot {i:05d}", "ai-pilot", facilitator="Dana")
        ws.answers.set(p.id, "rollout_commitment", "committed")
    conn = sqlite3.connect(db)
    cols = [r[1] for r in conn.execute("PRAGMA table_info(pilot)")]
    rows = conn.execute(f"SELECT {', '.join(cols)} FROM pilot").fetchall()
    at = {c: i for i, c in enumerate(cols)}
    copies = []
    for n in range(made, pilots):
        row = list(rows[n % made])
        row[at["id"]] = f"{n:08d}-0000-4000-8000-000000000000"
        row[at["slug"]] = f"pilot-{n:05d}"
        row[at["name"]] = f"Pilot {n:05d}"
        copies.append(row)
    marks = ", ".join("?" for _ in cols)
    conn.executemany(f"INSERT INTO pilot ({', '.join(cols)}) VALUES ({marks})", copies)
    conn.commit()
    conn.close()


def measured(db: str) -> dict[str, float | list[float]]:
    import json

    start = time.time()
    out = subprocess.run(
        [sys.executable, "-c", APP, db],
        check=True,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
    ).stdout
    got: dict[str, float | list[float]] = json.loads(out.strip().splitlines()[-1])
    got["first"] = float(got["first"]) - start  # type: ignore[arg-type]
    return got


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    big = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    sizes = (min(200, big), big)
    with tempfile.TemporaryDirectory() as home:
        os.environ["PILOTBOOK_HOME"] = home
        dbs = {n: str(Path(home) / f"store{n}.db") for n in sizes}
        for n, db in dbs.items():
            fill(db, n)
            measured(db)  # warm the byte code and the playbook cache
        got: dict[int, list[dict[str, float | list[float]]]] = {n: [] for n in sizes}
        for _ in range(runs):  # interleaved, so both sizes see the same machine
            for n, db in dbs.items():
                got[n].append(measured(db))
    first = {n: statistics.median(float(g["first"]) for g in got[n]) for n in sizes}  # type: ignore[arg-type]
    for n in sizes:
        keys = [k for g in got[n] for k in g["keys"]]  # type: ignore[union-attr]
        rss = max(float(g["rss"]) for g in got[n])  # type: ignore[arg-type]
        print(
            f"{n:>6} pilots: first list {first[n] * 1000:7.1f} ms; filter key median "
            f"{statistics.median(keys) * 1000:6.1f} ms, max {max(keys) * 1000:6.1f} ms; "
            f"peak {rss:5.1f} MiB"
        )
    print(f"first list {big} vs {sizes[0]}: {first[big] / first[sizes[0]]:.2f}x  (target <= 1.2)")


if __name__ == "__main__":
    main()
