"""Keys are handled one after the other, each by the field that has the focus when its turn comes.

Textual routes a key to the focused widget the moment it reads it, but the key
then travels through message queues: a Tab moves the focus, F5 opens a dialog
and Enter closes one only once the key has bubbled up to its binding. Keys
typed meanwhile were already routed to the old field: a fast facilitator's
"title, Tab, owner" ended up in the title. The gate holds the keys that follow
any key that may move the focus (every key but a character typed into a text
field) until the app has settled: the key handled, the dialog it opened
mounted and focused, or the one it closed gone. A screen may hold keys a while
longer with a `holds_keys()` method (a form waiting for its save, a pilot still
loading). Keys are never dropped: after a few seconds of a screen that does not
settle, they go on to whatever has the focus then.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from typing import TYPE_CHECKING, Any

from textual import events
from textual.widgets import Input, TextArea

if TYPE_CHECKING:
    from textual.app import App

# A screen that never settles must not swallow the keyboard.
PATIENCE_SECONDS = 5.0


def stays_in_field(app: App[Any], event: events.Key) -> bool:
    """True for a character typed into a text field: it cannot move the focus."""
    focused = app.focused
    if not isinstance(focused, (Input, TextArea)):
        return False
    return (event.is_printable and len(event.key) == 1) or event.key == "space"


class KeyGate:
    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.held: deque[events.Key] = deque()
        self.holding = False
        self._task: asyncio.Task[None] | None = None

    async def receive(self, event: events.Key) -> None:
        """A key straight from the terminal."""
        if self.holding:
            self.held.append(event)
            return
        await self._deliver(event)
        if not stays_in_field(self.app, event) or self._screen_holds():
            self.holding = True
            self._task = asyncio.create_task(self._release())

    async def _deliver(self, event: events.Key) -> None:
        from textual.app import App

        help_in_dialog = getattr(self.app, "help_in_dialog", None)
        if help_in_dialog is not None and help_in_dialog(event.key):
            self.app.action_help()  # type: ignore[attr-defined]  # PilotbookApp, checked above
            return
        await App.on_event(self.app, event)

    def _screen_holds(self) -> bool:
        try:
            screen = self.app.screen
        except Exception:
            return False
        holds = getattr(screen, "holds_keys", None)
        return bool(holds and holds())

    async def _release(self) -> None:
        try:
            await self.settled()
            while self.held:
                event = self.held.popleft()
                await self._deliver(event)
                if not stays_in_field(self.app, event) or self._screen_holds():
                    await self.settled()
        finally:
            self.holding = False

    async def settled(self) -> None:
        """Wait until every message pump of the screen has handled what it had queued."""
        give_up = time.monotonic() + PATIENCE_SECONDS
        while time.monotonic() < give_up and self.app.is_running:
            try:
                screen = self.app.screen
            except Exception:
                return
            nodes = [self.app, *screen.walk_children(with_self=True)]
            before = (screen, self.app.focused, len(nodes))
            await _drain(nodes, give_up - time.monotonic())
            if self._screen_holds():
                await asyncio.sleep(0.01)
                continue
            try:
                after = (self.app.screen, self.app.focused, len(list(screen.walk_children())) + 2)
            except Exception:
                return
            if after == before and all(n._message_queue.empty() for n in nodes):
                return


async def _drain(nodes: list[Any], timeout: float) -> None:
    """Every node runs one callback after the messages it has queued now."""
    left = 0
    done = asyncio.Event()

    def one_done() -> None:
        nonlocal left
        left -= 1
        if left == 0:
            done.set()

    for node in nodes:
        if node.call_later(one_done):
            left += 1
    if left:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), max(timeout, 0.01))
