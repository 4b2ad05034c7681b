"""Lenses made to measure, for size and speed tests: any number of pillars, questions
and choices, every choice named by the risk rules."""

from __future__ import annotations

import json
from typing import Any

RISKS = ("HIGH_RISK", "MEDIUM_RISK", "NO_RISK")


def make_lens(
    pillars: int, questions: int, choices: int, *, per_choice: bool = True, name: str = "Big lens"
) -> dict[str, Any]:
    """A lens in the Well-Architected format.

    `per_choice`: one risk rule per choice (naming it and the next), then
    `default`: the rules grow with the choices. Otherwise three rules (all
    chosen, none of the first five, the rest), a shape that fits the tool's
    limits (10 pillars of 20 questions of 15 choices) well into its 500 KB.
    """
    out: dict[str, Any] = {"schemaVersion": "2021-11-01", "name": name, "pillars": []}
    for p in range(pillars):
        qs = []
        for q in range(questions):
            cs = [f"c{c}" for c in range(choices)]
            if per_choice:
                rules = [
                    {"condition": f"{c} && !{cs[(i + 1) % choices]}", "risk": RISKS[i % 3]}
                    for i, c in enumerate(cs)
                ]
            else:
                rules = [
                    {"condition": " && ".join(cs), "risk": "NO_RISK"},
                    {"condition": " && ".join(f"!{c}" for c in cs[:5]), "risk": "HIGH_RISK"},
                ]
            rules.append({"condition": "default", "risk": "MEDIUM_RISK"})
            qs.append(
                {
                    "id": f"p{p}q{q}",
                    "title": f"Q{q}?",
                    "choices": [
                        {"id": c, "title": "C", "improvementPlan": {"displayText": "D"}} for c in cs
                    ],
                    "riskRules": rules,
                }
            )
        out["pillars"].append({"id": f"pillar{p}", "name": f"P{p}", "questions": qs})
    return out


def dumps(lens: dict[str, Any]) -> str:
    return json.dumps(lens, separators=(",", ":"))
