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
    """Dismisses with what `job(ws, values)` returned; stays open with its error otherwise."""

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        job: Callable[[Workshop, dict[str, Any]], T],
        *,
        submit: str = "Save",
    ) -> None:
        super().__init__(title, fields, submit=submit)
        self.job = job
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
            self.finish,
            failure=f"{self.title_text}: not saved",
            group="form",
            exclusive=True,
            on_error=self.failed,
            report=False,  # `failed` shows it
        )

    def finish(self, result: T) -> None:
        # The form's result is what the service returned, not the values typed.
        self.dismiss(result)  # type: ignore[arg-type]  # FormScreen is typed for its values

    def failed(self, error: Exception) -> None:
        self.busy = False
        self.show_error(error_text(error))
        if not recoverable(error) and not isinstance(error, ValueError):
            self.report(self.title_text, error)
