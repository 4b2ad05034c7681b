"""YAML as a node tree with positions, so every problem can point at its place.

The composed tree (not the plain Python data) keeps the line and column of
every key and value; pydantic's error locations and our own checks are mapped
back onto it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from pilotbook.playbook.errors import Problem

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str, file: str) -> tuple[Node | None, Any]:
    """The node tree and the plain data of one YAML document.

    Raises a one-problem list (as `Problem`) on a syntax error: YAML stops at
    the first one, so there is nothing more to report.
    """
    loader = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as e:
        raise SyntaxProblem(_yaml_problem(e, file)) from None
    except UnicodeEncodeError as e:  # a lone surrogate in text that did not come from a file
        line = text.count("\n", 0, e.start) + 1
        column = e.start - (text.rfind("\n", 0, e.start) + 1) + 1
        raise SyntaxProblem(Problem(file, line, column, "the text is not valid Unicode")) from None
    except yaml.reader.ReaderError as e:
        line = text.count("\n", 0, e.position) + 1
        column = e.position - (text.rfind("\n", 0, e.position) + 1) + 1
        what = f"character U+{e.character:04X} is not allowed in YAML"
        raise SyntaxProblem(Problem(file, line, column, what)) from None
    except yaml.YAMLError as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else "not valid YAML"
        raise SyntaxProblem(Problem(file, 1, 1, f"YAML error: {first}")) from None
    except RecursionError:
        raise SyntaxProblem(Problem(file, 1, 1, "YAML is nested too deeply")) from None
    finally:
        if loader is not None:
            loader.dispose()
    return node, data


class SyntaxProblem(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _yaml_problem(e: yaml.MarkedYAMLError, file: str) -> Problem:
    mark = e.problem_mark or e.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    what = e.problem or "syntax error"
    context = f" ({e.context})" if e.context else ""
    return Problem(file, line, column, f"YAML syntax error: {what}{context}")


def position(node: Node) -> tuple[int, int]:
    """1-based line and column where `node` starts."""
    return node.start_mark.line + 1, node.start_mark.column + 1


def scalar(node: Node | None) -> str | None:
    """The text of a plain or quoted string scalar, else None."""
    if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:str":
        text: str = node.value
        return text
    return None


def pairs(node: Node | None) -> list[tuple[Node, Node]]:
    return list(node.value) if isinstance(node, MappingNode) else []


def get(node: Node | None, key: str) -> Node | None:
    """The value of `key` in a mapping node; the last one wins, as when loading."""
    found = None
    for k, v in pairs(node):
        if isinstance(k, ScalarNode) and k.value == key:
            found = v
    return found


def get_key(node: Node | None, key: str) -> Node | None:
    found = None
    for k, _ in pairs(node):
        if isinstance(k, ScalarNode) and k.value == key:
            found = k
    return found


def items(node: Node | None) -> list[Node]:
    return list(node.value) if isinstance(node, SequenceNode) else []


@dataclass(frozen=True)
class Entry:
    """One element of a list of things with ids, written either way.

    `[{id: a, label: A}]` gives body = the mapping; the shorthand `{a: A}`
    gives body = the value (a mapping, or None for a plain label).
    """

    id: str | None
    node: Node  # where to point: the id's node, or the entry itself
    body: Node | None
    shorthand: bool


def entries(node: Node | None) -> Iterator[Entry]:
    if isinstance(node, SequenceNode):
        for item in node.value:
            id_node = get(item, "id")
            yield Entry(scalar(id_node), id_node or item, item, False)
    elif isinstance(node, MappingNode):
        for k, v in node.value:
            yield Entry(scalar(k), k, v if isinstance(v, MappingNode) else None, True)


def duplicate_keys(root: Node | None, file: str) -> list[Problem]:
    """Keys written twice in one mapping: YAML keeps the last one silently."""
    problems: list[Problem] = []
    seen_nodes: set[int] = set()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:
            continue  # an alias: the same node, checked once
        seen_nodes.add(id(node))
        if isinstance(node, MappingNode):
            first: dict[str, Node] = {}
            for k, v in node.value:
                if isinstance(k, ScalarNode):
                    if k.value in first:
                        line = position(first[k.value])[0]
                        problems.append(
                            Problem(
                                file,
                                *position(k),
                                f"duplicate key `{k.value}` (first at line {line})",
                            )
                        )
                    else:
                        first[k.value] = k
                stack += [k, v]
        elif isinstance(node, SequenceNode):
            stack += node.value
    return problems


def locate(root: Node, loc: tuple[Any, ...]) -> tuple[Node, Node | None, int]:
    """The node an error location points at, the key node naming it, and how
    many parts of `loc` were found (fewer than all: a missing key).

    A list index into a mapping node is the shorthand `{id: label}`: index i is
    the i-th distinct key, in the order YAML first met them.
    """
    node: Node = root
    key: Node | None = None
    shorthand: tuple[Node, Node] | None = None
    for depth, part in enumerate(loc):
        if shorthand is not None:
            k, v = shorthand
            shorthand = None
            if part == "id":
                node, key = k, k
                continue
            if isinstance(v, MappingNode):
                node = v
            else:
                node, key = v, k
                continue
        if isinstance(part, str) and isinstance(node, MappingNode):
            value, key_node = get(node, part), get_key(node, part)
            if value is None or key_node is None:
                return node, key, depth
            node, key = value, key_node
        elif isinstance(part, int) and isinstance(node, SequenceNode):
            if not 0 <= part < len(node.value):
                return node, key, depth
            node, key = node.value[part], None
        elif isinstance(part, int) and isinstance(node, MappingNode):
            distinct: dict[str, tuple[Node, Node]] = {}
            for k, v in node.value:
                name = k.value if isinstance(k, ScalarNode) else str(id(k))
                distinct.setdefault(name, (k, v))
                # The loaded dict keeps the first position and the last value.
                distinct[name] = (distinct[name][0], v)
            ordered = list(distinct.values())
            if not 0 <= part < len(ordered):
                return node, key, depth
            shorthand = ordered[part]
            node, key = shorthand[0], shorthand[0]
        else:
            return node, key, depth
    return node, key, len(loc)
