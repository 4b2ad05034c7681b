"""One question of every type, for the widget tests."""

from __future__ import annotations

from pilotbook.playbook.model import Question

Q = {
    "text": Question(id="owner_team", ask="Which team owns it?", type="text"),
    "longtext": Question(id="story", ask="Describe the workflow", type="longtext"),
    "choice": Question(
        id="commit",
        ask="Committed?",
        type="choice",
        options={"committed": "Yes, budget agreed", "exploring": "Decide later"},
    ),
    "multichoice": Question(
        id="systems", ask="Systems?", type="multichoice", options={"crm": "CRM", "erp": "ERP"}
    ),
    "yesno": Question(id="pii", ask="Personal data?", type="yesno"),
    "number": Question(id="volume", ask="Cases a week?", type="number", min=0, max=1000),
    "money": Question(id="budget", ask="Budget?", type="money", unit="EUR"),
    "percent": Question(id="error_rate", ask="Error rate?", type="percent"),
    "date": Question(id="review", ask="Review date?", type="date"),
    "person": Question(id="sponsor", ask="Sponsor?", type="person"),
    "list": Question(id="risks", ask="Risks?", type="list"),
    "table": Question(
        id="baselines",
        ask="Baselines",
        type="table",
        columns=[
            {"id": "metric", "title": "Metric", "required": True},
            {"id": "value", "title": "Value", "type": "number"},
            {
                "id": "kind",
                "title": "Kind",
                "type": "choice",
                "options": {"t": "time", "c": "cost"},
            },
        ],
    ),
    "checklist": Question(
        id="gov",
        ask="Governance",
        type="checklist",
        items={"audit": "Audit log", "access": "Access reviewed"},
    ),
}
