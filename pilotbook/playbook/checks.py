"""What pydantic cannot see: ids and references between parts.

These checks read the YAML node tree, not the validated model, so they run
even when pydantic found problems elsewhere: an author sees everything wrong
with a file at once. The conditions are CEL, which the rules own: the checker
gathers them, with the questions they may name, into an `Outline`, and a
`ConditionCheck` from the rules (`pilotbook.rules.conditions.check`) reads it.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from yaml.nodes import Node, ScalarNode

from pilotbook.playbook import yamltree as t
from pilotbook.playbook.errors import Problem


@dataclass
class QuestionOutline:
    id: str
    node: Node
    body: Node | None
    type: str | None
    options: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ConditionAt:
    node: ScalarNode
    kind: str  # "show_if", "risk rule `if`", "verdict rule `if`"
    owner: QuestionOutline | None  # the question whose risk rule this is


@dataclass(frozen=True)
class Outline:
    """What a condition check needs of a playbook file: where, and what it may name."""

    file: str
    lines: list[str]
    questions: dict[str, QuestionOutline]  # the first of each id
    conditions: list[ConditionAt]


ConditionCheck = Callable[[Outline], list[Problem]]


class Checker:
    def __init__(self, root: Node, file: str, text: str, base: Path | None = None) -> None:
        self.root, self.file, self.base = root, file, base
        self.lines = text.splitlines()
        self.problems: list[Problem] = []
        self.questions: dict[str, QuestionOutline] = {}  # the first of each id
        self.all_questions: list[QuestionOutline] = []

    def run(self) -> list[Problem]:
        self.problems += t.duplicate_keys(self.root, self.file)
        phases = self._unique(t.get(self.root, "phases"), "phase id")
        sections = list(t.entries(t.get(self.root, "sections")))
        self._unique_entries(sections, "section id")
        question_entries = []
        for section in sections:
            self._phase_known(section, phases)
            question_entries += list(t.entries(t.get(section.body, "questions")))
        self._unique_entries(question_entries, "question id")
        for entry in question_entries:
            if entry.id is not None:
                question = self._question(entry)
                self.all_questions.append(question)
                self.questions.setdefault(entry.id, question)
        self._unique(t.get(self.root, "verdict"), "verdict rule id")
        self._verdict_questions()
        self._verdict_phases(phases)
        self._templates()
        return self.problems

    def outline(self) -> Outline:
        """The conditions to check, once `run` has gathered the questions."""
        return Outline(self.file, self.lines, self.questions, self._conditions())

    def _templates(self) -> None:
        """Export templates a playbook names must exist beside it."""
        if self.base is None:
            return
        templates = t.get(self.root, "templates")
        for kind in ("brief", "charter"):
            node = t.get(templates, kind)
            name = t.scalar(node)
            if node is not None and name and not (self.base / name).is_file():
                self._add(node, f"{kind} template `{name}` not found in {self.base}")

    # --- ids -----------------------------------------------------------------

    def _add(self, node: Node, message: str, pos: tuple[int, int] | None = None) -> None:
        line, column = pos or t.position(node)
        self.problems.append(Problem(self.file, line, column, message))

    def _unique(self, node: Node | None, what: str, scope: str = "") -> set[str]:
        found = list(t.entries(node))
        self._unique_entries(found, what, scope)
        return {e.id for e in found if e.id is not None}

    def _unique_entries(self, found: list[t.Entry], what: str, scope: str = "") -> None:
        first: dict[str, Node] = {}
        for e in found:
            if e.id is None:
                continue
            if e.id in first and not e.shorthand:  # shorthand twice: a duplicate key
                line = t.position(first[e.id])[0]
                self._add(e.node, f"duplicate {what} `{e.id}`{scope} (first at line {line})")
            first.setdefault(e.id, e.node)

    def _phase_known(self, section: t.Entry, phases: set[str]) -> None:
        node = t.get(section.body, "phase")
        name = t.scalar(node)
        if node is None or name is None or not phases or name in phases:
            return
        known = ", ".join(sorted(phases))
        self._add(
            node,
            f"section `{section.id}` names phase `{name}`, which is not defined "
            f"(phases: {known})" + suggest(name, phases),
        )

    def _question(self, q: t.Entry) -> QuestionOutline:
        body = q.body
        info = QuestionOutline(q.id or "", q.node, body, t.scalar(t.get(body, "type")))
        options = list(t.entries(t.get(body, "options")))
        self._unique_entries(options, "option id", f" in question `{q.id}`")
        info.options = list(dict.fromkeys(o.id for o in options if o.id is not None))
        items = list(t.entries(t.get(body, "items")))
        self._unique_entries(items, "checklist item id", f" in question `{q.id}`")
        info.items = [i.id for i in items if i.id is not None]
        columns = list(t.entries(t.get(body, "columns")))
        self._unique_entries(columns, "column id", f" in question `{q.id}`")
        for column in columns:
            self._unique(t.get(column.body, "options"), "option id", f" in column `{column.id}`")
        return info

    def _verdict_questions(self) -> None:
        for rule in t.items(t.get(self.root, "verdict")):
            for item in t.items(t.get(rule, "questions")):
                name = t.scalar(item)
                if name is not None and name not in self.questions:
                    self._add(
                        item,
                        f"verdict rule names question `{name}`, which does not exist"
                        + suggest(name, self.questions),
                    )

    def _verdict_phases(self, phases: set[str]) -> None:
        for rule in t.items(t.get(self.root, "verdict")):
            node = t.get(rule, "phase")
            name = t.scalar(node)
            if node is None or name is None or not phases or name in phases:
                continue
            self._add(
                node,
                f"verdict rule names phase `{name}`, which is not defined "
                f"(phases: {', '.join(sorted(phases))})" + suggest(name, phases),
            )

    # --- conditions ----------------------------------------------------------

    def _conditions(self) -> list[ConditionAt]:
        found: list[ConditionAt] = []
        for q in self.all_questions:
            node = t.get(q.body, "show_if")
            if isinstance(node, ScalarNode):
                found.append(ConditionAt(node, "show_if", None))
            for rule in t.items(t.get(q.body, "risk")):
                node = t.get(rule, "if")
                if isinstance(node, ScalarNode):
                    found.append(ConditionAt(node, "risk rule `if`", q))
        for rule in t.items(t.get(self.root, "verdict")):
            node = t.get(rule, "if")
            if isinstance(node, ScalarNode):
                found.append(ConditionAt(node, "verdict rule `if`", None))
        return [c for c in found if t.scalar(c.node) is not None]


def suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""
