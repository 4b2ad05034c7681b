"""Inputs picked rather than typed: choice, multichoice, yes/no, checklist."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, RadioButton, RadioSet, SelectionList
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from pilotbook.playbook import kinds

if TYPE_CHECKING:
    from pilotbook.playbook.model import Question
from pilotbook.tui.text import clean, literal
from pilotbook.tui.widgets.base import AnswerInput
from pilotbook.tui.widgets.marks import MarkedRadioButton, MarkedSelectionList


class PickSet(RadioSet):
    """Radio buttons an input can refill for another question.

    The set learns which button is pressed from the buttons' messages. A pick
    made just before the refill is read at once (`picked`, from the buttons
    themselves) for the question it was made on; its message, handled after
    the refill, must not press a button of the question shown now.
    """

    filled_at = 0.0  # when the buttons last showed a stored value (Message.time's clock)

    def picked(self) -> int:
        """The button picked, counting a press whose message is still queued; -1: none."""
        pressed = self.pressed_index
        buttons = list(self.query(MarkedRadioButton))
        newer = [i for i, b in enumerate(buttons) if b.value and i != pressed]
        return newer[0] if newer else pressed

    def _on_radio_button_changed(self, event: RadioButton.Changed) -> None:
        # Textual then runs RadioSet's own handler too, unless the default is prevented.
        if event.time <= self.filled_at:
            # A pick on the question shown before the refill: read already.
            event.stop()
            event.prevent_default()


class ChoiceInput(AnswerInput):
    """One option of several; sent as soon as it is picked."""

    def compose_input(self) -> ComposeResult:
        with PickSet(id="field"):
            for option in self.question.options:
                yield MarkedRadioButton(literal(option.label), value=option.id == self.initial)

    def focus_input(self) -> None:
        self.query_one("#field", RadioSet).focus()

    def read(self) -> Any:
        index = self.query_one("#field", PickSet).picked()
        return None if index < 0 else self.question.options[index].id

    @on(RadioSet.Changed, "#field")
    def _picked(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.commit()

    def fits(self, question: Question) -> bool:
        return question.type == self.question.type and len(question.options) == len(
            self.question.options
        )

    def fill(self) -> None:
        radios = self.query_one("#field", RadioSet)
        for button, option in zip(
            list(radios.query(MarkedRadioButton)), self.question.options, strict=True
        ):
            button.label = literal(option.label)
        ids = [o.id for o in self.question.options]
        press(radios, ids.index(self.initial) if self.initial in ids else -1)


class YesNoInput(AnswerInput):
    def compose_input(self) -> ComposeResult:
        with PickSet(id="field"):
            yield MarkedRadioButton("Yes", value=self.initial is True)
            yield MarkedRadioButton("No", value=self.initial is False)

    def focus_input(self) -> None:
        self.query_one("#field", RadioSet).focus()

    def read(self) -> Any:
        index = self.query_one("#field", PickSet).picked()
        return None if index < 0 else index == 0

    def fits(self, question: Question) -> bool:
        return question.type == self.question.type

    def fill(self) -> None:
        picked = 0 if self.initial is True else 1 if self.initial is False else -1
        press(self.query_one("#field", RadioSet), picked)

    @on(RadioSet.Changed, "#field")
    def _picked(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.commit()


class PicksList(MarkedSelectionList):
    """Ticking an exclusive option ("nobody", "none yet") unticks the others, and ticking
    another unticks it: the answer never holds picks the playbook refuses together."""

    def __init__(self, *selections: Any, exclusive: frozenset[str] = frozenset(), **kw: Any):
        super().__init__(*selections, **kw)
        self.exclusive = exclusive

    def toggle(self, selection: Any) -> PicksList:
        super().toggle(selection)
        value = selection.value if isinstance(selection, Selection) else selection
        if value in self.selected:
            alone = value in self.exclusive
            for other in [v for v in self.selected if v != value]:
                if alone or other in self.exclusive:
                    self.deselect(other)
        return self


class MultiChoiceInput(AnswerInput):
    """Any number of options; sent on every toggle (space or click)."""

    DEFAULT_CSS = "MultiChoiceInput SelectionList { height: auto; max-height: 12; }"

    def compose_input(self) -> ComposeResult:
        chosen = set(self.initial or [])
        yield PicksList(
            *(Selection(literal(o.label), o.id, o.id in chosen) for o in self.question.options),
            exclusive=frozenset(o.id for o in self.question.options if o.exclusive),
            id="field",
        )

    def focus_input(self) -> None:
        self.query_one("#field", SelectionList).focus()

    def read(self) -> Any:
        chosen = set(self.query_one("#field", SelectionList).selected)
        ordered = [o.id for o in self.question.options if o.id in chosen]
        return ordered or None

    @on(SelectionList.SelectedChanged, "#field")
    def _toggled(self, event: SelectionList.SelectedChanged[str]) -> None:
        event.stop()
        self.commit()


STATUSES = kinds.CHECK_STATES
_MARK = {"pass": ("✓ pass   ", "green"), "fail": ("✗ fail   ", "red"), "unknown": ("? unknown", "")}


class ChecklistList(OptionList):
    BINDINGS = [
        Binding("p", "mark('pass')", "Pass", id="checklist.pass", tooltip="Mark the item passed"),
        Binding("f", "mark('fail')", "Fail", id="checklist.fail", tooltip="Mark the item failed"),
        Binding(
            "u", "mark('unknown')", "Unknown", id="checklist.unknown", tooltip="Mark it unknown"
        ),
    ]

    def action_mark(self, status: str) -> None:
        parent = self.parent
        if isinstance(parent, ChecklistInput) and self.highlighted is not None:
            parent.set_status(self.highlighted, status)


class ChecklistInput(AnswerInput):
    """Each item pass, fail or unknown: p/f/u set it, Enter cycles; sent on each change."""

    DEFAULT_CSS = "ChecklistInput OptionList { height: auto; max-height: 14; }"

    def __init__(self, question: Question, value: Any = None, **kw: Any) -> None:
        super().__init__(question, value, **kw)
        given = value if isinstance(value, dict) else {}
        self.statuses = {
            item.id: given.get(item.id, "unknown") if given.get(item.id) in STATUSES else "unknown"
            for item in question.items
        }

    def prompt(self, index: int) -> Content:
        item = self.question.items[index]
        mark, colour = _MARK[self.statuses[item.id]]
        label = Content.styled(mark, colour) if colour else Content(mark)
        return Content.assemble(label, "  ", clean(item.label))

    def compose_input(self) -> ComposeResult:
        yield ChecklistList(
            *(Option(self.prompt(i), id=item.id) for i, item in enumerate(self.question.items)),
            id="field",
        )

    def hint(self) -> str | None:
        return "p pass · f fail · u unknown · Enter cycles"

    def focus_input(self) -> None:
        self.query_one("#field", OptionList).focus()

    def set_status(self, index: int, status: str) -> None:
        self.statuses[self.question.items[index].id] = status
        self.query_one("#field", OptionList).replace_option_prompt_at_index(
            index, self.prompt(index)
        )
        self.commit()

    def read(self) -> Any:
        if all(s == "unknown" for s in self.statuses.values()) and self.initial is None:
            return None
        return dict(self.statuses)

    @on(OptionList.OptionSelected, "#field")
    def _cycle(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        current = self.statuses[self.question.items[event.option_index].id]
        self.set_status(event.option_index, STATUSES[(STATUSES.index(current) + 1) % 3])


def press(radios: RadioSet, index: int) -> None:
    """Show button `index` pressed (-1: none) without a message: a stored value is no pick."""
    buttons = list(radios.query(MarkedRadioButton))
    with radios.prevent(RadioButton.Changed, RadioSet.Changed):
        for i, button in enumerate(buttons):
            button.value = i == index
    # The set keeps its pressed button itself, from the messages silenced above.
    radios._pressed_button = buttons[index] if index >= 0 else None
    if isinstance(radios, PickSet):
        radios.filled_at = Message().time
    radios._selected = 0  # the highlight starts on the first, as in a new set
