"""Start-up: process start to the first usable screen, with 200 pilots in the store.

Compared with a bare Textual app (a DataTable filled on mount) started the
same way, in the same run. Both run headless in a fresh interpreter and print
the wall-clock time once their first screen is usable (for pilotbook: the
pilots are listed), then exit; the figure is that moment minus the moment the
process was spawned. Target: ratio <= 1.5.

    .venv/bin/python tests/perf/bench_startup.py [runs [pilots]]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = """
from textual.app import App
from textual.widgets import DataTable, Footer, Input
class Bare(App):
    def compose(self):
        yield Input()
        yield DataTable()
        yield Footer()
    def on_mount(self):
        t = self.query_one(DataTable)
        t.add_columns("a", "b")
        t.add_rows([(str(i), str(i)) for i in range(200)])
        self.call_after_refresh(self.ready)
    def ready(self):
        import time
        print(time.time(), flush=True)
        self.exit()
Bare().run(headless=True)
"""

OURS = """
import sys
from pilotbook.tui.app import make_app
from pilotbook.tui.screens.home import HomeScreen
shown = HomeScreen.show_pilots
def done(self, *args, **kwargs):
    shown(self, *args, **kwargs)
    self.app.call_after_refresh(ready, self.app)
def ready(app):
    import time
    print(time.time(), flush=True)
    app.exit()
HomeScreen.show_pilots = done
make_app(sys.argv[1], theme="textual-dark").run(headless=True)
"""


def fill(db: str, pilots: int = 200) -> None:
    from pilotbook.workshop import open_workshop

    ws = open_workshop(db)
    for i in range(pilots):
        p = ws.pilots.create(f"Pilot {i:03d}", "ai-pilot", facilitator="Dana")
        ws.answers.set(p.id, "rollout_commitment", "committed")
        ws.answers.set(p.id, "rollout_budget", 1000 * (i + 1))


def timed(code: str, *args: str) -> float:
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        check=True,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
    ).stdout
    return float(out.strip().splitlines()[-1]) - start


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    pilots = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    with tempfile.TemporaryDirectory() as home:
        os.environ["PILOTBOOK_HOME"] = home
        db = str(Path(home) / "store.db")
        fill(db, pilots)
        timed(BARE)
        timed(OURS, db)  # warm the file cache and byte code for both
        bare, ours = [], []
        for _ in range(runs):
            bare.append(timed(BARE))
            ours.append(timed(OURS, db))
    b, o = statistics.median(bare), statistics.median(ours)
    print(f"bare Textual app : median {b * 1000:7.1f} ms  (min {min(bare) * 1000:.1f})")
    print(f"pilotbook, {pilots:<6}: median {o * 1000:7.1f} ms  (min {min(ours) * 1000:.1f})")
    print(f"ratio            : {o / b:.2f}  (target <= 1.5)")


if __name__ == "__main__":
    main()
