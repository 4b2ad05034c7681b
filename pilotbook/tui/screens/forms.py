"""A form whose values go to the service; its error shows in the form.

The service owns the rules (a decision that differs from the verdict needs a
rationale, a measurement must be a finite number, ...): the form only sends
what was typed and shows the one-line error inline, keeping every field as
typed so nothing is lost. The store failing is shown by the app as well.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pilotbook.tui.screens.modals import Field, FormScreen
from pilotbook.tui.service import ServiceCalls, error_text, recoverable

if TYPE_CHECKING:
    from pilotbook.workshop import Workshop

T = TypeVar("T")


class ServiceForm(ServiceCalls, FormScreen, Generic[T]):
    """Hands what `job(ws, values)` returned to `done` and closes; stays open with the
    error otherwise (closed with Esc, nothing is sent)."""

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        job: Callable[[Workshop, dict[str, Any]], T],
        done: Callable[[T], None],
        *,
        submit: str = "Save",
    ) -> None:
        super().__init__(title, fields, submit=submit)
        self.job, self.done = job, done
        self.busy = False

    def holds_keys(self) -> bool:
        """Keys typed while the values are saved wait: the form may close, or show an error."""
        return self.busy

    def action_submit(self) -> None:
        if self.busy:
            return
        try:
            values = self.read()
        except ValueError as e:
            self.show_error(str(e))
            return
        self.busy = True
        self.show_error("… saving")
        job = self.job
        self.call(
            lambda ws: job(ws, values),
            lambda result: self.finish(result, values),
            failure=f"{self.title_text}: not saved",
            group="form",
            exclusive=True,
            on_error=self.failed,
            report=False,  # `failed` shows it
        )

    def finish(self, result: T, values: dict[str, Any]) -> None:
        self.dismiss(values)
        self.done(result)

    def failed(self, error: Exception) -> None:
        self.busy = False
        self.show_error(error_text(error))
        if not recoverable(error) and not isinstance(error, ValueError):
            self.report(self.title_text, error)
