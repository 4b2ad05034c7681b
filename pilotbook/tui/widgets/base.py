"""The base of every question input: one message when an answer is complete.

An input never saves anything itself. It posts `AnswerInput.Changed` when the
answer is complete (Enter, leaving the field, or a pause of a few seconds in typing) and
the screen that owns it decides what to do with the value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from pilotbook.playbook import kinds
from pilotbook.playbook.model import Question
from pilotbook.tui.text import literal

_UNSET = object()


class AnswerInput(Vertical):
    """A widget that edits the answer to one question."""

    DEFAULT_CSS = """
    AnswerInput { height: auto; }
    AnswerInput > .answer-error { color: $error; height: auto; display: none; }
    AnswerInput.-invalid > .answer-error { display: block; }
    AnswerInput > .answer-hint { color: $text-muted; height: auto; }
    """

    # Seconds of no typing after which a text answer counts as settled. Long
    # enough that a facilitator thinking mid-word ("Ro", "Ma") saves nothing:
    # each pause sent would be a revision of half a name in the history.
    PAUSE: ClassVar[float] = 3.0

    # Every input class by name: a question kind names the one it uses
    # (`kinds.widget_name`), so the factory needs no list of its own.
    by_name: ClassVar[dict[str, type[AnswerInput]]] = {}

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        AnswerInput.by_name[cls.__name__] = cls

    @dataclass
    class Changed(Message):
        """The answer is complete; `value` is None when it was cleared."""

        answer_input: AnswerInput
        question_id: str
        value: Any

        @property
        def control(self) -> AnswerInput:
            return self.answer_input

    def __init__(
        self,
        question: Question,
        value: Any = None,
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.question = question
        self.initial = value
        self._last_sent: Any = value
        self._pause: Timer | None = None
        self.error: str | None = None
        # Hidden, kept for the next question of its kind (`reuse`): it sends nothing.
        self.parked = False

    # Subclasses implement compose_input, and either typed (text read by the
    # question's kind) or read (a value picked, not typed).
    def compose_input(self) -> ComposeResult:
        raise NotImplementedError

    def typed(self) -> str:
        """The text in the field, as the user typed it."""
        raise NotImplementedError

    def read(self) -> Any:
        """The answer, parsed; raises ValueError with a one-line message when it is not valid."""
        return kinds.parse(self.question, self.typed())

    def focus_input(self) -> None:
        self.focus_chain_first()

    def hint(self) -> str | None:
        return None

    def compose(self) -> ComposeResult:
        yield from self.compose_input()
        hint = self.hint()
        # Always there (hidden when empty), so a refill can show another question's hint.
        shown = Static(literal(hint or ""), classes="answer-hint")
        shown.display = bool(hint)
        yield shown
        yield Static("", classes="answer-error", markup=False)

    # ------------------------------------------------------------ reuse

    def fits(self, question: Question) -> bool:
        """True when this input, as built, can show `question` (same kind and shape)."""
        return False

    def fill(self) -> None:
        """Put `self.initial` into the fields, for `self.question`, sending nothing."""
        raise NotImplementedError

    def reuse(self, question: Question, value: Any, *, people: Iterable[str] = ()) -> bool:
        """Show another question (or the same one's stored value) in this input.

        Building a new input per question costs a mount, a restyle and a focus
        change; one of the same kind is filled in place instead. False when this
        input cannot show `question`: the owner builds a new one.
        """
        if not self.is_attached or self.removed() or not self.fits(question):
            return False
        if self._pause is not None:
            self._pause.stop()
            self._pause = None
        self.question = question
        self.initial = value
        self._last_sent = value
        self.parked = False
        self.show_error(None)
        self.offer(list(people))
        self.fill()
        hint = self.hint()
        shown = self.query_one(".answer-hint", Static)
        shown.update(literal(hint or ""))
        shown.display = bool(hint)
        return True

    def park(self) -> None:
        """Hidden until the next question of its kind; a late timer or blur sends nothing."""
        if self._pause is not None:
            self._pause.stop()
            self._pause = None
        self.parked = True
        self.display = False

    def focus_chain_first(self) -> None:
        for widget in self.query("*"):
            if widget.focusable:
                widget.focus()
                return

    def show_error(self, message: str | None) -> None:
        self.error = message
        self.set_class(message is not None, "-invalid")
        self.query_one(".answer-error", Static).update(literal(message or ""))

    def typing(self) -> None:
        """Call on every edit: restarts the pause after which the answer is sent."""
        if self._pause is not None:
            self._pause.stop()
        self._pause = self.set_timer(self.PAUSE, self.commit)

    def commit(self) -> bool:
        """Send the answer if it is valid and changed; False (and an error shown) if invalid."""
        if self._pause is not None:
            self._pause.stop()
            self._pause = None
        if self.removed() or self.parked:
            return True  # a timer or blur outlived the fields; the owner took the answer
        try:
            value = self.read()
        except ValueError as e:
            self.show_error(field_error(e))
            return False
        self.show_error(None)
        if value != self._last_sent:
            self._last_sent = value
            self.post_message(self.Changed(self, self.question.id, value))
        return True

    def take_change(self) -> tuple[bool, Any]:
        """(True, value) for a valid answer not sent yet, marked as sent; else (False, None).

        For a screen that must queue the answer now, not when a message
        arrives (leaving the screen, quitting).
        """
        if self._pause is not None:
            self._pause.stop()
            self._pause = None
        try:
            value = self.read()
        except ValueError as e:
            self.show_error(field_error(e))
            return False, None
        self.show_error(None)
        if value == self._last_sent:
            return False, None
        self._last_sent = value
        return True, value

    def dirty(self) -> bool:
        """True while the field holds what was not sent yet: typing, or invalid text.

        Unlike `take_change`, this changes nothing: a refresh from the store asks
        it before replacing what is shown.
        """
        if self._pause is not None:
            return True
        try:
            return bool(self.read() != self._last_sent)
        except ValueError:
            return True

    def offer(self, people: list[str]) -> None:
        """The names the pilot knows now (inputs that suggest names take them)."""

    def accepted(self, value: Any) -> None:
        """The screen saved `value` (or loaded it from elsewhere): it is the new baseline."""
        self._last_sent = value

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        # Leaving the field completes the answer, unless focus stays inside.
        self.call_after_refresh(self._blur_commit)

    def _blur_commit(self) -> None:
        if self.removed():
            # Focus left because the input is being removed (its screen closed,
            # the next question swapped in): its fields may be gone already, and
            # the owner took the answer before removing it (`take_change`).
            return
        focused = self.screen.focused
        if focused is None or self not in focused.ancestors_with_self:
            self.commit()

    def removed(self) -> bool:
        """Removed, or being removed, from the screen (the blur is then the removal's)."""
        # Textual marks every node of a removal (`_pruning`) before focus moves off it.
        return not self.is_attached or bool(getattr(self, "_pruning", False)) or self._closing


def field_error(e: ValueError) -> str:
    """A problem shown under its own question: in words, without the question's id."""
    detail = getattr(e, "detail", None)
    text = detail if isinstance(detail, str) and detail else str(e)
    return text[:1].upper() + text[1:]
