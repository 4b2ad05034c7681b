"""Playbooks loaded with their conditions checked: the playbook loaders, the
registry and the lens import, given the rules' condition check.

The playbook package reads and checks everything but CEL; this is where a
caller that wants a usable playbook gets one. YAML and the checks load on
first use: a start-up that finds every playbook in the disk cache skips them.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

from pilotbook.playbook import registry

if TYPE_CHECKING:
    from pilotbook.playbook.checks import Outline
    from pilotbook.playbook.errors import Problem
    from pilotbook.playbook.model import Playbook
    from pilotbook.rules.cel import Condition


def check(outline: Outline) -> list[Problem]:
    """The rules' check of a playbook's conditions (`pilotbook.rules.conditions`)."""
    from pilotbook.rules.conditions import check as check_conditions

    return check_conditions(outline)


def load_playbook(path: str | PathLike[str]) -> Playbook:
    """The playbook in `path`; PlaybookError with every problem otherwise."""
    from pilotbook.playbook import loader

    return loader.load_playbook(path, check=check)


def load_text(text: str, file: str = "<playbook>", base: Path | None = None) -> Playbook:
    """The playbook written in `text`; `file` names it in the problems."""
    from pilotbook.playbook import loader

    return loader.load_text(text, file, base, check=check)


def discover(cwd: Path | None = None) -> registry.Registry:
    """The built-in and user playbooks (see `pilotbook.playbook.registry`)."""
    return registry.discover(check, cwd)


def import_lens(
    path: str | PathLike[str],
    *,
    playbook_id: str | None = None,
    high: str = "no-go",
    medium: str = "conditional",
) -> tuple[str, Playbook]:
    """The playbook YAML for a Well-Architected lens, and that playbook loaded back."""
    from pilotbook.playbook import lens

    return lens.import_lens(path, playbook_id=playbook_id, high=high, medium=medium, check=check)


def conditions(playbook: Playbook) -> dict[str, Condition]:
    """The compiled condition for each condition text of a loaded playbook.

    Loading compiled them already (through `compiled`, which keeps them), so
    this is a lookup, not a second compile.
    """
    from pilotbook.playbook import loader
    from pilotbook.rules.cel import compiled

    return {text: compiled(text) for text in loader.condition_texts(playbook)}
