"""Helpers of the phase tests: load the revisit playbooks, publish a new version."""

from __future__ import annotations

from pathlib import Path

PLAYBOOKS = Path(__file__).resolve().parent / "playbooks"


def load(name: str):  # type: ignore[no-untyped-def]
    import yaml

    from pilotbook.playbook.model import Playbook

    return Playbook.model_validate(yaml.safe_load((PLAYBOOKS / name).read_text("utf-8")))


def publish(ws, book) -> None:  # type: ignore[no-untyped-def]
    """The playbook file moves on: the registry now knows only `book`."""
    from pilotbook.workshop.playbooks import StaticPlaybooks

    ws.playbooks.source = StaticPlaybooks([book])
