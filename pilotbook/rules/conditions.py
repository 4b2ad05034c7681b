"""The CEL conditions of a playbook file, checked before it loads.

Each condition must compile and pass the static checks (`celcheck`); the
questions, options and checklist items it names must exist and fit how it
compares them; `answer` is only used in a question's own risk rules; and no
show_if waits on itself through other questions. The playbook's checker
gathers the conditions into an `Outline`; `check` is the `ConditionCheck`
that the playbook loader is given.
"""

from __future__ import annotations

import re

from yaml.nodes import Node, ScalarNode

from pilotbook.playbook import yamltree as t
from pilotbook.playbook.checks import ConditionAt, Outline, QuestionOutline, suggest
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


def check(outline: Outline) -> list[Problem]:
    """Every problem with the conditions in `outline`."""
    return _Conditions(outline).run()


class _Conditions:
    def __init__(self, outline: Outline) -> None:
        self.outline = outline
        self.problems: list[Problem] = []

    def run(self) -> list[Problem]:
        for cond in self.outline.conditions:
            self._condition(cond)
        self._cycles()
        return self.problems

    def _add(self, node: Node, message: str, pos: tuple[int, int] | None = None) -> None:
        line, column = pos or t.position(node)
        self.problems.append(Problem(self.outline.file, line, column, message))

    def _condition(self, cond: ConditionAt) -> None:
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
            if name not in self.outline.questions:
                found = re.search(rf"answers\s*(?:\.\s*|\[\s*[\"']){name}\b", text)
                self._add(
                    cond.node,
                    f"{cond.kind}: `answers.{name}` names a question that does not exist"
                    + suggest(name, self.outline.questions),
                    self._offset(cond.node, found.start()) if found else None,
                )
        self._literals(cond, text)

    def _literals(self, cond: ConditionAt, text: str) -> None:
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
                    + suggest(m.group("item"), q.items),
                    self._offset(cond.node, m.start()),
                )
            elif m.group("lit") and m.group("lit")[1:-1] not in CHECK_VALUES:
                self._add(
                    cond.node,
                    f'{cond.kind}: a checklist item is "pass", "fail" or "unknown", '
                    f"not {m.group('lit')}",
                    self._offset(cond.node, m.start()),
                )

    def _target(
        self, name: str | None, own: str | None, cond: ConditionAt
    ) -> QuestionOutline | None:
        if own and cond.owner:
            return cond.owner
        return self.outline.questions.get(name) if name else None

    def _cycles(self) -> None:
        """show_if that depends on itself, through any number of questions.

        An iterative depth-first search: a playbook may chain hundreds of
        show_if conditions, deeper than Python's recursion allows.
        """
        graph: dict[str, list[str]] = {}
        for q in self.outline.questions.values():
            text = t.scalar(t.get(q.body, "show_if"))
            if text is not None:
                graph[q.id] = [r for r in referenced_answers(text) if r in self.outline.questions]
        order = list(self.outline.questions)
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
        node = t.get(self.outline.questions[first].body, "show_if")
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
            source = self.outline.lines[line0] if line0 < len(self.outline.lines) else ""
            if source[start : start + len(text)] == text:
                return line0 + 1, start + offset + 1
            return None
        if node.style == "|":
            before = text[:offset]
            row = line0 + 1 + before.count("\n")
            if row >= len(self.outline.lines):
                return None
            # The block's indentation is that of its first line; deeper
            # indentation on later lines belongs to the text.
            first = self.outline.lines[line0 + 1] if line0 + 1 < len(self.outline.lines) else ""
            indent = len(first) - len(first.lstrip(" "))
            return row + 1, indent + len(before) - (before.rfind("\n") + 1) + 1
        return None


def _literal_problem(q: QuestionOutline, op: str, lits: list[str]) -> str | None:
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
                    + suggest(lit, q.options)
                )
    return None
