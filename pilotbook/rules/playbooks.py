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
    from pilotbook.playbook.lens_read import LensProblem
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
    warnings: list[LensProblem] | None = None,
) -> tuple[str, Playbook]:
    """The playbook YAML for a Well-Architected lens, and that playbook loaded back;
    what was left out or repaired goes to `warnings`."""
    from pilotbook.playbook import lens

    return lens.import_lens(
        path, playbook_id=playbook_id, high=high, medium=medium, check=check, warnings=warnings
    )


def claim_id(playbook_id: str, target: Path | None, *, force: bool = False) -> None:
    """Refuse a new playbook's id when a playbook found already has it.

    A second file with the same id would hide the first (or a built-in one)
    and every pilot on it would lose its questions. The one exception: with
    `force`, the user file that holds the id (`target`) may be replaced.
    PlaybookIdTaken names who holds it and suggests a free id.
    """
    from pilotbook.errors import PlaybookIdTaken

    found = discover()
    info = found.playbooks.get(playbook_id)
    if info is None:
        return
    same_file = target is not None and _same(target, info.path)
    if force and same_file and info.origin != registry.BUILTIN:
        return
    where = "the built-in playbook" if info.origin == registry.BUILTIN else str(info.path)
    hint = f"choose another with --id (e.g. --id {free_id(playbook_id, found)})"
    if info.origin != registry.BUILTIN:
        hint += f", or replace that file with --force -o {info.path}"
    raise PlaybookIdTaken(f"playbook id `{playbook_id}` is taken by {where}: {hint}")


def free_id(base: str, found: registry.Registry) -> str:
    """An id made from `base` that no playbook found has."""
    stem = base[:56].rstrip("-")
    candidate, n = f"{stem}-lens", 2
    while candidate in found.playbooks:
        candidate = f"{stem}-lens-{n}"
        n += 1
    return candidate


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def conditions(playbook: Playbook) -> dict[str, Condition]:
    """The compiled condition for each condition text of a loaded playbook.

    Loading compiled them already (through `compiled`, which keeps them), so
    this is a lookup, not a second compile.
    """
    from pilotbook.playbook import loader
    from pilotbook.rules.cel import compiled

    return {text: compiled(text) for text in loader.condition_texts(playbook)}
