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
from textual.strip import Strip
from textual.widgets import RadioButton, SelectionList

PICKED, UNPICKED = "●", "○"
CHOSEN, UNCHOSEN = "✔", " "


class MarkedRadioButton(RadioButton):
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
