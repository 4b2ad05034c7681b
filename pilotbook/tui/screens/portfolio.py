"""The portfolio: every pilot on one line with the same filters as `pilotbook portfolio`,
and where they stall, below. Enter opens the highlighted pilot.

It reads the verdicts kept on the pilot rows (`ws.portfolio`), never the rules,
so it opens as fast as the pilots list. The store is read once (`ws.portfolio.kept`)
and kept while the screen is open: a filter key works out the rows in memory at
once, and the counts below a moment after the typing stops. The store is read
again when its change mark moves (a change made anywhere, looked at every few
seconds and when the screen comes back) or on ctrl+r.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.events import Key
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from pilotbook.tui.service import ServiceCalls
from pilotbook.tui.text import cell, one_line
from pilotbook.tui.widgets.columns import Column, fit
from pilotbook.tui.widgets.footer import QuietFooter
from pilotbook.tui.widgets.topbar import TopBar
from pilotbook.tui.widgets.window import walk

if TYPE_CHECKING:
    from pilotbook.workshop.portfolio import Kept, Portfolio, Row

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
# Rows given to the table at once, around the cursor: 10,000 rows would take seconds
# to add, so the table holds a window of the report's rows, as on the pilots list.
WINDOW = 200
# Seconds between two looks at the store's change mark; tests set their own.
WATCH_SECONDS = 2.0
# The counts below the table wait this long after a key: typing stays one frame a key.
SUM_AFTER = 0.15


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


def values_of(r: Row) -> dict[str, str]:
    """A row's cells, whole: the table cuts them to the widths the screen gives."""
    return {
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


class PortfolioScreen(ServiceCalls, Screen[None]):
    CSS_PATH = "portfolio.tcss"
    AUTO_FOCUS = "#portfolio-filter"
    BINDINGS = [
        Binding("enter", "open", "Open", id="portfolio.open", tooltip="Open the pilot"),
        Binding("escape", "back", "Pilots", id="portfolio.back", tooltip="Back to the pilots"),
        Binding(
            "ctrl+r", "reload", "Reload", id="portfolio.reload", tooltip="Read the store again"
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.kept: Kept | None = None  # the store as last read
        self.rows: list[Row] = []  # the rows of the filter typed, from `kept`
        self.portfolio: Portfolio | None = None  # the counts of `rows`, once worked out
        self.top = 0  # the index in `rows` of the table's first row
        self.watch_failing = False
        self.filter_error: str | None = None
        self.widths: dict[str, int] = {}
        self.sized: Kept | None = None  # the read the columns were sized on
        self._sum_timer: Timer | None = None
        self._asked = 0  # counts the filters typed: counts of an earlier one are dropped

    def compose(self) -> ComposeResult:
        yield TopBar("pilotbook · portfolio")
        yield Input(placeholder=HINT, id="portfolio-filter")
        yield DataTable(id="portfolio-rows", cursor_type="row", zebra_stripes=True)
        yield Static("Reading the pilots…", id="portfolio-stalls", markup=False)
        yield QuietFooter()

    def on_mount(self) -> None:
        self.load()
        self.set_interval(WATCH_SECONDS, self.look_for_changes)

    def on_screen_resume(self) -> None:
        if self.kept is not None:
            self.look_for_changes()

    def load(self) -> None:
        """Read the store (in the background) and keep it while the screen is open."""
        self.call(
            lambda ws: ws.portfolio.kept(),
            self.took,
            failure="Could not read the portfolio",
            group="portfolio-load",
            exclusive=True,
        )

    def look_for_changes(self) -> None:
        """Read the store again when its change mark moved since it was read."""
        if self.kept is None:
            return
        known = self.kept.stamp

        def failed(error: Exception) -> None:
            # Once per run of failures: the store unreachable a while is said, not repeated.
            if not self.watch_failing:
                self.report("Could not look for changes made elsewhere", error)
            self.watch_failing = True

        def done(stamp: object) -> None:
            self.watch_failing = False
            if stamp != known:
                self.load()

        self.call(
            lambda ws: ws.portfolio.stamp(),
            done,
            failure="",
            group="portfolio-watch",
            exclusive=True,
            on_error=failed,
            report=False,
        )

    def took(self, kept: Kept) -> None:
        self.kept = kept
        self.refill()

    def refill(self) -> None:
        """The rows of the filter typed, from the kept store: at once; the counts below
        follow when the typing stops."""
        from pilotbook.errors import WorkshopError
        from pilotbook.workshop.portfolio import Filters
        from pilotbook.workshop.portfolio_build import rows_of

        if self.kept is None:
            return
        text = self.query_one("#portfolio-filter", Input).value
        try:
            rows = rows_of(self.kept, Filters.parse(text), sort="-days")
        except WorkshopError as error:
            # A filter being typed (`stalled:6x`) says what is wrong where it is read;
            # the rows of the last good one stay, and their counts wait for it.
            self.filter_error = f"Filter: {error}"
            self.query_one("#portfolio-stalls", Static).update(self.filter_error)
            return
        self.filter_error = None
        self._asked += 1
        if self._sum_timer is not None:
            self._sum_timer.stop()
        self.show_rows(rows)
        self.portfolio = None  # until the counts of these rows are worked out
        asked = self._asked
        self._sum_timer = self.set_timer(SUM_AFTER, lambda: self.sum_up(rows, asked))

    def sum_up(self, rows: list[Row], asked: int) -> None:
        from pilotbook.workshop.portfolio_build import summed

        kept = self.kept
        if kept is None:
            return
        self.run_job(
            lambda: summed(kept, rows),
            lambda p: self.show(p, asked),
            failure="Could not count the portfolio",
            group="portfolio-sum",
            exclusive=True,
        )

    def show_rows(self, rows: list[Row]) -> None:
        keep = self.selected_id()
        self.rows = rows
        if self.kept is not None and self.sized is not self.kept:
            self.size_columns(self.kept.rows)
        at = next((i for i, r in enumerate(rows) if r.id == keep), 0) if keep else 0
        self.fill_window(at)

    def show(self, p: Portfolio, asked: int) -> None:
        if asked != self._asked:
            return  # counts of a filter a later key has replaced: theirs follow
        self.portfolio = p
        if self.filter_error is not None:
            return
        width = max(20, self.size.width - 4)
        self.query_one("#portfolio-stalls", Static).update(stall_lines(p, width))

    def fill_window(self, at: int) -> None:
        """Give the table the window of the rows that holds row `at`, cursor on it."""
        rows = self.rows
        table = self.query_one("#portfolio-rows", DataTable)
        self.top = max(0, min(at - WINDOW // 2, len(rows) - WINDOW))
        table.clear()
        for r in rows[self.top : self.top + WINDOW]:
            row = values_of(r)
            table.add_row(*(cell(one_line(row[k], w)) for k, w in self.widths.items()), key=r.id)
        if table.row_count:
            table.move_cursor(row=at - self.top)

    def move(self, step: int) -> bool:
        """Move the cursor `step` rows through the report's rows, moving the window when
        the cursor would leave it. False when the table can do it alone."""
        table = self.query_one("#portfolio-rows", DataTable)
        rows = self.rows
        if not rows or 0 <= table.cursor_row + step < table.row_count:
            return False
        at = self.top + table.cursor_row
        target = max(0, min(at + step, len(rows) - 1))
        if target == at:
            return False
        self.fill_window(target)
        return True

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

    def size_columns(self, rows: Sequence[Row]) -> None:
        """Widths from every row the store holds, not only the filter's: the columns
        hold still while a filter is typed."""
        self.sized = self.kept
        self.widths = self.columns([values_of(r) for r in rows])
        table = self.query_one("#portfolio-rows", DataTable)
        table.clear(columns=True)
        for key, width in self.widths.items():
            table.add_column(HEADINGS[key], key=key, width=width)

    def selected_id(self) -> str | None:
        table = self.query_one("#portfolio-rows", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    @on(Input.Changed, "#portfolio-filter")
    def _filter(self) -> None:
        self.refill()

    @on(Input.Submitted, "#portfolio-filter")
    def _submitted(self) -> None:
        self.action_open()

    @on(DataTable.RowSelected, "#portfolio-rows")
    def _row_selected(self) -> None:
        self.action_open()

    def on_key(self, event: Key) -> None:
        # The filter keeps the focus; the arrows still walk the table.
        table = self.query_one("#portfolio-rows", DataTable)
        walk(event, table, self.focused is self.query_one("#portfolio-filter"), self.move)

    def action_open(self) -> None:
        pid = self.selected_id()
        if pid is None:
            return
        from pilotbook.tui.screens.pilot import PilotScreen

        self.app.push_screen(PilotScreen(pid))

    def action_reload(self) -> None:
        self.load()

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
