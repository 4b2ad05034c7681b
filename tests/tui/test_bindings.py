"""Every key binding of the app has an id and a tooltip (the Footer and F1 show them)."""

from __future__ import annotations

import importlib
import pkgutil

from textual.binding import Binding
from textual.dom import DOMNode

import pilotbook.tui


def _classes() -> list[type]:
    found: list[type] = []
    for info in pkgutil.walk_packages(pilotbook.tui.__path__, "pilotbook.tui."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, DOMNode)
                and value.__module__ == info.name
                and "BINDINGS" in vars(value)
            ):
                found.append(value)
    return found


def test_every_binding_has_an_id_and_a_tooltip() -> None:
    classes = _classes()
    assert len(classes) > 8
    for cls in classes:
        for binding in cls.BINDINGS:
            assert isinstance(binding, Binding), f"{cls.__name__}: {binding!r} is not a Binding"
            assert binding.id, f"{cls.__name__}: {binding.key} has no id"
            assert binding.tooltip, f"{cls.__name__}: {binding.key} has no tooltip"
            assert binding.description, f"{cls.__name__}: {binding.key} has no description"
