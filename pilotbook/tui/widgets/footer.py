"""A Footer that rebuilds its keys only when the keys change, and says when some do not fit.

Textual's Footer rebuilds every key widget on each focus change. Moving to the
next question changes focus a few times, and rebuilding ~15 keys each time
cost most of the time between the key press and the next question shown.

At 80 columns a screen's keys rarely all fit: the last ones would simply be
cut off. Then the corner that shows the command palette's key says "F1 for the
rest" instead (Ctrl+P still opens the palette, and F1 lists it too).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # the key widget Footer itself yields

# Columns the "F1 for the rest" corner takes, border included.
REST_WIDTH = 18


class QuietFooter(Footer):
    _shown: Any = None

    def on_resize(self) -> None:
        # At 80 columns the keys without their padding: two or three more fit.
        self.compact = self.size.width < 100
        if self._bindings_ready:
            self.call_after_refresh(self.recompose)

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

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        keys = in_declared_order(
            [w for w in widgets if not w.has_class("-command-palette")], self.screen
        )
        widgets = [*keys, *[w for w in widgets if w.has_class("-command-palette")]]
        room = self.size.width - REST_WIDTH
        if self.size.width and needed(keys, self.compact) > room:
            rest = FooterKey("f1", "f1", "for the rest", "app.help", classes="-command-palette")
            rest.tooltip = "Every key of this screen (Ctrl+P opens the command palette)"
            widgets = [*fitting(keys, self.compact, room), rest]
        yield from widgets


def in_declared_order(keys: list[Widget], screen: Screen[Any]) -> list[Widget]:
    """The screen's keys in the order it declares them, whatever has the focus.

    A focused widget's own binding for a key the screen takes first (a text
    area's F6) would otherwise move that key to the front.
    """
    declared: list[str] = []
    for binding in getattr(screen, "BINDINGS", []):
        key = binding.key if hasattr(binding, "key") else binding[0]
        declared += [k.strip() for k in key.split(",")]
    rank = {key: i for i, key in enumerate(declared)}
    return sorted(
        keys,
        key=lambda w: rank.get(w.key, len(rank)) if isinstance(w, FooterKey) else len(rank),
    )


def fitting(keys: Iterable[Widget], compact: bool, room: int) -> list[Widget]:
    """The keys that fit whole, in order: a key cut in half ("f4 N") reads as nothing.

    F1's own key goes: the corner already says what F1 does.
    """
    kept: list[Widget] = []
    for w in keys:
        if isinstance(w, FooterKey) and w.action in ("help", "app.help"):
            continue
        if needed([*kept, w], compact) > room:
            break
        kept.append(w)
    return kept


def needed(keys: Iterable[Widget], compact: bool) -> int:
    """Columns the keys take side by side: key, description and their padding."""
    pad = 1 if compact else 3
    total = 0
    for w in keys:
        if isinstance(w, FooterKey):
            total += len(w.key_display) + len(w.description) + pad + (1 if w.description else 0)
    return total
