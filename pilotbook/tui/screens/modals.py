"""Small dialogs: confirm, a form of a few fields, a message that must be read."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from pilotbook.tui.text import editable, literal, restore

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ConfirmScreen(ModalScreen[bool]):
    """Yes or no; Enter presses the default button (the focused one), Escape means no.

    `default="no"` where going ahead loses something that cannot be had back.
    """

    AUTO_FOCUS = ""  # on_mount picks the default button
    BINDINGS = [
        Binding("escape", "answer(False)", "Cancel", id="confirm.no", tooltip="Do nothing"),
        Binding("y", "answer(True)", "Yes", id="confirm.yes", tooltip="Go ahead"),
        Binding("enter", "default", "Default", id="confirm.default", tooltip="Press the default"),
    ]

    def __init__(
        self,
        question: str,
        yes: str = "Yes",
        no: str = "Cancel",
        default: Literal["yes", "no"] = "yes",
    ) -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            with VerticalScroll(classes="dialog-body"):
                yield Static(literal(self.question))
            with Horizontal(classes="buttons"):
                primary = self.default == "yes"
                yield Button(self.yes, variant="warning" if primary else "default", id="yes")
                yield Button(self.no, variant="default" if primary else "primary", id="no")

    def on_mount(self) -> None:
        self.query_one(f"#{self.default}", Button).focus()

    def action_default(self) -> None:
        focused = self.focused
        self.dismiss(focused.id == "yes" if isinstance(focused, Button) else self.default == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class MessageScreen(ModalScreen[None]):
    """An error or a result the facilitator must read before going on."""

    BINDINGS = [Binding("escape,enter", "close", "Close", id="message.close", tooltip="Close")]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(literal(self.title_text), classes="title")
            with VerticalScroll(classes="dialog-fields"):
                yield Static(literal(self.body))
            with Horizontal(classes="buttons dialog-foot"):
                yield Button("Close", variant="primary", id="close")

    def action_close(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#close")
    def _close(self) -> None:
        self.dismiss(None)


FieldKind = Literal["text", "longtext", "select", "date", "check"]


@dataclass(frozen=True)
class Field:
    id: str
    label: str
    kind: FieldKind = "text"
    value: Any = None
    required: bool = False
    options: Sequence[tuple[str, Any]] = ()
    suggestions: Sequence[str] = field(default=())
    placeholder: str = ""


class FormScreen(ModalScreen[dict[str, Any] | None]):
    """A few fields; dismisses with {field id: value} or None when cancelled.

    `check` may return an error message to keep the form open; `note` is shown
    where such a message goes from the start (why the form came back, say).
    """

    AUTO_FOCUS = "Input, TextArea, Select, Checkbox"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form.cancel", tooltip="Close without saving"),
        Binding("ctrl+s", "submit", "Save", id="form.save", tooltip="Save and close"),
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        *,
        submit: str = "Save",
        check: Callable[[dict[str, Any]], str | None] | None = None,
        note: str = "",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.fields = list(fields)
        self.submit_label = submit
        self.check = check
        self.note = note

    def compose(self) -> ComposeResult:
        # The title and the buttons stay in view; the fields scroll between them.
        with Vertical(classes="dialog"):
            yield Label(literal(self.title_text), classes="title")
            with VerticalScroll(classes="dialog-fields"):
                for f in self.fields:
                    if f.kind != "check":
                        yield Label(literal(f.label + (" *" if f.required else "")))
                    yield self._widget(f)
            with Vertical(classes="dialog-foot"):
                yield Static(literal(self.note), classes="form-error", markup=False)
                with Horizontal(classes="buttons"):
                    yield Button(self.submit_label, variant="primary", id="submit")
                    yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        # Focusing the first field scrolls it into view, past its own label: show the top.
        fields = self.query_one(".dialog-fields", VerticalScroll)
        self.call_after_refresh(fields.scroll_home, animate=False)

    def _widget(self, f: Field) -> Any:
        wid = f"field-{f.id}"
        if f.kind == "longtext":
            area = TextArea(editable(f.value or ""), id=wid, soft_wrap=True, tab_behavior="focus")
            area.styles.height = 6
            return area
        if f.kind == "select":
            value = f.value if f.value is not None else Select.NULL
            return Select([(literal(a), b) for a, b in f.options], value=value, id=wid)
        if f.kind == "check":
            return Checkbox(literal(f.label), bool(f.value), id=wid)
        suggester = SuggestFromList(f.suggestions, case_sensitive=False) if f.suggestions else None
        placeholder = "YYYY-MM-DD" if f.kind == "date" else f.placeholder
        text = "" if f.value is None else editable(str(f.value))
        return Input(text, placeholder=placeholder, suggester=suggester, id=wid)

    def read(self) -> dict[str, Any]:
        """The values; ValueError names the first field that is not right."""
        out: dict[str, Any] = {}
        for f in self.fields:
            widget = self.query_one(f"#field-{f.id}")
            if isinstance(widget, TextArea):
                value: Any = restore(widget.text).strip() or None
            elif isinstance(widget, Select):
                value = None if widget.value is Select.NULL else widget.value
            elif isinstance(widget, Checkbox):
                value = widget.value
            else:
                value = restore(widget.value).strip() or None  # type: ignore[attr-defined]  # an Input here
            if f.required and value is None:
                raise ValueError(f"{f.label} is required")
            if f.kind == "date" and value is not None:
                if not _DATE.match(value):
                    raise ValueError(f"{f.label}: a date looks like 2026-03-31 (YYYY-MM-DD)")
                try:
                    value = date.fromisoformat(value)
                except ValueError:
                    raise ValueError(f"{f.label}: {value} is not a day in the calendar") from None
            out[f.id] = value
        return out

    def show_error(self, message: str) -> None:
        self.query_one(".form-error", Static).update(literal(message))

    def action_submit(self) -> None:
        try:
            values = self.read()
        except ValueError as e:
            self.show_error(str(e))
            return
        problem = self.check(values) if self.check else None
        if problem:
            self.show_error(problem)
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#submit")
    def _submit(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()


def rebased(seen: Any, typed: dict[str, Any], now: Any) -> dict[str, Any]:
    """A form's values moved onto a record changed elsewhere: what the user changed
    from `seen` stays theirs, every other field takes its value from `now`."""
    return {k: v if v != getattr(seen, k) else getattr(now, k) for k, v in typed.items()}
