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
    if stats.missing or not answered_any(stats.counts):
        # Nothing answered is open, not "no risk left", even where nothing is required.
        return RISK_MARK["open"]
    return RISK_MARK["none"]


def answered_any(counts: dict[str, int]) -> bool:
    return any(n for level, n in counts.items() if level not in ("unanswered", "hidden"))


class SectionTree(Tree[str]):
    """Node data is a section id (phases carry None)."""

    DEFAULT_CSS = """
    SectionTree { width: 30%; max-width: 36; overflow-x: hidden;
        border-right: solid $panel-lighten-2; }
    """
    ICON_NODE = ""
    ICON_NODE_EXPANDED = ""

    def fill(self, playbook: Playbook, assessment: Assessment | None, current: str) -> None:
        """Build the tree once; later calls only relabel what changed and move the cursor.

        Rebuilding the whole tree on every section change cost more than
        everything else the next question does.
        """
        if getattr(self, "_built_for", None) is not playbook:
            self._make_nodes(playbook)
        for section in playbook.sections:
            leaf = self._leaves.get(section.id)
            if leaf is None:
                continue
            label = self._label(section.id, section.title, assessment)
            shown = leaf.label
            if not isinstance(shown, Text) or (label.plain, label.spans) != (
                shown.plain,
                shown.spans,
            ):
                leaf.set_label(label)
        leaf = self._leaves.get(current)
        if leaf is not None and self.cursor_node is not leaf:
            self.move_cursor(leaf)

    def _make_nodes(self, playbook: Playbook) -> None:
        self.clear()
        self.root.expand()
        self.show_root = False
        self.show_guides = False
        self.guide_depth = 2
        self._leaves = {}
        for phase in playbook.phases:
            sections = playbook.sections_in(phase.id)
            if not sections:
                continue
            node = self.root.add(Text(one_line(phase.title, 26), style="bold"), expand=True)
            for section in sections:
                self._leaves[section.id] = node.add_leaf(
                    self._label(section.id, section.title, None), data=section.id
                )
        self._built_for = playbook

    def _label(self, section_id: str, title: str, assessment: Assessment | None) -> Text:
        mark, style = section_mark(assessment, section_id)
        label = Text()
        label.append(mark + " ", style=style)
        if assessment is not None:
            s = assessment.section(section_id)
            if s.required_total:  # "0/0" says nothing: a section with nothing required
                label.append(f"{s.required_answered}/{s.required_total} ", style="dim")
        label.append(one_line(title, 40))
        return label
