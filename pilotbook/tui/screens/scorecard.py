"""The scorecard: each baseline metric's target, kill threshold and measurements over
time, with a sparkline; n records a measurement. Status is a word and a symbol,
never a colour alone."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Sparkline, Static

from pilotbook.tui.screens.forms import ServiceForm
from pilotbook.tui.screens.modals import Field
from pilotbook.tui.service import ServiceCalls, error_text
from pilotbook.tui.text import literal, one_line
from pilotbook.tui.widgets.footer import QuietFooter
from pilotbook.tui.widgets.topbar import TopBar

if TYPE_CHECKING:
    from textual.widget import Widget

    from pilotbook.workshop import Workshop
    from pilotbook.workshop.measurements import MetricCard, Scorecard
    from pilotbook.workshop.views import MeasurementInfo

STATUS_MARK = {
    "no data": "○ no data",
    "past kill threshold": "✖ past kill threshold",
    "on target": "✓ on target",
    "improving": "↗ improving",
    "not improving": "→ not improving",
}


def number(value: float | None, unit: str | None = None) -> str:
    if value is None:
        return "–"
    text = f"{value:g}"
    return f"{text} {unit}" if unit else text


def card_lines(c: MetricCard) -> tuple[str, str]:
    m = c.metric
    head = f"{STATUS_MARK[c.status]} · {one_line(m.label, 50)}"
    facts = (
        f"baseline {number(m.baseline, m.unit)} · target {number(m.target, m.unit)} · "
        f"kill {number(m.kill, m.unit)} · {m.direction}"
    )
    points = "  ".join(
        f"{p.measured_on}: {number(p.value)}" + (f" ({one_line(p.source, 24)})" if p.source else "")
        for p in c.points[-6:]
    )
    if len(c.points) > 6:
        points = f"… {len(c.points) - 6} earlier · " + points
    return head, f"{facts}\n{points or 'No measurement yet: press n to record one.'}"


class ScorecardScreen(ServiceCalls, Screen[None]):
    DEFAULT_CSS = """
    ScorecardScreen #cards { padding: 0 1; }
    ScorecardScreen .metric { height: auto; margin-bottom: 1; }
    ScorecardScreen .metric-head { text-style: bold; }
    ScorecardScreen Sparkline { height: 1; }
    """
    BINDINGS = [
        Binding("escape", "close", "Back", id="scorecard.back", tooltip="Back"),
        Binding("n", "measure", "Measure", id="scorecard.measure", tooltip="Record a measurement"),
    ]

    def __init__(self, pilot_id: str) -> None:
        super().__init__()
        self.pilot_id = pilot_id
        self.card: Scorecard | None = None
        self.unread = False  # the scorecard could not be read: keys are not held for it
        self.stamp: tuple[int, Any] | None = None  # the pilot's change stamp when last read

    def compose(self) -> ComposeResult:
        yield TopBar("pilotbook · scorecard")
        yield VerticalScroll(id="cards")
        yield QuietFooter()

    def on_mount(self) -> None:
        from pilotbook.tui.screens import watching

        self.load()
        # A measurement recorded elsewhere (`pilotbook measure`) shows without reopening.
        self.set_interval(watching.WATCH_SECONDS, self.look_for_changes)

    def look_for_changes(self) -> None:
        pid, known = self.pilot_id, self.stamp

        def read(ws: Workshop) -> tuple[tuple[int, Any], Scorecard] | None:
            stamp = ws.pilots.change_stamp(pid)
            return None if stamp == known else (stamp, ws.measurements.scorecard(pid))

        def done(fresh: tuple[tuple[int, Any], Scorecard] | None) -> None:
            if fresh is not None and fresh[0] != self.stamp:
                self.stamp = fresh[0]
                self.run_worker(self.show_card(fresh[1]), group="scorecard-show", exclusive=True)

        self.call(read, done, failure="", group="scorecard-watch", exclusive=True, report=False)

    def holds_keys(self) -> bool:
        """Keys typed while the scorecard loads wait for it: `n` needs its metrics."""
        return (self.card is None and not self.unread) or super().holds_keys()

    def load(self) -> None:
        pid = self.pilot_id

        def read(ws: Workshop) -> tuple[tuple[int, Any], Scorecard]:
            # The stamp first: a change made meanwhile is noticed, not missed.
            return ws.pilots.change_stamp(pid), ws.measurements.scorecard(pid)

        async def show(read: tuple[tuple[int, Any], Scorecard]) -> None:
            self.stamp = read[0]
            await self.show_card(read[1])

        self.call(
            read,
            show,
            failure="Could not read the scorecard",
            group="scorecard",
            exclusive=True,
            on_error=self.failed,
        )

    def failed(self, error: Exception) -> None:
        self.unread = True
        if self.card is None:
            text = f"⚠ Could not read the scorecard: {error_text(error)} (Esc goes back)"
            self.query_one("#cards", VerticalScroll).mount(Static(literal(text)))

    async def show_card(self, card: Scorecard) -> None:
        self.card, self.unread = card, False
        holder = self.query_one("#cards", VerticalScroll)
        await holder.remove_children()
        blocks: list[Widget] = []
        if not self.card.cards:
            blocks.append(
                Static(
                    "No baseline metric yet: answer the baselines question (metric, baseline, "
                    "target, kill threshold) and the metrics show here.",
                    markup=False,
                )
            )
        for c in self.card.cards:
            head, body = card_lines(c)
            parts: list[Widget] = [Static(literal(head), classes="metric-head")]
            if c.points:
                # Three columns a measurement, so a few points do not look like a trend.
                line = Sparkline([p.value for p in c.points])
                line.styles.width = min(3 * len(c.points), 60)
                parts.append(line)
            parts.append(Static(literal(body)))
            blocks.append(Vertical(*parts, classes="metric"))
        if self.card.unlinked:
            names = ", ".join(sorted({one_line(m.metric, 30) for m in self.card.unlinked}))
            blocks.append(Static(literal(f"Measurements of no defined metric: {names}")))
        await holder.mount_all(blocks)

    def action_measure(self) -> None:
        if self.card is None or not self.card.cards:
            self.notify("No baseline metric to measure yet.")
            return
        today = self.pb.now().date()
        options = [(one_line(c.metric.label, 40), c.metric.key) for c in self.card.cards]
        fields = [
            Field("metric", "Metric", "select", options[0][1], True, options),
            Field("value", "Value", required=True, placeholder="e.g. 41 or 12.5"),
            Field("on", "Measured on", "date", today.isoformat(), True),
            Field("source", "Source (where the figure comes from)"),
        ]

        pid = self.pilot_id

        def job(ws: Workshop, v: dict[str, Any]) -> MeasurementInfo:
            try:
                value = float(v["value"].replace(",", ""))
            except ValueError:
                raise ValueError(
                    f"Value: {v['value']!r} is not a number (e.g. 41 or 12.5)"
                ) from None
            return ws.measurements.record(pid, v["metric"], value, v["on"], source=v["source"])

        def done(m: MeasurementInfo) -> None:
            self.notify(f"Recorded {number(m.value)} for {one_line(m.metric, 40)}", markup=False)
            self.load()

        self.app.push_screen(ServiceForm("Record a measurement", fields, job, done))

    def action_close(self) -> None:
        self.dismiss(None)
