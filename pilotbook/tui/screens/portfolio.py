"""The portfolio: every pilot on one line with the same filters as `pilotbook portfolio`,
and where they stall, below. Enter opens the highlighted pilot.

It reads the verdicts kept on the pilot rows (`ws.portfolio`), never the rules,
so it opens as fast as the pilots list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.events import Key
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from pilotbook.tui.service import ServiceCalls
from pilotbook.tui.text import cell, one_line
from pilotbook.tui.widgets.columns import Column, fit
from pilotbook.tui.widgets.footer import QuietFooter
from pilotbook.tui.widgets.topbar import TopBar

if TYPE_CHECKING:
    from pilotbook.workshop import Workshop
    from pilotbook.workshop.portfolio import Portfolio

HEADINGS = {
    "name": "Pilot",
    "owner": "Owner",
    "phase": "Phase",
    "days": "Days",
    "verdict": "Verdict",
    "reason": "First reason",
    "review": "Review",
    "overdue": "Late",  # overdue actions
    "kill": "Kill",  # kill thresholds crossed
}
HINT = "Filter: words of the name, phase:during verdict:no-go stalled:60 owner:ana"


def stall_lines(p: Portfolio, width: int) -> str:
    """Where the selected pilots stall, the rate and the time per phase, as plain lines."""
    rate = "–" if p.rate is None else f"{p.rate:.0%}"
    decided = sum(q.decided for q in p.quarters)
    n = len(p.rows)
    what = f"Where {n} pilot{'' if n == 1 else 's'} stall{'s' if n == 1 else ''}"
    lines = [
        f"{what} · to production: {rate}"
        f" ({p.production} of {decided} decided, {p.came_back} came back)"
    ]
    for s in p.stalls[:5]:
        names = ", ".join(s.pilots[:4]) + (f" +{len(s.pilots) - 4}" if len(s.pilots) > 4 else "")
        lines.append(f"{len(s.pilots):>5}  " + one_line(f"{s.label}: {names}", width - 7))
    if not p.stalls:
        lines.append("       nothing holds these pilots back")
    times = " · ".join(f"{t.phase} {t.median_days:g}d ({t.low_days}–{t.high_days})"
                       for t in p.phase_times)  # fmt: skip
    lines.append(one_line(f"Median days in phase: {times or '–'}", width))
    return "\n".join(lines)


def load_portfolio(ws: Workshop, text: str) -> Portfolio:
    from pilotbook.workshop.portfolio import Filters

    return ws.portfolio.report(Filters.parse(text), sort="-days")


class PortfolioScreen(ServiceCalls, Screen[None]):
    CSS_PATH = "portfolio.tcss"
    AUTO_FOCUS = "#portfolio-filter"
    BINDINGS = [
        Binding("enter", "open", "Open", id="portfolio.open", tooltip="Open the pilot"),
        Binding("escape", "back", "Pilots", id="portfolio.back", tooltip="Back to the pilots"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.portfolio: Portfolio | None = None

    def compose(self) -> ComposeResult:
        yield TopBar("pilotbook · portfolio")
        yield Input(placeholder=HINT, id="portfolio-filter")
        yield DataTable(id="portfolio-rows", cursor_type="row", zebra_stripes=True)
        yield Static("Reading the pilots…", id="portfolio-stalls", markup=False)
        yield QuietFooter()

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        if self.portfolio is not None:
            self.load()

    def load(self) -> None:
        text = self.query_one("#portfolio-filter", Input).value
        self.call(
            lambda ws: load_portfolio(ws, text),
            self.show,
            failure="Could not read the portfolio",
            group="portfolio-load",
            exclusive=True,
            # A filter being typed (`stalled:6x`) says what is wrong where it is read.
            on_error=self.show_error,
            report=False,
        )

    def show_error(self, error: Exception) -> None:
        from pilotbook.errors import WorkshopError

        if not isinstance(error, WorkshopError):
            self.report("Could not read the portfolio", error)
            return
        self.query_one("#portfolio-stalls", Static).update(f"Filter: {error}")

    def columns(self, rows: list[dict[str, str]]) -> dict[str, int]:
        """Owner, verdict, review date and counts whole; the first reason gives
        way first, then the pilot's name (at 80 columns the review date and
        the counts were off to the right)."""

        def want(key: str, cap: int) -> int:
            return min(max([len(HEADINGS[key]), *(len(r[key]) for r in rows)]), cap)

        return fit(
            [
                Column("name", want("name", 32), least=12, gives_way=2),
                Column("owner", want("owner", 24)),
                Column("phase", want("phase", 8)),
                Column("days", want("days", 5)),
                Column("verdict", want("verdict", 12)),
                Column("reason", want("reason", 40), least=16, gives_way=1),
                Column("review", want("review", 10)),
                Column("overdue", want("overdue", 4)),
                Column("kill", want("kill", 4)),
            ],
            self.size.width - 2,  # the table's scrollbar
        )

    def show(self, p: Portfolio) -> None:
        self.portfolio = p
        table = self.query_one("#portfolio-rows", DataTable)
        keep = self.selected_id()
        table.clear(columns=True)
        values = [
            {
                "name": one_line(r.name),
                "owner": one_line(r.owner or "–"),
                "phase": one_line(r.phase or "–"),
                "days": str(r.days_in_phase),
                "verdict": one_line(r.verdict or "–"),
                "reason": one_line(r.reason or r.verdict_label or "–"),
                "review": r.next_review.isoformat() if r.next_review else "–",
                "overdue": str(r.overdue_actions or ""),
                "kill": str(r.kills_crossed or ""),
            }
            for r in p.rows
        ]
        widths = self.columns(values)
        for key, width in widths.items():
            table.add_column(HEADINGS[key], key=key, width=width)
        for r, row in zip(p.rows, values, strict=True):
            table.add_row(*(cell(one_line(row[k], widths[k])) for k in widths), key=r.id)
        if keep and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep))
        width = max(20, self.size.width - 4)
        self.query_one("#portfolio-stalls", Static).update(stall_lines(p, width))

    def selected_id(self) -> str | None:
        table = self.query_one("#portfolio-rows", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    @on(Input.Changed, "#portfolio-filter")
    def _filter(self) -> None:
        self.load()

    @on(Input.Submitted, "#portfolio-filter")
    def _submitted(self) -> None:
        self.action_open()

    @on(DataTable.RowSelected, "#portfolio-rows")
    def _row_selected(self) -> None:
        self.action_open()

    def on_key(self, event: Key) -> None:
        # The filter keeps the focus; the arrows still walk the table.
        moves = {"up": "cursor_up", "down": "cursor_down", "pageup": "page_up",
                 "pagedown": "page_down"}  # fmt: skip
        if event.key in moves and self.focused is self.query_one("#portfolio-filter"):
            getattr(self.query_one("#portfolio-rows", DataTable), f"action_{moves[event.key]}")()
            event.stop()

    def action_open(self) -> None:
        pid = self.selected_id()
        if pid is None:
            return
        from pilotbook.tui.screens.pilot import PilotScreen

        self.app.push_screen(PilotScreen(pid))

    def action_back(self) -> None:
        self.app.pop_screen()


class PortfolioCommand(Provider):
    """The palette's way to the portfolio from the pilots list."""

    TEXT = "Portfolio: every pilot, and where they stall"

    def _open(self) -> None:
        self.app.push_screen(PortfolioScreen())

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        score = matcher.match(self.TEXT)
        if score > 0:
            yield Hit(score, matcher.highlight(self.TEXT), self._open, text=self.TEXT)

    async def discover(self) -> Hits:
        yield DiscoveryHit(self.TEXT, self._open, text=self.TEXT)
