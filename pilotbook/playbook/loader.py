"""Load a playbook from YAML, or say everything that is wrong with it, and where.

Every problem carries the file, line and column (1-based). All problems in a
file are reported together; only a YAML syntax error stops the reading early,
as there is no tree to check after it. The conditions are CEL, which the
rules check: the caller hands in that check (`pilotbook.rules.playbooks` holds
the loaders with it filled in).
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode

from pilotbook.playbook import messages, yamltree
from pilotbook.playbook.checks import Checker, ConditionCheck
from pilotbook.playbook.errors import PlaybookError, Problem
from pilotbook.playbook.model import Playbook

__all__ = [
    "PlaybookError",
    "Problem",
    "condition_texts",
    "load_playbook",
    "load_text",
]


def load_playbook(path: str | PathLike[str], *, check: ConditionCheck) -> Playbook:
    """The playbook in `path`; PlaybookError with every problem otherwise."""
    file = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as e:
        reason = e.strerror or e.__class__.__name__
        raise PlaybookError([Problem(file, 0, 0, f"cannot read the file: {reason}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise PlaybookError([Problem(file, line, 1, "the file is not UTF-8 text")]) from None
    return load_text(text, file, base=Path(path).parent, check=check)


def load_text(
    text: str, file: str = "<playbook>", base: Path | None = None, *, check: ConditionCheck
) -> Playbook:
    """The playbook written in `text`; `file` names it in the problems.

    `base` is the playbook's folder: templates it names are looked for there.
    """
    try:
        root, data = yamltree.parse(text, file)
    except yamltree.SyntaxProblem as e:
        raise PlaybookError([e.problem]) from None
    if root is None:
        raise PlaybookError([Problem(file, 1, 1, "the file is empty: a playbook is a mapping")])
    if not isinstance(root, MappingNode) or not isinstance(data, dict):
        line, column = yamltree.position(root)
        raise PlaybookError(
            [Problem(file, line, column, "a playbook is a mapping of keys (id, version, ...)")]
        )
    problems: list[Problem] = []
    playbook: Playbook | None = None
    try:
        playbook = Playbook.model_validate(data)
    except ValidationError as e:
        problems += _pydantic_problems(e, root, file)
    except RecursionError:
        problems.append(Problem(file, 1, 1, "the playbook is nested too deeply"))
    try:
        checker = Checker(root, file, text, base)
        problems += checker.run()
        problems += check(checker.outline())
    except RecursionError:
        problems.append(Problem(file, 1, 1, "the playbook is nested too deeply"))
    if problems or playbook is None:
        raise PlaybookError(_tidy(problems) or [Problem(file, 1, 1, "not a valid playbook")])
    return playbook


def _pydantic_problems(error: ValidationError, root: Node, file: str) -> list[Problem]:
    problems = []
    for err in error.errors():
        loc = tuple(err["loc"])
        if err["type"] == "invalid_key":
            # A key YAML read as a number, null or bool: point at that key.
            holder, _, _ = yamltree.locate(root, loc[:-1])
            bad = [k for k, _ in yamltree.pairs(holder) if yamltree.scalar(k) is None]
            line, column = yamltree.position(bad[0] if bad else holder)
            what = "null" if not loc or loc[-1] in (None, "None") else messages.describe(loc[-1])
            problems.append(Problem(file, line, column, f"a key must be text, not {what}"))
            continue
        node, key, found = yamltree.locate(root, loc)
        if err["type"] == "extra_forbidden" and key is not None:
            node = key  # point at the unknown key, not its value
        plain = isinstance(node, ScalarNode) and not node.style
        text = node.value if plain else None
        message = messages.message(dict(err), _where(root, loc, found), text)
        if message is not None:
            line, column = yamltree.position(node)
            problems.append(Problem(file, line, column, message))
    return problems


def _where(root: Node, loc: tuple[Any, ...], found: int) -> str:
    """'question `q1`', or 'a question' when it has no readable id, for messages."""
    _, noun = messages.owner(loc)
    if noun == "playbook":
        return "the playbook"
    # The mapping that holds the last key: loc without that key.
    holder, _, depth = yamltree.locate(root, loc[:-1])
    name = None
    if depth == len(loc) - 1:
        # A shorthand entry (`{a: {...}}`) is found as its key, which is its id.
        id_node = holder if isinstance(holder, ScalarNode) else yamltree.get(holder, "id")
        name = yamltree.scalar(id_node)
    article = "an" if noun[0] in "aeiou" else "a"
    return f"{noun} `{name}`" if name else f"{article} {noun}"


def _tidy(problems: list[Problem]) -> list[Problem]:
    return sorted(set(problems), key=lambda p: (p.line, p.column, p.message))


def condition_texts(playbook: Playbook) -> list[str]:
    """Every CEL condition in a playbook, in file order, each once."""
    return playbook.condition_texts()
