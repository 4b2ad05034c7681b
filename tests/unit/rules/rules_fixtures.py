"""A small playbook of our own, so the engine is tested apart from the default one."""

from __future__ import annotations

from typing import Any

from pilotbook.playbook.model import Playbook

SMALL: dict[str, Any] = {
    "id": "small",
    "version": 1,
    "title": "Small",
    "phases": [{"id": "before", "title": "Before"}],
    "sections": [
        {
            "id": "commit",
            "phase": "before",
            "title": "Commitment",
            "questions": [
                {
                    "id": "commitment",
                    "ask": "Committed?",
                    "type": "choice",
                    "required": True,
                    "options": {"yes": "Yes", "maybe": "Maybe", "no": "No"},
                    "risk": [
                        {"if": 'answer == "yes"', "then": "none"},
                        {"if": 'answer == "maybe"', "then": "medium", "because": "undecided"},
                        {"then": "high", "because": "no commitment"},
                    ],
                },
                {
                    "id": "budget",
                    "ask": "Budget?",
                    "type": "money",
                    "unit": "EUR",
                    "show_if": 'answers.commitment == "yes"',
                    "required": True,
                    "risk": [{"if": "answer < 1000.0", "then": "high"}],
                },
                {"id": "notes", "ask": "Notes", "type": "longtext"},
            ],
        },
        {
            "id": "owners",
            "phase": "before",
            "title": "Owners",
            "questions": [
                {"id": "owner", "ask": "Owner?", "type": "person", "required": True},
                {
                    "id": "systems",
                    "ask": "Systems",
                    "type": "table",
                    "columns": [
                        {"id": "name", "title": "Name"},
                        {"id": "cost", "title": "Cost", "type": "money"},
                    ],
                    "risk": [
                        {"if": "answer.exists(r, r.cost > 5000.0)", "then": "medium"},
                    ],
                },
            ],
        },
    ],
    "verdict": [
        {
            "id": "no_commitment",
            "if": 'answers.commitment == "no"',
            "then": "no-go",
            "because": "Nobody committed.",
            "fix": "Get a commitment.",
        },
        {
            "id": "small_budget",
            "if": "answers.budget != null && answers.budget < 5000.0",
            "then": "conditional",
            "because": "The budget is small.",
            "fix": "Raise it.",
        },
        {
            "id": "pricey_system",
            "if": "answers.systems != null && answers.systems.exists(r, r.cost > 9000.0)",
            "then": "conditional",
            "because": "A system costs a lot.",
        },
    ],
}


def make_playbook(**changes: Any) -> Playbook:
    return Playbook.model_validate({**SMALL, **changes})


def activation(answers: dict[str, Any], na: list[str] | None = None) -> dict[str, Any]:
    return {"answers": answers, "na": na or []}


GOOD = {
    "commitment": "yes",
    "budget": 20000,
    "notes": None,
    "owner": "Ann (ops)",
    "systems": [{"name": "CRM", "cost": 100.0}],
}
