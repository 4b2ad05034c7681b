"""The phases and sections of a pilot, with progress and the worst risk of each section."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Tree

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
    if stats.missing:
        return RISK_MARK["open"]
    return RISK_MARK["none"]


class SectionTree(Tree[str]):
    """Node data is a section id (phases carry None)."""

    DEFAULT_CSS = "SectionTree { width: 30%; max-width: 36; border-right: solid $panel-lighten-2; }"
    ICON_NODE = ""
    ICON_NODE_EXPANDED = ""

    def fill(self, playbook: Playbook, assessment: Assessment | None, current: str) -> None:
        self.clear()
        self.root.expand()
        self.show_root = False
        self.show_guides = False
        self.guide_depth = 2
        for phase in playbook.phases:
            sections = playbook.sections_in(phase.id)
            if not sections:
                continue
            node = self.root.add(Text(one_line(phase.title, 26), style="bold"), expand=True)
            for section in sections:
                mark, style = section_mark(assessment, section.id)
                label = Text()
                label.append(mark + " ", style=style)
                if assessment is not None:
                    s = assessment.section(section.id)
                    label.append(f"{s.required_answered}/{s.required_total} ", style="dim")
                label.append(one_line(section.title, 40))
                leaf = node.add_leaf(label, data=section.id)
                if section.id == current:
                    self.move_cursor(leaf)
