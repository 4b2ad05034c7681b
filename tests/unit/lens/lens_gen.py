"""Lenses made to measure: any number of pillars, questions and choices, with risk
rules that name every choice, for size and speed tests."""

from __future__ import annotations

from typing import Any

RISKS = ("HIGH_RISK", "MEDIUM_RISK", "NO_RISK")


def make_lens(pillars: int, questions: int, choices: int, *, name: str = "Generated lens") -> dict:
    """A lens in the Well-Architected format: one risk rule per choice (each
    naming that choice and the next), then `default`."""
    out: dict[str, Any] = {"schemaVersion": "2021-11-01", "name": name, "pillars": []}
    for p in range(pillars):
        qs = []
        for q in range(questions):
            qid = f"p{p}_q{q}"
            cs = [f"{qid}_c{c}" for c in range(choices)]
            rules = [
                {"condition": f"{c} && !{cs[(i + 1) % choices]}", "risk": RISKS[i % 3]}
                for i, c in enumerate(cs)
            ]
            rules.append({"condition": "default", "risk": "MEDIUM_RISK"})
            qs.append(
                {
                    "id": qid,
                    "title": f"Question {q} of pillar {p}?",
                    "choices": [
                        {
                            "id": c,
                            "title": f"Choice {i}",
                            "improvementPlan": {"displayText": f"Do {i}."},
                        }
                        for i, c in enumerate(cs)
                    ],
                    "riskRules": rules,
                }
            )
        out["pillars"].append({"id": f"p{p}", "name": f"Pillar {p}", "questions": qs})
    return out
