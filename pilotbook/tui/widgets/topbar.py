"""The top line: what is on screen, and the section's timebox counting down."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Static

from pilotbook.tui.text import one_line


class TopBar(Horizontal):
    DEFAULT_CSS = """
    TopBar { height: 1; dock: top; background: $panel; color: $foreground; }
    TopBar #top-title { width: 1fr; padding: 0 1; text-style: bold; }
    TopBar #top-timer { width: auto; padding: 0 1; }
    TopBar.-overdue #top-timer { background: $error; color: $text; text-style: bold; }
    """

    title = reactive("", layout=True)

    def __init__(self, title: str = "") -> None:
        super().__init__()
        self.set_reactive(TopBar.title, title)

    def compose(self) -> ComposeResult:
        yield Static(one_line(self.title), id="top-title", markup=False)
        yield Static("", id="top-timer", markup=False)

    def watch_title(self, title: str) -> None:
        if self.is_mounted:
            self.query_one("#top-title", Static).update(one_line(title))

    def show_timer(self, text: str, overdue: bool = False) -> None:
        if text != getattr(self, "_timer_text", None):
            self._timer_text = text
            self.query_one("#top-timer", Static).update(text)
        self.set_class(overdue, "-overdue")


def countdown_text(remaining: dt.timedelta | None, timebox: int | None) -> str:
    """`⏱ 12:30 left of 15m`, or `⏱ 2:10 over 15m` once the time is up."""
    if remaining is None or timebox is None:
        return ""
    seconds = int(remaining.total_seconds())
    sign = "left of" if seconds >= 0 else "over"
    seconds = abs(seconds)
    box = f"{timebox // 60}m" if timebox % 60 == 0 else f"{timebox}s"
    return f"⏱ {seconds // 60}:{seconds % 60:02d} {sign} {box}"
