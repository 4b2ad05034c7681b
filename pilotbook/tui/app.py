"""The workshop app: `make_app` builds it for the CLI, the tests and the benchmarks."""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App
from textual.binding import Binding

from pilotbook.tui import settings
from pilotbook.tui.service import error_text, recoverable

if TYPE_CHECKING:
    from pilotbook.web.room import Room
    from pilotbook.workshop import Workshop
    from pilotbook.workshop.views import PilotSummary

Clock = Callable[[], dt.datetime]
log = logging.getLogger(__name__)

# Keys a browser keeps for itself (new window, new tab, reload, quit): under
# `pilotbook serve` these bindings answer to other keys. The settings file's
# "keymap" (binding id -> keys) changes any binding, in a browser or not.
BROWSER_SAFE_KEYS = {
    "app.theme": "alt+t",
    "app.quit": "alt+q",
    "home.new": "alt+n",
    "pilot.next": "alt+n",
    "pilot.action": "alt+a",
    "pilot.round": "alt+r",
}
SERVED = "PILOTBOOK_SERVED"  # set by `pilotbook serve` for the app it runs


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class PilotbookApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "pilotbook"
    BINDINGS = [
        Binding("f1", "help", "Help", id="app.help", tooltip="Every key of this screen"),
        Binding("ctrl+t", "change_theme", "Theme", id="app.theme", tooltip="Pick a colour theme"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", tooltip="Leave; every answer is saved"),
    ]

    def __init__(
        self,
        workshop: Workshop | Callable[[], Workshop],
        *,
        pilot: str | None = None,
        clock: Clock = system_clock,
        theme: str | None = None,
        quick_list: Callable[[], list[PilotSummary]] | None = None,
        room_host: str = "127.0.0.1",
        room_port: int = 0,
    ) -> None:
        """`workshop` is the service, or a function that opens it on first use.

        `quick_list` lists the pilots without the service, for the first screen.
        """
        super().__init__()
        if not hasattr(workshop, "pilots"):
            self._workshop: Workshop | None = None
            self._open_workshop: Callable[[], Workshop] | None = workshop
        else:
            self._workshop = workshop  # type: ignore[assignment]  # has list_pilots: a Workshop
            self._open_workshop = None
        self._workshop_lock = threading.Lock()
        self._quick_list = quick_list
        self.start_pilot = pilot
        self.clock = clock
        self._fixed_theme = theme is not None
        remembered, self.settings_problem = settings.load_checked()
        wanted = theme or remembered.theme or settings.DEFAULT_THEME
        self.theme = wanted if wanted in self.available_themes else settings.DEFAULT_THEME
        self.room_host, self.room_port = room_host, room_port
        self._room: Room | None = None
        keymap = dict(BROWSER_SAFE_KEYS) if self.served else {}
        keymap |= {k: v for k, v in remembered.keymap.items() if v.strip()}
        if keymap:
            self.set_keymap(keymap)
        from pilotbook.tui.keygate import KeyGate

        self.key_gate = KeyGate(self)

    async def on_event(self, event: events.Event) -> None:
        # Keys from the terminal go through the gate: see keygate.py for why.
        if isinstance(event, events.Key) and not event.is_forwarded:
            await self.key_gate.receive(event)
            return
        await super().on_event(event)

    def help_in_dialog(self, key: str) -> bool:
        """The help key on a dialog: Textual leaves the app's own keys out of a modal
        screen's, so F1 would do nothing there unless the dialog binds it itself."""
        screen = self.screen
        if not screen.is_modal or key in screen.active_bindings:
            return False
        return any(b.action == "help" for b in self._bindings.key_to_bindings.get(key, ()))

    @property
    def served(self) -> bool:
        """Shown in a browser through `pilotbook serve` (files are then downloads)."""
        return os.environ.get(SERVED) == "1" or self.is_web

    @property
    def room(self) -> Room:
        """The participants' server, made on first use."""
        if self._room is None:
            from pilotbook.web.room import Room

            self._room = Room(lambda: self.workshop, self.room_host, self.room_port)
        return self._room

    def stop_room(self) -> None:
        if self._room is not None:
            self._room.stop()

    @property
    def workshop(self) -> Workshop:
        """The service; opened here on first use when the app started without it."""
        if self._workshop is None:
            with self._workshop_lock:  # workers and the UI may ask at the same time
                # Checked again under the lock: another thread may have opened it meanwhile.
                if self._workshop is None and self._open_workshop is not None:  # type: ignore[redundant-expr]
                    self._workshop = self._open_workshop()
        return self._workshop  # type: ignore[return-value]  # set above, or by the opener

    def list_pilots(self) -> list[PilotSummary]:
        """The pilots for the home screen: read directly until the service is open."""
        if self._workshop is None and self._quick_list is not None:
            quick, self._quick_list = self._quick_list, None  # once: later lists see writes
            return quick()
        return self.workshop.pilots.all()

    @property
    def workshop_open(self) -> bool:
        return self._workshop is not None

    def report_failure(self, title: str, error: BaseException) -> None:
        """Every failed service call ends here: never silent, never a traceback on screen.

        The service's one-line refusals are a toast; the store failing, or
        anything unexpected, is a modal to read (its traceback goes to the log).
        """
        if recoverable(error):
            self.notify(error_text(error), title=title, severity="error", markup=False)
            return
        trace = "".join(traceback.format_exception(error))
        log.error("%s: %s", title, trace)
        self.log.error(title, trace)
        from pilotbook.errors import WorkshopError
        from pilotbook.tui.screens.modals import MessageScreen

        what = "" if isinstance(error, WorkshopError) else f"{type(error).__name__}: "
        self.push_screen(MessageScreen(title, what + error_text(error)))

    def on_mount(self) -> None:
        from pilotbook.tui.screens.home import HomeScreen

        self.push_screen(HomeScreen())
        if self.start_pilot is not None:
            from pilotbook.tui.screens.pilot import PilotScreen

            self.push_screen(PilotScreen(self.start_pilot))
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self.settings_problem:
            self.notify(self.settings_problem, title="Settings", severity="warning", markup=False)

    def on_unmount(self) -> None:
        self.stop_room()

    def _remember_theme(self, theme: Any) -> None:
        if not self._fixed_theme:
            settings.save(theme=theme.name)

    def action_help(self) -> None:
        from pilotbook.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        keys = []
        seen = set()
        for active in self.active_bindings.values():
            b = active.binding
            if not b.show or b.system or (b.action, b.description) in seen:
                continue
            seen.add((b.action, b.description))
            keys.append((self.get_key_display(b), b.description, active.tooltip or b.tooltip))
        self.push_screen(HelpScreen(keys))

    async def action_quit(self) -> None:
        from pilotbook.tui.screens.pilot import PilotScreen

        for screen in self.screen_stack:
            if isinstance(screen, PilotScreen):
                screen.flush()
                screen.when_saved(self.exit, yes="Quit")
                return
        self.exit()

    def now(self) -> dt.datetime:
        return self.clock()


def make_app(
    workshop_or_db: Workshop | str | None = None,
    pilot: str | None = None,
    clock: Clock | None = None,
    theme: str | None = None,
    room_host: str = "127.0.0.1",
    room_port: int = 0,
) -> PilotbookApp:
    """The app on a workshop (or on the store at `db`, opened now so errors come first).

    `pilot` is a pilot id to open straight away; `clock` and `theme` are fixed
    by tests so that screens look the same on every run. `room_host` and
    `room_port` are where the participants' pages of a round are served.
    """
    if workshop_or_db is not None and not isinstance(workshop_or_db, str):
        return PilotbookApp(
            workshop_or_db,
            pilot=pilot,
            clock=clock or system_clock,
            theme=theme,
            room_host=room_host,
            room_port=room_port,
        )
    from pilotbook.locations import resolve_store
    from pilotbook.workshop import quicklist

    db = workshop_or_db
    path = quicklist.local_path(resolve_store(db).value)
    if pilot is None and path is not None and quicklist.store_is_current(path):
        # Nothing to migrate, refuse or create: show the list first, and load
        # SQLAlchemy and the service behind it (see docs/architecture.md).
        def opener() -> Workshop:
            from pilotbook.workshop import open_workshop

            return open_workshop(db)

        return PilotbookApp(
            opener,
            clock=clock or system_clock,
            theme=theme,
            quick_list=lambda: quicklist.list_pilots(path),
            room_host=room_host,
            room_port=room_port,
        )
    from pilotbook.workshop import open_workshop

    return PilotbookApp(
        open_workshop(db),
        pilot=pilot,
        clock=clock or system_clock,
        theme=theme,
        room_host=room_host,
        room_port=room_port,
    )
