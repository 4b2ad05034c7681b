"""The one way screens call the workshop service: off the UI thread, with exactly one answer.

A screen mixes in `ServiceCalls` and calls

    self.call(lambda ws: ws.answers.set(pid, qid, value), done, failure="Not saved")

`job(ws)` runs in a worker thread (the event loop never waits on the store);
then, back on the UI thread, either `done(result)` runs, or the error goes to
`on_error(error)` if given and to the app's failure handler (a toast for the
service's one-line errors, a modal for anything else) unless `report=False`
because `on_error` shows it itself. Nothing is silenced: an error in `done`
is reported the same way. With `hold=True` the keys typed meanwhile wait for
the answer (see keygate.py): a list refilled after a change keeps its rows
where the next key expects them. A screen that goes away takes its calls'
answers with it.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from textual.worker import Worker

if TYPE_CHECKING:
    from pilotbook.tui.app import PilotbookApp
    from pilotbook.workshop import Workshop

T = TypeVar("T")
# What takes the result on the UI thread; it may be async (awaited before the next key).
Done = Callable[[T], None] | Callable[[T], Awaitable[None]]


class ServiceCalls:
    """Mixed into a Screen: `call()` and the key hold the key gate asks about."""

    key_holds = 0  # calls under way that the next keys wait for

    def holds_keys(self) -> bool:
        return self.key_holds > 0

    @property
    def pb(self) -> PilotbookApp:
        """The app, with its own API (the clock, the room, the failure handler)."""
        return self.app  # type: ignore[attr-defined,no-any-return]  # mixed into a Screen of it

    def report(self, title: str, error: BaseException) -> None:
        """Show an error through the app's failure handler (for errors a screen caught)."""
        self.pb.report_failure(title, error)

    def call(
        self,
        job: Callable[[Workshop], T],
        done: Done[T] | None = None,
        *,
        failure: str,
        hold: bool = False,
        group: str = "service",
        exclusive: bool = False,
        on_error: Callable[[Exception], None] | None = None,
        report: bool = True,
    ) -> Worker[None]:
        """Run `job(workshop)` in a thread; `done(result)` or the error on the UI thread.

        `failure` titles the error when it is shown. `exclusive` drops the
        answer of an earlier call of the same `group` still under way.
        """
        app = self.pb
        # The workshop is taken in the thread: it opens the store on first use.
        return self.run_job(
            lambda: job(app.workshop),
            done,
            failure=failure,
            hold=hold,
            group=group,
            exclusive=exclusive,
            on_error=on_error,
            report=report,
        )

    def run_job(
        self,
        job: Callable[[], T],
        done: Done[T] | None = None,
        *,
        failure: str,
        hold: bool = False,
        group: str = "service",
        exclusive: bool = False,
        on_error: Callable[[Exception], None] | None = None,
        report: bool = True,
    ) -> Worker[None]:
        """As `call`, for a job that needs no workshop (a file to write, a server to start)."""
        app = self.pb
        if hold:
            self.key_holds += 1

        async def run() -> None:
            try:
                try:
                    result = await asyncio.to_thread(job)
                except Exception as error:
                    if on_error is not None:
                        on_error(error)
                    if report:
                        app.report_failure(failure, error)
                    return
                if done is not None:
                    handled = done(result)
                    if inspect.isawaitable(handled):
                        await handled
            except Exception as error:  # a fault in the screen's own handling: shown too
                app.report_failure(failure, error)
            finally:
                if hold:
                    self.key_holds -= 1

        runner: Any = self  # a Screen: DOMNode.run_worker
        # Every error is handled inside `run`; one left over would be a fault
        # of the handler itself, and stops the app rather than going unseen.
        # The coroutine function, not a coroutine: a call replaced before it started
        # leaves nothing behind un-awaited.
        worker: Worker[None] = runner.run_worker(run, group=group, exclusive=exclusive)
        return worker


def recoverable(error: BaseException) -> bool:
    """The service's one-line refusals (a bad value, a conflict, no such thing): a toast.

    The store failing (StoreError) and anything unexpected deserve a modal.
    """
    from pilotbook.errors import StoreError, WorkshopError

    return isinstance(error, WorkshopError) and not isinstance(error, StoreError)


def error_text(error: BaseException) -> str:
    """One readable line: the message, or the error's name when it has none."""
    text = " ".join(str(error).split())
    return text or type(error).__name__


def ui_steps(node: Any, steps: Callable[[], Coroutine[Any, Any, None]], group: str) -> Worker[None]:
    """The UI's own async steps (no service call), a newer run of `group` replacing an older.

    Kept here so every worker of the app starts in this module.
    """

    async def run() -> None:
        await steps()

    worker: Worker[None] = node.run_worker(run, group=group, exclusive=True)
    return worker
