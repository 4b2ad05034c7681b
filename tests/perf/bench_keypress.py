"""Key press to the next question shown, on the default playbook.

Drives the app headless: posts a Ctrl+N key event to the screen, then waits
for the first refresh after the new question has been mounted and focused
(a callback the app runs after its next refresh). Pilot.press is not used for
timing: it adds its own waits for idle, over 100 ms even for a bare app. Compared with a
bare Textual app swapping one Input for another on a key press (the least a
question change costs), in the same run. Target: median <= 30 ms.

    .venv/bin/python tests/perf/bench_keypress.py [steps]
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Footer, Input, Static


class Bare(App[None]):
    BINDINGS = [("ctrl+n", "next", "Next")]

    def compose(self) -> ComposeResult:
        yield Static("question 0", id="ask")
        yield Vertical(Input(), id="holder")
        yield Footer()

    async def action_next(self) -> None:
        holder = self.query_one("#holder")
        n = int(str(self.query_one("#ask", Static).render()).split()[-1]) + 1
        self.query_one("#ask", Static).update(f"question {n}")
        new = Input()
        old = list(holder.children)
        await holder.mount(new)
        new.focus()
        await holder.remove_children(old)


async def measure(app: App[None], ready: object, steps: int) -> list[float]:
    times = []
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)  # type: ignore[operator]
        for _ in range(steps):
            shown = asyncio.Event()
            start = time.perf_counter()
            await app.run_action("next", app.screen if hasattr(app.screen, "goto") else app)
            await app_idle(app)
            app.call_after_refresh(shown.set)
            await shown.wait()
            times.append(time.perf_counter() - start)
            await pilot.pause(0.05)  # let the save/assess workers settle between steps
    return times


async def app_idle(app: App[None]) -> None:
    # The pilot screen swaps the input in a worker: wait for it to finish.
    for worker in list(app.workers):
        if worker.group == "swap":
            await worker.wait()


async def pilot_ready(pilot: object) -> None:
    from pilotbook.tui.screens.pilot import PilotScreen

    for _ in range(200):
        await pilot.pause(0.02)  # type: ignore[attr-defined]
        screen = pilot.app.screen  # type: ignore[attr-defined]
        if isinstance(screen, PilotScreen) and screen.assessment is not None:
            return
    raise SystemExit("the pilot screen never got ready")


async def bare_ready(pilot: object) -> None:
    await pilot.pause(0.1)  # type: ignore[attr-defined]


def main() -> None:
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    with tempfile.TemporaryDirectory() as home:
        os.environ["PILOTBOOK_HOME"] = home
        from pilotbook.tui.app import make_app
        from pilotbook.workshop import open_workshop

        ws = open_workshop(str(Path(home) / "store.db"))
        pid = ws.pilots.create("Bench", "ai-pilot").id
        bare = asyncio.run(measure(Bare(), bare_ready, steps))
        ours = asyncio.run(
            measure(make_app(ws, pilot=pid, theme="textual-dark"), pilot_ready, steps)
        )
    b, o = statistics.median(bare), statistics.median(ours)
    print(f"bare Textual swap  : median {b * 1000:6.1f} ms")
    print(
        f"next question shown: median {o * 1000:6.1f} ms  p90 "
        f"{statistics.quantiles(ours, n=10)[-1] * 1000:.1f} ms  (target median <= 30 ms)"
    )
    print(f"ratio              : {o / b:.2f}")


if __name__ == "__main__":
    main()
