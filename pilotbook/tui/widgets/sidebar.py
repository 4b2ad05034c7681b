"""The phases and sections of a pilot, with progress and the worst risk of each section."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from pilotbook.tui.text import one_line

if TYPE_CHECKING:
    from pilotbook.playbook.model import Playbook
    from pilotbook.rules import Assessment

# Symbol and colour together: the risk must read without colour too.
RISK_MARK = {
    "high": ("✖", "bold red"),
    "medium": ("▲", "yellow"),
    "open": ("○", "dim"),
    "none": ("✓", "green"),
}


def section_mark(assessment: Assessment | None, section_id: str) -> tuple[str, str]:
    if assessment is None:
        return RISK_MARK["open"]
    stats = assessment.section(section_id)
    counts = stats.counts
    if counts.get("high"):
        return RISK_MARK["high"]
    if counts.get("medium"):
        return RISK_MARK["medium"]
    if stats.missing or not answered_any(stats.counts):
        # Nothing answered is open, not "no risk left", even where nothing is required.
        return RISK_MARK["open"]
    return RISK_MARK["none"]


def answered_any(counts: dict[str, int]) -> bool:
    return any(n for level, n in counts.items() if level not in ("unanswered", "hidden"))


class SectionTree(OptionList):
    """Phases as headings and sections as options (option id = section id).

    An option list, not a tree: a tree draws each node on one line, and at 80
    columns that cut most section names ("The people wh"). Here a name wraps
    under itself, beside its mark and progress.
    """

    DEFAULT_CSS = """
    SectionTree { width: 30%; min-width: 28; max-width: 36; height: 1fr; overflow-x: hidden;
        border: none; border-right: solid $panel-lighten-2; padding: 0; }
    SectionTree:focus { border: none; border-right: solid $accent; }
    SectionTree > .option-list--option-disabled { color: $text; text-style: bold; }
    """

    def fill(self, playbook: Playbook, assessment: Assessment | None, current: str) -> None:
        """Build the list once; later calls only relabel what changed and move the cursor.

        Rebuilding everything on every section change cost more than
        everything else the next question does.
        """
        if getattr(self, "_built_for", None) is not playbook:
            self._make_options(playbook)
        for section in playbook.sections:
            if section.id not in self._labels:
                continue
            label = self._label(section.id, section.title, assessment)
            if label.plain != self._labels[section.id].plain or label.spans != (
                self._labels[section.id].spans
            ):
                self._labels[section.id] = label
                self.replace_option_prompt(section.id, self._prompt(label))
        if current in self._labels:
            index = self.get_option_index(current)
            if self.highlighted != index:
                self.highlighted = index

    def labels(self) -> dict[str, str]:
        """Each section's label as read: mark, progress and the whole name."""
        return {sid: label.plain for sid, label in self._labels.items()}

    def _make_options(self, playbook: Playbook) -> None:
        self.clear_options()
        self._labels: dict[str, Text] = {}
        options: list[Option] = []
        for phase in playbook.phases:
            sections = playbook.sections_in(phase.id)
            if not sections:
                continue
            options.append(Option(Text(one_line(phase.title)), disabled=True))
            for section in sections:
                label = self._label(section.id, section.title, None)
                self._labels[section.id] = label
                options.append(Option(self._prompt(label), id=section.id))
        self.add_options(options)
        self._built_for = playbook

    def _label(self, section_id: str, title: str, assessment: Assessment | None) -> Text:
        mark, style = section_mark(assessment, section_id)
        label = Text()
        label.append(mark + " ", style=style)
        if assessment is not None:
            s = assessment.section(section_id)
            if s.required_total:  # "0/0" says nothing: a section with nothing required
                label.append(f"{s.required_answered}/{s.required_total} ", style="dim")
        label.append(one_line(title))
        return label

    @staticmethod
    def _prompt(label: Text) -> Table:
        """The name wraps under itself; the mark and progress stay on its first line."""
        name = label.plain.split(" ", 1)[1]  # after the mark
        if name[:1].isdigit():  # after the progress too
            name = name.split(" ", 1)[1]
        head = label[: len(label.plain) - len(name)]
        grid = Table.grid(padding=0)
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")
        grid.add_row(Text(" ") + head, Text(name))
        return grid
