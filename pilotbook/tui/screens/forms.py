"""A form whose values go to the service in a thread worker; its error shows in the form.

The service owns the rules (a decision that differs from the verdict needs a
rationale, a measurement must be a finite number, ...): the form only sends
what was typed and shows the one-line error inline, keeping every field as
typed so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from textual import work
from textual.message import Message

from pilotbook.tui.screens.modals import Field, FormScreen


@dataclass
class FormDone(Message):
    result: Any


@dataclass
class FormFailed(Message):
    error: str


class ServiceForm(FormScreen):
    """Dismisses with what `job(values)` returned; stays open with its error otherwise."""

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        job: Callable[[dict[str, Any]], Any],
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
        self.send(values)

    @work(thread=True, exclusive=True, exit_on_error=False, group="form")
    def send(self, values: dict[str, Any]) -> None:
        try:
            result = self.job(values)
        except Exception as e:  # the service's one-line error, shown in the form
            self.post_message(FormFailed(str(e) or type(e).__name__))
            return
        self.post_message(FormDone(result))

    def on_form_failed(self, message: FormFailed) -> None:
        self.busy = False
        self.show_error(message.error)

    def on_form_done(self, message: FormDone) -> None:
        self.dismiss(message.result)
