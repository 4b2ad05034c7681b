"""A round for the room: pick what to ask, show where to join, count, close, reveal.

The participants' server (`pilotbook.web.room`) runs in the app's process on
a background thread; this screen only publishes the round there and reads the
count through the service every second, off the UI thread (`tui/service.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from pilotbook.tui.service import ServiceCalls
from pilotbook.tui.text import clean, literal, one_line
from pilotbook.tui.widgets.footer import QuietFooter

if TYPE_CHECKING:
    from pilotbook.playbook.model import Playbook
    from pilotbook.web.room import Room
    from pilotbook.workshop import Workshop
    from pilotbook.workshop.rounds import RoundInfo, Tally

CHOICE_TYPES = ("choice", "multichoice", "yesno")


def round_choices(book: Playbook, question_id: str) -> list[tuple[str, str, dict[str, str]]]:
    """What the facilitator can ask about this question: (id, label, open_round arguments)."""
    q = book.question(question_id)
    sec = book.section_of(question_id)
    this_q, this_s = {"question_id": q.id}, {"section_id": sec.id}
    out = [("conf-q", "Confidence vote (1–5) on this question", this_q)]
    if q.type in CHOICE_TYPES:
        out.append(("choice", "Everyone picks among this question's options", this_q))
    out += [
        ("conf-s", f"Confidence vote (1–5) on the section “{sec.title}”", this_s),
        ("notes-q", "Silent notes on this question", this_q),
        ("notes-s", f"Silent notes on the section “{sec.title}”", this_s),
    ]
    return out


@dataclass
class Published:
    info: RoundInfo
    url: str
    code: str
    loopback_only: bool = False


def open_and_publish(
    ws: Workshop, room: Room, pilot_id: str, kind: str, args: dict[str, str]
) -> Published:
    """Open the round in the store, then on the participants' server (started if need be).

    The server is started first: a port in use (another tab's room on a fixed
    `--room-port`) fails before anything is written, so no round is left open."""
    room.start()
    info = ws.rounds.open(pilot_id, kind, **args)
    code = room.publish(info.id)
    return Published(info, room.join_url(code), code, room.loopback_only)


class RoundScreen(ServiceCalls, ModalScreen[None]):
    CSS = """
    RoundScreen > Vertical { width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1; }
    #round-body { height: auto; max-height: 80vh; }  /* the rest: title, footer, border */
    #round-join { height: auto; }
    #round-qr { width: auto; height: auto; margin-right: 2; }
    #round-where { width: 1fr; height: auto; }
    #round-kinds { height: auto; max-height: 8; }
    #round-problem { color: $error; }
    """
    BINDINGS = [
        Binding("c", "close_round", "Close", id="round.close", tooltip="No more votes"),
        Binding("v", "reveal", "Reveal", id="round.reveal", tooltip="Show the result to the room"),
        Binding("escape", "leave", "Back", id="round.back", tooltip="Close the round, go back"),
    ]

    def __init__(self, pilot_id: str, book: Playbook, question_id: str) -> None:
        super().__init__()
        self.pilot_id = pilot_id
        self.choices = round_choices(book, question_id)
        self.info: RoundInfo | None = None
        self.closed = False
        self.revealed = False
        self.votes = 0
        self.count_failing = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("A round for the room", classes="title")
            with VerticalScroll(id="round-body"):
                yield OptionList(
                    *[Option(literal(label), id=cid) for cid, label, _args in self.choices],
                    id="round-kinds",
                )
                yield Static("", id="round-prompt", markup=False)
                with Horizontal(id="round-join"):
                    yield Static("", id="round-qr")
                    yield Static("", id="round-where")
                yield Static("", id="round-count", markup=False)
                yield Static("", id="round-problem", markup=False)
                yield Static("", id="round-result", markup=False)
            yield QuietFooter()

    def on_mount(self) -> None:
        self.query_one("#round-kinds", OptionList).focus()

    # ------------------------------------------------------------ opening

    @on(OptionList.OptionSelected, "#round-kinds")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if self.info is not None:
            return
        [(kind_id, args)] = [(c, a) for c, _l, a in self.choices if c == event.option.id]
        kind = {"conf": "confidence", "choi": "choice", "note": "notes"}[kind_id[:4]]
        self.open_round(kind, args)

    def open_round(self, kind: str, args: dict[str, str]) -> None:
        room, pid = self.pb.room, self.pilot_id
        # A port in use, a store error: shown by the app, readable, never a traceback.
        self.call(
            lambda ws: open_and_publish(ws, room, pid, kind, args),
            self.show_round,
            failure="The round did not open",
            group="round-open",
            exclusive=True,
        )

    def show_round(self, message: Published) -> None:
        from pilotbook.web.qr import qr_lines

        self.info = message.info
        self.query_one("#round-kinds").display = False
        self.query_one("#round-prompt", Static).update(literal(message.info.prompt))
        lines = qr_lines(message.url)
        qr = self.query_one("#round-qr", Static)
        if lines is None:
            qr.display = False
        else:
            qr.update(Text("\n".join(lines), style="black on white"))
        where = Text()
        if message.loopback_only:
            where.append(
                "Only this machine can open this (the room listens on loopback; start with "
                "--host 0.0.0.0 to let phones in):\n\n"
            )
        else:
            where.append("Join on a phone or laptop on this network:\n\n")
        where.append(message.url, style="bold")
        where.append("\n\nCode: ")
        where.append(message.code, style="bold reverse")
        if lines is None:
            where.append("\n\n(pip install 'pilotbook[qr]' to show a QR code here)")
        where.append("\n\nAnonymous: no name is asked or kept; one answer per device.")
        self.query_one("#round-where", Static).update(where)
        self._show_count()
        self.set_interval(1.0, self.count)
        # The arrows, Page Up/Down, Home and End scroll what the room sees (long reveals).
        self.query_one("#round-body", VerticalScroll).focus()

    # ------------------------------------------------------------ counting

    def count(self) -> None:
        self.show_room_problems()
        if self.info is None or self.closed:
            return
        round_id = self.info.id

        def failed(error: Exception) -> None:
            # Said once per run of failures; the next tick tries again.
            if not self.count_failing:
                self.report("The answers could not be counted", error)
            self.count_failing = True

        self.call(
            lambda ws: ws.rounds.vote_count(round_id),
            self.counted,
            failure="The answers could not be counted",
            group="round-count",
            exclusive=True,
            on_error=failed,
            report=False,
        )

    def counted(self, votes: int) -> None:
        self.count_failing = False
        if not self.closed:
            self.votes = votes
            self._show_count()

    def show_room_problems(self) -> None:
        """Votes the store refused: the participant was told; the facilitator is told here."""
        problems = self.pb.room.take_problems()
        if not problems:
            return
        line = f"✗ {len(problems)} answer(s) not recorded: {one_line(problems[-1], 120)}"
        self.query_one("#round-problem", Static).update(line)
        self.notify(line, title="Round", severity="error", markup=False)

    def _show_count(self) -> None:
        n = self.votes
        text = f"{n} answer{'s' if n != 1 else ''} so far. C closes the round."
        if self.closed:
            text = f"Closed with {n} answer{'s' if n != 1 else ''}."
            if not self.revealed:
                text += " V shows the result."
        self.query_one("#round-count", Static).update(text)

    # ------------------------------------------------------------ closing

    def action_close_round(self) -> None:
        if self.info is not None and not self.closed:
            self.finish(reveal=False)

    def action_reveal(self) -> None:
        if self.info is not None:
            self.finish(reveal=True)

    def action_leave(self) -> None:
        if self.info is not None and not self.closed:
            self.finish(reveal=False, then_leave=True)
        else:
            self.dismiss()

    def finish(self, reveal: bool, then_leave: bool = False) -> None:
        assert self.info is not None
        round_id = self.info.id

        def done(result: Tally) -> None:
            self.tallied(result)
            if then_leave:
                self.dismiss()

        self.call(
            lambda ws: ws.rounds.reveal(round_id) if reveal else ws.rounds.close(round_id),
            done,
            failure="The round was not closed",
            group="round-close",
            exclusive=True,
        )

    def tallied(self, result: Tally) -> None:
        self.closed = True
        self.revealed = result.round.status == "revealed"
        self.votes = result.votes
        # Nobody can join a closed round: the QR code and the link go.
        self.query_one("#round-join").display = False
        self._show_count()
        if self.revealed:
            self.query_one("#round-result", Static).update(histogram(result))


def histogram(result: Tally) -> Text:
    """The result for the room: bars, the spread, and a nudge when people disagree."""
    out = Text()
    out.append(clean(result.summary()) + "\n\n", style="bold")
    top = max([n for _v, _l, n in result.counts] or [0]) or 1
    scale = result.round.kind == "confidence"
    # A scale's points, when short (the default wording is), share a line with their bar.
    inline = scale and all(len(f"{v} {label}") <= 28 for v, label, _n in result.counts)
    for value, label, n in result.counts:
        bar = "█" * round(30 * n / top)
        if inline:
            out.append(f"{clean(f'{value} {label}'):<28} ")
        else:  # an option's own words, in full, above its bar
            out.append(clean(label) + "\n  ")
        out.append(bar, style="green")
        out.append(f" {n}\n")
    for note in result.notes:
        lines = clean_lines(note)
        out.append("• " + "\n  ".join(lines) + "\n")
    if result.disagree:
        if scale:
            nudge = (
                "\nThe room does not agree: ask the lowest and the highest to say why "
                "before the answer is written down.\n"
            )
        else:
            nudge = (
                "\nThe room is split: hear someone from each side before the answer "
                "is written down.\n"
            )
        out.append(nudge, style="bold yellow")
    return out


def clean_lines(text: str) -> list[str]:
    """A participant's multi-line text as lines (any line ending), each made safe."""
    return [clean(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
