"""Writes the facilitator asks for from a dialog, done off the UI thread.

`in_background(screen, job, done, failure)` runs `job()` in a thread worker;
the worker answers with a message, and the screen then calls `done(result)`,
or shows `failure` and the one-line error in a modal.
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


@dataclass
class BackgroundFailed(Message):
    title: str
    error: str


class BackgroundMixin:
    """Mixed into a Screen: handles the answers of `in_background` jobs."""

    def on_background_done(self, message: BackgroundDone) -> None:
        message.callback(message.result)

    def on_background_failed(self, message: BackgroundFailed) -> None:
        from pilotbook.tui.screens.modals import MessageScreen

        self.app.push_screen(MessageScreen(message.title, message.error))  # type: ignore[attr-defined]


def in_background(
    screen: Screen[Any],
    job: Callable[[], Any],
    done: Callable[[Any], None],
    failure: str,
) -> None:
    def work() -> None:
        try:
            result = job()
        except Exception as e:  # shown to the facilitator, never a traceback
            screen.post_message(BackgroundFailed(failure, str(e) or type(e).__name__))
            return
        screen.post_message(BackgroundDone(done, result))

    screen.run_worker(work, thread=True, exit_on_error=False, group="background")
