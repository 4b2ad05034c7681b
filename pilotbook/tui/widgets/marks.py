"""Radio buttons and selection lists whose picked options read without colour.

Textual draws a picked and an unpicked option with the same character in two
colours; with NO_COLOR, a monochrome terminal or a colour-blind reader they
look alike. Here the character itself differs: ● picked, ○ not; ✔ chosen,
blank not.
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from textual.content import Content
from textual.geometry import Size
from textual.strip import Strip
from textual.widgets import RadioButton, SelectionList

PICKED, UNPICKED = "●", "○"
CHOSEN, UNCHOSEN = "✔", " "


class MarkedRadioButton(RadioButton):
    # A long option wraps onto more lines instead of ending in "…" at 80 columns.
    DEFAULT_CSS = """
    MarkedRadioButton { text-wrap: wrap; text-overflow: fold; height: auto; }
    """

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # Measured without the label's trailing pad: a label that fits but for that
        # space was drawn cut ("…still ope…") on one line.
        return max(len(self.render().rstrip().wrap(width)), 1)

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = PICKED if self.value else UNPICKED
        return super()._button


class MarkedSelectionList(SelectionList[Any]):
    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        segments = list(line)
        if len(segments) < 3:
            return line
        index = self.scroll_offset[1] + y
        try:
            option = self.get_option_at_index(index)
        except Exception:
            return line
        chosen = getattr(option, "value", None) in self._selected
        inner = segments[1]
        segments[1] = Segment(CHOSEN if chosen else UNCHOSEN, inner.style, inner.control)
        return Strip(segments, line.cell_length)
