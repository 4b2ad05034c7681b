"""The workshop app: `make_app` builds it for the CLI, the tests and the benchmarks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.binding import Binding

from pilotbook.tui import settings

if TYPE_CHECKING:
    from pilotbook.workshop import Workshop

Clock = Callable[[], dt.datetime]


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
        workshop: Workshop,
        *,
        pilot: str | None = None,
        clock: Clock = system_clock,
        theme: str | None = None,
    ) -> None:
        super().__init__()
        self.workshop = workshop
        self.start_pilot = pilot
        self.clock = clock
        self._fixed_theme = theme is not None
        wanted = theme or settings.load().get("theme") or settings.DEFAULT_THEME
        self.theme = wanted if wanted in self.available_themes else settings.DEFAULT_THEME

    def on_mount(self) -> None:
        from pilotbook.tui.screens.home import HomeScreen

        self.push_screen(HomeScreen())
        if self.start_pilot is not None:
            from pilotbook.tui.screens.pilot import PilotScreen

            self.push_screen(PilotScreen(self.start_pilot))
        self.theme_changed_signal.subscribe(self, self._remember_theme)

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
        from pilotbook.tui.screens.modals import ConfirmScreen
        from pilotbook.tui.screens.pilot import PilotScreen

        for screen in self.screen_stack:
            if isinstance(screen, PilotScreen):
                screen.flush()
                if screen.saves.busy:

                    def leave(yes: bool | None) -> None:
                        if yes:
                            self.exit()

                    self.push_screen(ConfirmScreen(screen.unsaved_warning(), yes="Quit"), leave)
                    return
        self.exit()

    def now(self) -> dt.datetime:
        return self.clock()


def make_app(
    workshop_or_db: Workshop | str | None = None,
    pilot: str | None = None,
    clock: Clock | None = None,
    theme: str | None = None,
) -> PilotbookApp:
    """The app on a workshop (or on the store at `db`, opened now so errors come first).

    `pilot` is a pilot id to open straight away; `clock` and `theme` are fixed
    by tests so that screens look the same on every run.
    """
    if workshop_or_db is None or isinstance(workshop_or_db, str):
        from pilotbook.workshop import open_workshop

        workshop = open_workshop(workshop_or_db)
    else:
        workshop = workshop_or_db
    return PilotbookApp(workshop, pilot=pilot, clock=clock or system_clock, theme=theme)
