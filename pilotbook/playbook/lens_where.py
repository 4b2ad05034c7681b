"""Where in a lens a line of the playbook made of it comes from.

A problem found when the generated playbook loads (an id, a condition too
deep for CEL) is reported by the lens's JSON path: the user wrote the lens,
not the YAML.
"""

from __future__ import annotations

from typing import Any


def json_paths(text: str, lines: list[int], gates: list[str]) -> list[str]:
    """The JSON path in the lens for each 1-based line of the playbook `text`.

    `gates` holds the lens question behind each of the playbook's gates, in
    order. A line outside any part made from the lens maps to `$`.
    """
    import yaml

    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.YAMLError:
        return ["$"] * len(lines)
    spans: list[tuple[int, int, str]] = []  # first line, last line, JSON path
    for i, section in enumerate(_items(root, "sections")):
        pillar = f"$.pillars[{i}]"
        spans.append((*_span(section), pillar))
        for j, question in enumerate(_items(section, "questions")):
            where = f"{pillar}.questions[{j}]"
            spans.append((*_span(question), where))
            for k, option in enumerate(_items(question, "options")):
                spans.append((*_span(option), f"{where}.choices[{k}]"))
            for k, rule in enumerate(_items(question, "risk")):
                spans.append((*_span(rule), f"{where}.riskRules[{k}].condition"))
    for g, gate in enumerate(_items(root, "verdict")):
        if g < len(gates):
            spans.append((*_span(gate), f"{gates[g]}.riskRules"))
    out = []
    for line in lines:
        inside = [s for s in spans if s[0] <= line <= s[1]]
        out.append(min(inside, key=lambda s: s[1] - s[0])[2] if inside else "$")
    return out


def _items(node: Any, key: str) -> list[Any]:
    """The items of the list under `key` in a mapping node, or none."""
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return []
    for k, v in node.value:
        if getattr(k, "value", None) == key and isinstance(v, yaml.SequenceNode):
            return list(v.value)
    return []


def _span(node: Any) -> tuple[int, int]:
    return node.start_mark.line + 1, max(node.start_mark.line + 1, node.end_mark.line)
