"""A Footer that rebuilds its keys only when the keys change.

Textual's Footer rebuilds every key widget on each focus change. Moving to the
next question changes focus a few times, and rebuilding ~15 keys each time
cost most of the time between the key press and the next question shown.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class QuietFooter(Footer):
    _shown: Any = None

    def on_resize(self) -> None:
        # At 80 columns the keys without their padding: two or three more fit.
        self.compact = self.size.width < 100

    def _signature(self, screen: Screen[Any]) -> tuple[Any, ...]:
        return tuple(
            (b.key, b.action, b.description, enabled, tooltip)
            for _, b, enabled, tooltip in screen.active_bindings.values()
            if b.show
        )

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            signature = self._signature(screen)
            if signature == self._shown:
                self._bindings_ready = True
                return
            self._shown = signature
        super().bindings_changed(screen)
