"""What a condition costs, and the names it reads, checked when a playbook loads.

celpy walks the syntax tree: a condition costs about one step per node, and a
macro (`all`, `exists`, `exists_one`, `map`, `filter`) runs its body once per
item of the list it is called on. The estimate takes a literal list at its
length and anything else (a list or table answer) at `ASSUMED_ITEMS`, so
macros nested in macros multiply. A condition over the budget, or nesting
macros deeper than `MAX_MACRO_NESTING`, is refused with its column: `validate`
says so rather than a verdict taking minutes.

Names: a condition can read `answers`, `na`, `answer` (in risk rules, checked
by the playbook's own checks), a macro's own variable, and CEL's type names.
Anything else (`answerz.x`) could only fail when evaluated.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

MAX_MACRO_NESTING = 3
MAX_COST = 1_000_000  # estimated steps (syntax-tree nodes visited) of one evaluation
ASSUMED_ITEMS = 20  # items a list or table answer is taken to hold in the estimate
MACROS = frozenset({"all", "exists", "exists_one", "map", "filter"})
VARIABLES = frozenset({"answers", "na", "answer"})
# CEL's type names and conversions, which read as plain identifiers.
BUILTINS = frozenset(
    {"int", "uint", "double", "bool", "string", "bytes", "list", "map", "null_type", "type", "dyn"}
)


@dataclass(frozen=True)
class Issue:
    message: str
    offset: int | None  # 0-based, in the condition's text


def check(condition: Any) -> list[Issue]:
    """Budget and name problems of a compiled condition (`cel.Condition`)."""
    tree = condition._ast
    if tree is None:
        return []
    walk = _Walk()
    cost = walk.cost(tree, 0)
    issues = list(walk.issues)
    if cost > MAX_COST and not any("nested" in i.message for i in issues):
        issues.append(
            Issue(
                f"the condition is estimated at {cost:,} steps (budget {MAX_COST:,}, "
                f"taking each list answer as {ASSUMED_ITEMS} items); make it simpler",
                None,
            )
        )
    bound = walk.bound
    for token in walk.names:
        name = str(token)
        if name in VARIABLES or name in BUILTINS or name in bound:
            continue
        close = difflib.get_close_matches(name, ["answers", "na"], n=1, cutoff=0.6)
        hint = f" (did you mean `{close[0]}`?)" if close else ""
        issues.append(
            Issue(
                f"unknown name `{name}`: a condition reads `answers.<question id>` and `na`" + hint,
                _offset(token),
            )
        )
    return issues


class _Walk:
    def __init__(self) -> None:
        self.issues: list[Issue] = []
        self.names: list[Any] = []  # IDENT tokens read as variables
        self.bound: set[str] = set()  # macro variables

    def cost(self, node: Any, nesting: int) -> int:
        # Iterative over the long chains lark builds for each operand, recursive
        # only where a macro opens a new level (at most a few deep).
        total, stack = 0, [node]
        while stack:
            item = stack.pop()
            children = getattr(item, "children", None)
            if children is None:
                continue
            total += 1
            data = item.data
            if data == "ident" and children:
                self.names.append(children[0])
            elif data == "member_dot_arg" and len(children) >= 2 and str(children[1]) in MACROS:
                total += self._macro(item, nesting)
                continue
            stack.extend(children)
        return total

    def _macro(self, node: Any, nesting: int) -> int:
        target, method = node.children[0], node.children[1]
        args = node.children[2].children if len(node.children) > 2 else []
        if nesting + 1 > MAX_MACRO_NESTING:
            self.issues.append(
                Issue(
                    f"`{method}` macros nested more than {MAX_MACRO_NESTING} deep: each one "
                    "runs the next for every item",
                    _offset(method),
                )
            )
            return 0
        if args:
            var = _bare_ident(args[0])
            if var is not None:
                self.bound.add(var)
        items = _literal_length(target) or ASSUMED_ITEMS
        body = sum(self.cost(a, nesting + 1) for a in args[1:])
        return self.cost(target, nesting) + items * body


def _bare_ident(node: Any) -> str | None:
    """The name when an expression is a single identifier (a macro's variable)."""
    while getattr(node, "children", None) and len(node.children) == 1:
        if node.data == "ident":
            return str(node.children[0])
        node = node.children[0]
    return None


def _literal_length(node: Any) -> int | None:
    while getattr(node, "children", None) and len(node.children) == 1:
        node = node.children[0]
        if getattr(node, "data", None) == "list_lit":
            exprs = node.children[0] if node.children else None
            return len(getattr(exprs, "children", [])) if exprs is not None else 0
    return None


def _offset(token: Any) -> int | None:
    pos = getattr(token, "start_pos", None)
    return pos if isinstance(pos, int) and pos >= 0 else None
