"""What pydantic cannot see: ids, references between parts, and the conditions.

These checks read the YAML node tree, not the validated model, so they run
even when pydantic found problems elsewhere: an author sees everything wrong
with a file at once.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from yaml.nodes import Node, ScalarNode

from pilotbook.playbook import yamltree as t
from pilotbook.playbook.errors import Problem
from pilotbook.rules import celcheck
from pilotbook.rules.cel import STRING_LITERAL, CelError, compiled, referenced_answers

_STR = STRING_LITERAL.pattern
_REF = (
    r"(?:answers\s*\.\s*(?P<a>[A-Za-z_]\w*)\b(?!\s*[.(\[])"
    r"|answers\s*\[\s*[\"'](?P<b>[A-Za-z_]\w*)[\"']\s*\](?!\s*[.(\[])"
    r"|(?<![\w.])(?P<own>answer)\b(?!\s*[.(\[]))"
)
# The ways a condition compares an answer with a literal option id.
_COMPARISONS = [
    (re.compile(rf"{_REF}\s*(?P<op>==|!=)\s*(?P<lit>{_STR})"), "=="),
    (re.compile(rf"(?P<lit>{_STR})\s*(?P<op>==|!=)\s*{_REF}"), "=="),
    (re.compile(rf"(?P<lit>{_STR})\s+in\s+{_REF}"), "in"),
    (re.compile(rf"{_REF}\s+in\s*\[(?P<list>[^\]]*)\]"), "in-list"),
]
_CHECKLIST = re.compile(
    r"(?:answers\s*\.\s*(?P<q>[A-Za-z_]\w*)|(?<![\w.])(?P<own>answer))"
    r"\s*\.\s*(?P<item>[A-Za-z_]\w*)\b(?!\s*\()"
    rf"(?:\s*(?:==|!=)\s*(?P<lit>{_STR}))?"
)
_OWN = re.compile(r"(?<![\w.])answer\b")
CHECK_VALUES = ("pass", "fail", "unknown")


@dataclass
class _Question:
    id: str
    node: Node
    body: Node | None
    type: str | None
    options: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Cond:
    node: ScalarNode
    kind: str  # "show_if", "risk rule `if`", "verdict rule `if`"
    owner: _Question | None  # the question whose risk rule this is


class Checker:
    def __init__(self, root: Node, file: str, text: str, base: Path | None = None) -> None:
        self.root, self.file, self.base = root, file, base
        self.lines = text.splitlines()
        self.problems: list[Problem] = []
        self.questions: dict[str, _Question] = {}  # the first of each id
        self.all_questions: list[_Question] = []

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
        conditions = self._conditions()
        for cond in conditions:
            self._condition(cond)
        self._cycles()
        self._unique(t.get(self.root, "verdict"), "verdict rule id")
        self._verdict_questions()
        self._verdict_phases(phases)
        self._templates()
        return self.problems

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
            f"(phases: {known})" + _suggest(name, phases),
        )

    def _question(self, q: t.Entry) -> _Question:
        body = q.body
        info = _Question(q.id or "", q.node, body, t.scalar(t.get(body, "type")))
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
                        + _suggest(name, self.questions),
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
                f"(phases: {', '.join(sorted(phases))})" + _suggest(name, phases),
            )

    # --- conditions ----------------------------------------------------------

    def _conditions(self) -> list[_Cond]:
        found: list[_Cond] = []
        for q in self.all_questions:
            node = t.get(q.body, "show_if")
            if isinstance(node, ScalarNode):
                found.append(_Cond(node, "show_if", None))
            for rule in t.items(t.get(q.body, "risk")):
                node = t.get(rule, "if")
                if isinstance(node, ScalarNode):
                    found.append(_Cond(node, "risk rule `if`", q))
        for rule in t.items(t.get(self.root, "verdict")):
            node = t.get(rule, "if")
            if isinstance(node, ScalarNode):
                found.append(_Cond(node, "verdict rule `if`", None))
        return [c for c in found if t.scalar(c.node) is not None]

    def _condition(self, cond: _Cond) -> None:
        text = cond.node.value
        try:
            condition = compiled(text)
        except CelError as e:
            where = self._offset(cond.node, e.column - 1) if e.column else None
            extra = f" (column {e.column} of the condition)" if e.column and not where else ""
            self._add(cond.node, f"{cond.kind}: {e.message}{extra}", where)
            return
        for issue in celcheck.check(condition):
            at = self._offset(cond.node, issue.offset) if issue.offset is not None else None
            self._add(cond.node, f"{cond.kind}: {issue.message}", at)
        bare = STRING_LITERAL.sub(lambda m: '"' + " " * (len(m.group(0)) - 2) + '"', text)
        if cond.owner is None:
            own = _OWN.search(bare)
            if own:
                self._add(
                    cond.node,
                    f"{cond.kind}: `answer` is only set in a question's risk rules; "
                    "write `answers.<question id>`",
                    self._offset(cond.node, own.start()),
                )
        for name in referenced_answers(text):
            if name not in self.questions:
                at = re.search(rf"answers\s*(?:\.\s*|\[\s*[\"']){name}\b", text)
                self._add(
                    cond.node,
                    f"{cond.kind}: `answers.{name}` names a question that does not exist"
                    + _suggest(name, self.questions),
                    self._offset(cond.node, at.start()) if at else None,
                )
        self._literals(cond, text)

    def _literals(self, cond: _Cond, text: str) -> None:
        strings = [m.span() for m in STRING_LITERAL.finditer(text)]

        def quoted(pos: int) -> bool:
            return any(a < pos < b for a, b in strings)

        for pattern, op in _COMPARISONS:
            for m in pattern.finditer(text):
                if quoted(m.start()):
                    continue
                q = self._target(m.group("a") or m.group("b"), m.group("own"), cond)
                if q is None:
                    continue
                lits = (
                    [x.group(0)[1:-1] for x in STRING_LITERAL.finditer(m.group("list"))]
                    if op == "in-list"
                    else [m.group("lit")[1:-1]]
                )
                problem = _literal_problem(q, op, lits)
                if problem:
                    self._add(
                        cond.node, f"{cond.kind}: {problem}", self._offset(cond.node, m.start())
                    )
        for m in _CHECKLIST.finditer(text):
            if quoted(m.start()):
                continue
            q = self._target(m.group("q"), m.group("own"), cond)
            if q is None or q.type != "checklist":
                continue
            if m.group("item") not in q.items:
                self._add(
                    cond.node,
                    f"{cond.kind}: question `{q.id}` has no checklist item `{m.group('item')}`"
                    + _suggest(m.group("item"), q.items),
                    self._offset(cond.node, m.start()),
                )
            elif m.group("lit") and m.group("lit")[1:-1] not in CHECK_VALUES:
                self._add(
                    cond.node,
                    f'{cond.kind}: a checklist item is "pass", "fail" or "unknown", '
                    f"not {m.group('lit')}",
                    self._offset(cond.node, m.start()),
                )

    def _target(self, name: str | None, own: str | None, cond: _Cond) -> _Question | None:
        if own and cond.owner:
            return cond.owner
        return self.questions.get(name) if name else None

    def _cycles(self) -> None:
        """show_if that depends on itself, through any number of questions.

        An iterative depth-first search: a playbook may chain hundreds of
        show_if conditions, deeper than Python's recursion allows.
        """
        graph: dict[str, list[str]] = {}
        for q in self.questions.values():
            text = t.scalar(t.get(q.body, "show_if"))
            if text is not None:
                graph[q.id] = [r for r in referenced_answers(text) if r in self.questions]
        order = list(self.questions)
        state: dict[str, int] = {}  # 1: on the current path, 2: finished
        for start in order:
            if start in state:
                continue
            path, stack = [start], [iter(graph.get(start, []))]
            state[start] = 1
            while stack:
                nxt = next(stack[-1], None)
                if nxt is None:
                    state[path.pop()] = 2
                    stack.pop()
                elif state.get(nxt) == 1:
                    self._cycle(path[path.index(nxt) :], order)
                elif nxt not in state:
                    state[nxt] = 1
                    path.append(nxt)
                    stack.append(iter(graph.get(nxt, [])))

    def _cycle(self, cycle: list[str], order: list[str]) -> None:
        first = min(cycle, key=order.index)
        i = cycle.index(first)
        ring = [*cycle[i:], *cycle[:i], first]
        if len(ring) > 8:  # keep the line readable; the ends say where to look
            ring = [*ring[:4], f"... {len(ring) - 6} more", *ring[-2:]]
        node = t.get(self.questions[first].body, "show_if")
        if node is not None:
            self._add(node, "show_if cycle: " + " → ".join(ring) + " (each waits on the next)")

    def _offset(self, node: ScalarNode, offset: int) -> tuple[int, int] | None:
        """The file position of character `offset` of a condition, when it can be
        known exactly: a one-line plain or quoted scalar, or a literal block."""
        line0, col0 = node.start_mark.line, node.start_mark.column
        text = node.value
        if offset < 0 or offset > len(text):
            return None
        if node.style in (None, "", "'", '"') and "\n" not in text:
            start = col0 + (1 if node.style else 0)
            source = self.lines[line0] if line0 < len(self.lines) else ""
            if source[start : start + len(text)] == text:
                return line0 + 1, start + offset + 1
            return None
        if node.style == "|":
            before = text[:offset]
            row = line0 + 1 + before.count("\n")
            if row >= len(self.lines):
                return None
            # The block's indentation is that of its first line; deeper
            # indentation on later lines belongs to the text.
            first = self.lines[line0 + 1] if line0 + 1 < len(self.lines) else ""
            indent = len(first) - len(first.lstrip(" "))
            return row + 1, indent + len(before) - (before.rfind("\n") + 1) + 1
        return None


def _literal_problem(q: _Question, op: str, lits: list[str]) -> str | None:
    if q.type == "yesno":
        return f"question `{q.id}` is yes/no: its answer is true or false, not a string"
    if q.type == "multichoice" and op in ("==", "in-list"):
        return (
            f"question `{q.id}` is multichoice: its answer is a list of option ids; "
            f'write `"{lits[0] if lits else "id"}" in answers.{q.id}`'
        )
    if q.type in ("choice", "multichoice") and q.options:
        for lit in lits:
            if lit not in q.options:
                return (
                    f"question `{q.id}` has no option `{lit}` (options: {', '.join(q.options)})"
                    + _suggest(lit, q.options)
                )
    return None


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""
