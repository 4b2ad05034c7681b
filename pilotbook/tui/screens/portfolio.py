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
from pilotbook.tui.widgets.footer import QuietFooter
from pilotbook.tui.widgets.topbar import TopBar

if TYPE_CHECKING:
    from pilotbook.workshop import Workshop
    from pilotbook.workshop.portfolio import Portfolio

COLUMNS = [
    ("Pilot", "name", None),
    ("Owner", "owner", 12),
    ("Phase", "phase", 8),
    ("Days", "days", 4),
    ("Verdict", "verdict", 11),
    ("First reason", "reason", 30),
    ("Review", "review", 10),
    ("Late", "overdue", 4),  # overdue actions
    ("Kill", "kill", 4),  # kill thresholds crossed
]
HINT = "Filter: words of the name, phase:during verdict:no-go stalled:60 owner:ana"
# Rows given to the table at once, around the cursor: 10,000 rows would take seconds
# to add, so the table holds a window of the report's rows, as on the pilots list.
WINDOW = 200


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
        self.top = 0  # the index in `portfolio.rows` of the table's first row

    def compose(self) -> ComposeResult:
        yield TopBar("pilotbook · portfolio")
        yield Input(placeholder=HINT, id="portfolio-filter")
        yield DataTable(id="portfolio-rows", cursor_type="row", zebra_stripes=True)
        yield Static("Reading the pilots…", id="portfolio-stalls", markup=False)
        yield QuietFooter()

    def on_mount(self) -> None:
        table = self.query_one("#portfolio-rows", DataTable)
        for title, key, width in COLUMNS:
            table.add_column(title, key=key, width=width)
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

    def show(self, p: Portfolio) -> None:
        keep = self.selected_id()
        self.portfolio = p
        table = self.query_one("#portfolio-rows", DataTable)
        # The name takes what the other columns leave, but at least 20: at 80
        # columns the last ones move off to the right, as on the pilots list.
        others = sum(w + 2 for _, _, w in COLUMNS if w)
        name = next(c for c in table.columns.values() if c.key.value == "name")
        name.auto_width = False
        name.width = max(20, min(32, self.size.width - others - 4))
        at = next((i for i, r in enumerate(p.rows) if r.id == keep), 0) if keep else 0
        self.fill_window(at)
        width = max(20, self.size.width - 4)
        self.query_one("#portfolio-stalls", Static).update(stall_lines(p, width))

    def fill_window(self, at: int) -> None:
        """Give the table the window of the rows that holds row `at`, cursor on it."""
        rows = self.portfolio.rows if self.portfolio is not None else ()
        table = self.query_one("#portfolio-rows", DataTable)
        self.top = max(0, min(at - WINDOW // 2, len(rows) - WINDOW))
        table.clear()
        for r in rows[self.top : self.top + WINDOW]:
            table.add_row(
                cell(one_line(r.name, 40)),
                cell(one_line(r.owner or "–", 12)),
                cell(one_line(r.phase or "–", 8)),
                str(r.days_in_phase),
                cell(one_line(r.verdict or "–", 11)),
                cell(one_line(r.reason or r.verdict_label or "–", 30)),
                r.next_review.isoformat() if r.next_review else "–",
                str(r.overdue_actions or ""),
                str(r.kills_crossed or ""),
                key=r.id,
            )
        if table.row_count:
            table.move_cursor(row=at - self.top)

    def move(self, step: int) -> bool:
        """Move the cursor `step` rows through the report's rows, moving the window when
        the cursor would leave it. False when the table can do it alone."""
        table = self.query_one("#portfolio-rows", DataTable)
        rows = self.portfolio.rows if self.portfolio is not None else ()
        if not rows or 0 <= table.cursor_row + step < table.row_count:
            return False
        at = self.top + table.cursor_row
        target = max(0, min(at + step, len(rows) - 1))
        if target == at:
            return False
        self.fill_window(target)
        return True

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
        if event.key in moves:
            table = self.query_one("#portfolio-rows", DataTable)
            page = max(1, table.scrollable_content_region.height - 1)
            steps = {"up": -1, "down": 1, "pageup": -page, "pagedown": page}
            if self.move(steps[event.key]):
                event.stop()
                return
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
