"""Keys for a table that holds a window of a long list while a filter keeps the focus."""

from __future__ import annotations

from collections.abc import Callable

from textual.events import Key
from textual.widgets import DataTable

MOVES = {"up": "cursor_up", "down": "cursor_down", "pageup": "page_up", "pagedown": "page_down"}


def walk(
    event: Key, table: DataTable[object], filter_focused: bool, move: Callable[[int], bool]
) -> None:
    """The arrows and page keys walk the whole list: `move` shifts the window when the
    cursor would leave it, else the table moves its own cursor (the filter has the focus)."""
    if event.key not in MOVES:
        return
    page = max(1, table.scrollable_content_region.height - 1)
    steps = {"up": -1, "down": 1, "pageup": -page, "pagedown": page}
    if move(steps[event.key]):
        event.stop()
        return
    if filter_focused:
        getattr(table, f"action_{MOVES[event.key]}")()
        event.stop()
