"""Writes the facilitator asks for from a dialog, done off the UI thread.

`in_background(screen, job, done, failure)` runs `job()` in a thread worker;
the worker answers with a message, and the screen then calls `done(result)`,
or shows `failure` and the one-line error in a modal. With `hold=True` the
keys typed meanwhile wait for `done` (see keygate.py): a list refilled after
a change keeps its rows where the next key expects them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.message import Message
from textual.screen import Screen


@dataclass
class BackgroundDone(Message):
    callback: Callable[[Any], None]
    result: Any
    held: bool = False


@dataclass
class BackgroundFailed(Message):
    title: str
    error: str
    held: bool = False


class BackgroundMixin:
    """Mixed into a Screen: handles the answers of `in_background` jobs."""

    key_holds = 0  # jobs under way that the next keys wait for

    def holds_keys(self) -> bool:
        return self.key_holds > 0

    def on_background_done(self, message: BackgroundDone) -> None:
        try:
            message.callback(message.result)
        finally:
            if message.held:
                self.key_holds -= 1

    def on_background_failed(self, message: BackgroundFailed) -> None:
        from pilotbook.tui.screens.modals import MessageScreen

        if message.held:
            self.key_holds -= 1
        self.app.push_screen(MessageScreen(message.title, message.error))  # type: ignore[attr-defined]


def in_background(
    screen: Screen[Any],
    job: Callable[[], Any],
    done: Callable[[Any], None],
    failure: str,
    *,
    hold: bool = False,
) -> None:
    if hold:
        screen.key_holds = getattr(screen, "key_holds", 0) + 1  # type: ignore[attr-defined]

    def work() -> None:
        try:
            result = job()
        except Exception as e:  # shown to the facilitator, never a traceback
            screen.post_message(BackgroundFailed(failure, str(e) or type(e).__name__, hold))
            return
        screen.post_message(BackgroundDone(done, result, hold))

    screen.run_worker(work, thread=True, exit_on_error=False, group="background")
