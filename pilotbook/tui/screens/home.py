"""The first screen: every pilot in the store, filtered as you type."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Key
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from pilotbook.tui.screens.portfolio import PortfolioCommand, PortfolioScreen
from pilotbook.tui.service import ServiceCalls, error_text
from pilotbook.tui.text import cell, one_line
from pilotbook.tui.widgets.footer import QuietFooter
from pilotbook.tui.widgets.status import short_label
from pilotbook.tui.widgets.topbar import TopBar
from pilotbook.tui.widgets.window import walk

if TYPE_CHECKING:
    from pilotbook.workshop import Workshop
    from pilotbook.workshop.views import PilotSummary, PlaybookInfo

TITLE = "pilotbook · pilots"
EMPTY = (
    "No pilots in this store yet.\n\n"
    "Press Ctrl+N to start one: give it a name, pick the playbook and name the facilitator.\n"
    "To look around first, quit and run `pilotbook demo` for a filled-in example."
)


@dataclass
class Verdicts:
    """The verdicts worked out for the list, and why the others could not be."""

    labels: dict[str, str] = field(default_factory=dict)
    errors: dict[str, Exception] = field(default_factory=dict)


def work_out_verdicts(ws: Workshop, pilot_ids: list[str]) -> Verdicts:
    out = Verdicts()
    for pid in pilot_ids:
        try:
            out.labels[pid] = short_label(ws.verdict.assess(pid).label)
        except Exception as e:  # this pilot's cell says why; the others still show
            out.errors[pid] = e
    return out


# (title, key, fixed width or None for the name, which takes what is left)
COLUMNS: list[tuple[str, str, int | None]] = [
    ("Name", "name", None),
    ("Playbook", "playbook", 12),
    ("Phase", "phase", 8),
    ("Progress", "progress", 9),
    ("Verdict", "verdict", 18),
    ("Last change", "changed", 16),
]
DROP_ORDER = ("playbook", "phase", "progress")  # never the verdict or the date
NAME_MIN = 16
# Rows handed to the table at a time. The table measures each row it is given,
# so at 10,000 pilots it holds a window around the cursor, never the whole list;
# the window moves when the cursor reaches its edge.
WINDOW = 200


def hay_of(p: PilotSummary) -> str:
    """What the filter looks in: name, playbook, phase and slug, case folded."""
    return f"{p.name} {p.playbook_id} {p.phase or ''} {p.slug}".casefold()


def name_width(p: PilotSummary) -> int:
    from rich.cells import cell_len

    return cell_len(one_line(p.name, 40))


class HomeScreen(ServiceCalls, Screen[None]):
    CSS_PATH = "home.tcss"
    AUTO_FOCUS = "#filter"
    BINDINGS = [
        Binding("enter", "open", "Open", id="home.open", tooltip="Open the highlighted pilot"),
        Binding(
            "ctrl+n", "new", "New pilot", id="home.new", tooltip="Start a pilot", priority=True
        ),
        Binding("f2", "rename", "Rename", id="home.rename", tooltip="Rename the pilot"),
        Binding(
            "ctrl+d", "archive", "Archive", id="home.archive", tooltip="Archive it", priority=True
        ),
        Binding(
            "f3", "portfolio", "Portfolio", id="home.portfolio", tooltip="Where the pilots stall"
        ),
    ]
    COMMANDS = {PortfolioCommand}

    def __init__(self) -> None:
        super().__init__()
        self.pilots: list[PilotSummary] = []
        self.verdicts: dict[str, str] = {}
        # Prepared once per list: (text to match, the name's width on screen, pilot).
        self._index: list[tuple[str, int, PilotSummary]] = []
        self.shown: list[PilotSummary] = []  # the pilots that match the filter
        # What each filter text matched, for this list: a longer text searches
        # only what its start matched, and backspace finds its answer here.
        self._found: dict[str, list[tuple[str, int, PilotSummary]]] = {}
        # Each pilot's cells but the verdict, made when its row is first shown.
        self._cells: dict[str, dict[str, Any]] = {}
        self.top = 0  # where the table's window starts in `shown`

    def compose(self) -> ComposeResult:
        yield TopBar(TITLE)
        yield Input(placeholder="Type to filter pilots by name, playbook or phase", id="filter")
        yield DataTable(id="pilots", cursor_type="row", zebra_stripes=True)
        yield Static(EMPTY, id="empty", markup=False)
        yield QuietFooter()

    def on_mount(self) -> None:
        self.set_columns(self.fitting_columns(self.size.width))
        self.load()

    def fitting_columns(self, width: int) -> list[tuple[str, str, int | None]]:
        """The columns that fit `width` without scrolling sideways.

        The name gives way first, down to NAME_MIN; then whole columns go, the
        least needed first (DROP_ORDER). The verdict and the last change stay.
        """
        kept = list(COLUMNS)
        for key in (None, *DROP_ORDER):
            if key is not None:
                kept = [c for c in kept if c[1] != key]
            fixed = sum((w or 0) + 2 for _, k, w in kept if k != "name")
            if width - fixed - 4 >= NAME_MIN:
                break
        return kept

    def set_columns(self, columns: list[tuple[str, str, int | None]]) -> None:
        table = self.query_one("#pilots", DataTable)
        if [c.key.value for c in table.columns.values()] == [k for _, k, _ in columns]:
            return
        table.clear(columns=True)
        # Fixed widths but the name's: the verdicts arrive later and must not
        # make the columns jump.
        for title, key, width in columns:
            table.add_column(title, key=key, width=width)

    def on_screen_resume(self) -> None:
        if self.pilots:  # back from a pilot: its progress and verdict have moved on
            self.load(self.selected_id())

    def load(self, select: str | None = None) -> None:
        # Until the service is open the first list is read straight from the file.
        self.run_job(
            self.pb.list_pilots,
            lambda pilots: self.show_pilots(pilots, select),
            failure="Could not list the pilots",
            group="home-load",
            exclusive=True,
        )

    def load_verdicts(self, pilot_ids: list[str]) -> None:
        self.call(
            lambda ws: work_out_verdicts(ws, pilot_ids),
            self.show_verdicts,
            failure="Could not work out the verdicts",
            group="home-verdicts",
            exclusive=True,
        )

    def show_pilots(self, pilots: list[PilotSummary], select: str | None) -> None:
        # Latest change first; the name breaks ties so the order never flickers.
        self.pilots = sorted(pilots, key=lambda p: (-p.updated_at.timestamp(), p.name.casefold()))
        self._index = [(hay_of(p), name_width(p), p) for p in self.pilots]
        self._found = {"": self._index}
        self._cells = {}
        # Kept verdicts show at once; only those not kept (changed since, or an
        # accepted risk lapsed) are worked out behind the painted list.
        for p in self.pilots:
            if p.verdict_label is not None:
                self.verdicts[p.id] = short_label(p.verdict_label)
        self.refill(select)
        missing = [p.id for p in self.pilots if p.verdict_label is None]
        self.show_pending(len(missing))
        self.app.call_after_refresh(self._after_shown, missing)

    def show_pending(self, count: int) -> None:
        """Say in the title how many verdicts are still being worked out ("…" rows)."""
        title = TITLE
        if count:
            title += f" · {count} verdict{'s' if count != 1 else ''} pending…"
        self.query_one(TopBar).title = title

    def _after_shown(self, pilot_ids: list[str]) -> None:
        if pilot_ids:
            self.load_verdicts(pilot_ids)  # opens the service on the way
        elif not self.pb.workshop_open:
            # Load the service while the facilitator reads the list.
            self.call(lambda ws: None, failure="Could not open the store", group="home-open")

    def show_verdicts(self, verdicts: Verdicts) -> None:
        shown = dict(verdicts.labels)
        for pid, error in verdicts.errors.items():
            shown[pid] = f"✗ {error_text(error)}"  # why, cut to the column; full in the toast
        self.verdicts.update(shown)
        self.show_pending(0)
        table = self.query_one("#pilots", DataTable)
        for pid, verdict in shown.items():
            if pid in table.rows:
                table.update_cell(pid, "verdict", cell(one_line(verdict, 18)))
        if verdicts.errors:
            pid, error = next(iter(verdicts.errors.items()))
            name = next((p.name for p in self.pilots if p.id == pid), pid)
            more = len(verdicts.errors) - 1
            title = f"No verdict for {one_line(name, 40)}" + (f" (+{more} more)" if more else "")
            self.report(title, error)

    def refill(self, select: str | None = None) -> None:
        words = self.query_one("#filter", Input).value.casefold().split()
        select = select or self.selected_id()
        self.query_one("#empty").display = not self.pilots
        self.query_one("#pilots", DataTable).display = bool(self.pilots)
        self.set_columns(self.fitting_columns(self.size.width))
        found = self.matching(words)
        self.shown = [e[2] for e in found]
        self.size_name_column(max((e[1] for e in found), default=4))
        at = next((i for i, p in enumerate(self.shown) if p.id == select), 0) if select else 0
        self.fill_window(at)

    def matching(self, words: list[str]) -> list[tuple[str, int, PilotSummary]]:
        """The index entries whose text holds every word, the cached ones reused."""
        key = " ".join(words)
        if key in self._found:
            return self._found[key]
        # Whatever matches `key` matches any start of it: search the longest one known.
        start = max((k for k in self._found if key.startswith(k)), key=len, default="")
        found = [e for e in self._found.get(start, self._index) if all(w in e[0] for w in words)]
        if len(self._found) > 64:  # a long session of typing: keep the memory small
            self._found = {"": self._index}
        self._found[key] = found
        return found

    def row_cells(self, p: PilotSummary) -> dict[str, Any]:
        cells = self._cells.get(p.id)
        if cells is None:
            done = p.required_answered
            total = p.required_total
            pct = f"{done * 100 // total}%" if total else "–"
            cells = {
                "name": cell(one_line(p.name, 40)),
                "playbook": cell(one_line(p.playbook_id, 20)),
                "phase": cell(one_line(p.phase or "–", 12)),
                "progress": f"{done}/{total} {pct}",
                "changed": p.updated_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            }
            self._cells[p.id] = cells
        return cells

    def fill_window(self, at: int) -> None:
        """Give the table the window of `shown` that holds row `at`, cursor on it."""
        table = self.query_one("#pilots", DataTable)
        self.top = max(0, min(at - WINDOW // 2, len(self.shown) - WINDOW))
        table.clear()
        keys = [str(c.key.value) for c in table.columns.values()]
        for p in self.shown[self.top : self.top + WINDOW]:
            values = self.row_cells(p)
            verdict = cell(one_line(self.verdicts.get(p.id, "…"), 18))
            table.add_row(*(verdict if k == "verdict" else values[k] for k in keys), key=p.id)
        if table.row_count:
            table.move_cursor(row=at - self.top)

    def move(self, step: int) -> bool:
        """Move the cursor `step` rows through `shown`, moving the window when the
        cursor would leave it. False when the table can do it alone."""
        table = self.query_one("#pilots", DataTable)
        at = self.top + table.cursor_row
        inside = 0 <= table.cursor_row + step < table.row_count
        if inside or not self.shown:
            return False
        target = max(0, min(at + step, len(self.shown) - 1))
        if target == at:
            return False
        self.fill_window(target)
        return True

    def on_resize(self) -> None:
        if self.pilots:
            self.refill()

    def size_name_column(self, longest: int) -> None:
        """The name column takes what the fixed columns leave (at least 20), up to the
        longest name shown.

        Set here rather than left to the table: rows added while the table is
        being laid out can leave an automatic column at its header's width.
        """
        table = self.query_one("#pilots", DataTable)
        column = next(c for c in table.columns.values() if c.key.value == "name")
        others = sum(c.width + 2 for c in table.columns.values() if c is not column)
        room = max(4, self.size.width - others - 4)
        column.auto_width = False
        # `fitting_columns` left at least NAME_MIN for it: no sideways scrolling.
        column.width = max(4, min(longest, max(room, NAME_MIN)))

    def selected_id(self) -> str | None:
        table = self.query_one("#pilots", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def selected(self) -> PilotSummary | None:
        table = self.query_one("#pilots", DataTable)
        if not table.row_count:
            return None
        at = self.top + table.cursor_row
        return self.shown[at] if at < len(self.shown) else None

    @on(Input.Changed, "#filter")
    def _filter(self) -> None:
        self.refill()

    @on(Input.Submitted, "#filter")
    def _submitted(self) -> None:
        self.action_open()

    def on_key(self, event: Key) -> None:
        # The filter keeps the focus; the arrows still walk the table.
        table = self.query_one("#pilots", DataTable)
        walk(event, table, self.focused is self.query_one("#filter"), self.move)

    @on(DataTable.RowSelected, "#pilots")
    def _row_selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        pilot = self.selected()
        if pilot is None:
            return
        from pilotbook.tui.screens.pilot import PilotScreen

        self.app.push_screen(PilotScreen(pilot.id))

    def action_portfolio(self) -> None:
        self.app.push_screen(PortfolioScreen())

    def action_new(self) -> None:
        # Reading the playbooks may open (and migrate) the store: never on the UI thread.
        self.call(
            lambda ws: ws.playbooks.all(),
            self.ask_new,
            failure="Could not read the playbooks",
            hold=True,
        )

    def ask_new(self, playbooks: list[PlaybookInfo]) -> None:
        # The dialogs load when first asked for, not before the first list.
        from pilotbook.tui.screens.modals import Field, FormScreen, MessageScreen

        if not playbooks:
            self.app.push_screen(MessageScreen("No playbooks", "No playbook could be loaded."))
            return
        options = [(f"{p.title} ({p.id} v{p.version})", p.id) for p in playbooks]
        default = "ai-pilot" if any(p.id == "ai-pilot" for p in playbooks) else playbooks[0].id
        form = FormScreen(
            "New pilot",
            [
                Field("name", "Name of the pilot", required=True),
                Field("playbook", "Playbook", "select", default, required=True, options=options),
                Field("facilitator", "Facilitator"),
            ],
            submit="Create",
        )
        self.app.push_screen(form, self._create)

    def _create(self, values: dict[str, Any] | None) -> None:
        if values is None:
            return

        def created(pilot: PilotSummary) -> None:
            from pilotbook.tui.screens.pilot import PilotScreen

            self.notify(f"Created {one_line(pilot.name, 60)}", markup=False)
            self.load(pilot.id)
            # A pilot is made to be worked on: open it straight away.
            self.app.push_screen(PilotScreen(pilot.id))

        self.call(
            lambda ws: ws.pilots.create(
                values["name"], values["playbook"], facilitator=values["facilitator"]
            ),
            created,
            failure="The pilot was not created",
            hold=True,
        )

    def action_rename(self) -> None:
        from pilotbook.tui.screens.modals import Field, FormScreen

        pilot = self.selected()
        if pilot is None:
            return

        def done(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            self.call(
                lambda ws: ws.pilots.rename(pilot.id, values["name"]),
                lambda _: self.load(pilot.id),
                failure="Not renamed",
            )

        form = FormScreen("Rename pilot", [Field("name", "Name", value=pilot.name, required=True)])
        self.app.push_screen(form, done)

    def action_archive(self) -> None:
        from pilotbook.tui.screens.modals import ConfirmScreen

        pilot = self.selected()
        if pilot is None:
            return

        def done(yes: bool | None) -> None:
            if not yes:
                return

            def archived(_: object) -> None:
                self.notify(f"Archived {one_line(pilot.name, 60)}", markup=False)
                self.load()

            self.call(lambda ws: ws.pilots.archive(pilot.id), archived, failure="Not archived")

        question = (
            f"Archive the pilot {one_line(pilot.name, 60)}?\n"
            "It leaves this list; its answers and history are kept."
        )
        self.app.push_screen(ConfirmScreen(question, yes="Archive"), done)
