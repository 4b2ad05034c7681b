"""A demo pilot: a customer-service assistant, answered part-way over two workshops.

`pilotbook demo` calls `fill_demo` so the app shows something real on first
run: two sessions three weeks apart with their attendees, answers that
changed between them (the history shows who moved what), a not-applicable
mark, notes, open actions and a baseline measurement. Everything goes
through the workshop service, with its clock set back to the workshop days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pilotbook.workshop.service import Workshop
    from pilotbook.workshop.views import PilotSummary

DEMO_NAME = "Customer service assistant (demo)"
PLAYBOOK = "ai-pilot"
FACILITATOR = "Jordan Lee"

FIRST_ATTENDEES = [
    ("Maria Okafor", "VP Customer Operations", "Customer Operations", False),
    ("Dev Patel", "Tier-1 team lead", "Support EMEA", True),
    ("Aisha Bello", "Support agent", "Support EMEA", True),
    ("Sam Rivera", "Engineer", "Support Engineering", False),
]
SECOND_ATTENDEES = [
    ("Dev Patel", "Tier-1 team lead", "Support EMEA", True),
    ("Aisha Bello", "Support agent", "Support EMEA", True),
    ("Lena Fischer", "Risk and compliance lead", "Risk", False),
    ("Priya Nair", "Quality lead", "Support EMEA", False),
    ("Sam Rivera", "Engineer", "Support Engineering", False),
]

# (question id, value, who said it): the first workshop, on commitment, users and the lane.
FIRST_SESSION: list[tuple[str, Any, str]] = [
    ("rollout_commitment", "exploring", "Maria Okafor"),
    ("pilot_purpose", "derisk", "Maria Okafor"),
    (
        "decision_derisked",
        "Whether tier-1 agents can answer order-status emails with drafted replies they "
        "check and send. Maria Okafor made the call in the Q3 operations review.",
        "Maria Okafor",
    ),
    (
        "then_plan",
        "Roll the drafting assistant out to all 45 tier-1 agents in EMEA, wired into "
        "Zendesk and the order system, with the team lead owning adoption.\n\n"
        "- Month 1: the order-status lane only\n- Month 3: add delivery exceptions",
        "Dev Patel",
    ),
    (
        "then_plan_covers",
        {
            "adopting_team": "pass",
            "integration_built": "fail",
            "owner_named": "pass",
            "after_demo_plan": "unknown",
        },
        "Jordan Lee",
    ),
    ("pilot_commissioner", "Maria Okafor (VP Customer Operations)", "Maria Okafor"),
    ("user_team", "Tier-1 support, EMEA", "Dev Patel"),
    ("user_count", 30, "Dev Patel"),
    ("user_sponsor", "Dev Patel (Tier-1 team lead)", "Maria Okafor"),
    ("sponsor_owns_adoption", True, "Dev Patel"),
    ("pilot_run_by", "joint", "Dev Patel"),
    ("user_involvement", ["design", "testing", "good_output"], "Aisha Bello"),
    ("users_in_decision", "part_of_it", "Aisha Bello"),
    (
        "user_edge_cases",
        [
            "Refunds above the agent's approval limit",
            "Emails that mix two languages",
            "Customers threatening to cancel",
        ],
        "Aisha Bello",
    ),
    (
        "work_change",
        "Agents stop looking up orders by hand: the draft arrives with the order status "
        "and the carrier's last scan already in it. Team leads review a sample each week.",
        "Dev Patel",
    ),
    ("output_entry_point", "A draft reply in the Zendesk ticket sidebar", "Sam Rivera"),
    ("output_actor", "The tier-1 agent who owns the ticket", "Dev Patel"),
    ("process_owner", "Dev Patel", "Maria Okafor"),
    ("placement", "in_workflow", "Sam Rivera"),
    ("embed_points", ["ticketing", "crm"], "Sam Rivera"),
    ("lane_name", "Order-status and delivery questions by email", "Dev Patel"),
    ("lane_only", True, "Maria Okafor"),
    (
        "lane_steps",
        [
            {"step": "intake", "what": "Email arrives and is tagged", "system": "Zendesk"},
            {
                "step": "transformation",
                "what": "Order looked up, reply drafted",
                "system": "Order service",
                "owner": "Sam Rivera",
            },
            {
                "step": "approval",
                "what": "Agent edits and sends",
                "system": "Zendesk",
                "owner": "Dev Patel",
                "done": "Reply sent",
            },
        ],
        "Sam Rivera",
    ),
    ("systems_read", ["Zendesk tickets", "Order history", "Help-centre articles"], "Sam Rivera"),
    ("systems_written", ["Zendesk draft replies (never sent without an agent)"], "Sam Rivera"),
    ("pilot_data", "live", "Sam Rivera"),
    ("prototype_cost", 40000, "Sam Rivera"),
    ("integration_budget", 20000, "Maria Okafor"),
]

# The second workshop: ownership, governance and baselines; some answers move.
SECOND_SESSION: list[tuple[str, Any, str]] = [
    ("rollout_commitment", "committed", "Maria Okafor"),
    ("rollout_budget", 180000, "Maria Okafor"),
    ("rollout_date", "2027-03-31", "Maria Okafor"),
    ("user_count", 45, "Dev Patel"),
    ("integration_budget", 140000, "Maria Okafor"),
    ("budget_scope", "with_integration", "Maria Okafor"),
    ("system_of_record", "The order system for orders; Zendesk for the conversation", "Sam Rivera"),
    (
        "conflict_rule",
        "The order system wins on status and dates; the agent flags any mismatch in the "
        "ticket and the draft is not used.",
        "Sam Rivera",
    ),
    ("approved_data_destination", "The Zendesk ticket thread", "Sam Rivera"),
    (
        "decision_tiers",
        [
            {
                "decision": "Draft a reply",
                "risk": "low",
                "tier": "auto",
                "approver": "Dev Patel",
            },
            {
                "decision": "Promise a refund",
                "risk": "high",
                "tier": "human_only",
                "approver": "Dev Patel",
            },
        ],
        "Lena Fischer",
    ),
    ("audit_trail", True, "Lena Fischer"),
    ("personal_data", True, "Lena Fischer"),
    ("data_destination", "governed_gateway", "Lena Fischer"),
    ("pii_controls", ["stripped_at_boundary", "retention", "access_limited"], "Lena Fischer"),
    ("access_model", "named_roles", "Lena Fischer"),
    (
        "access_control",
        "Tier-1 agents use it; Support Engineering changes prompts and settings through a "
        "reviewed change; logs are readable by Risk.",
        "Lena Fischer",
    ),
    ("owner_workflow", "Dev Patel", "Maria Okafor"),
    ("owner_governance", "Lena Fischer", "Lena Fischer"),
    ("owner_production", "Sam Rivera", "Sam Rivera"),
    ("owner_quality", "Priya Nair", "Priya Nair"),
    (
        "escalation_path",
        ["Agent", "Dev Patel (team lead)", "Sam Rivera (on call)", "Maria Okafor"],
        "Dev Patel",
    ),
    ("measurement_cadence", "fortnightly", "Priya Nair"),
    (
        "baselines",
        [
            {
                "metric": "cycle_time",
                "name": "First reply time",
                "baseline": 14,
                "unit": "hours",
                "target": 4,
                "kill": 16,
                "source": "Zendesk report",
            },
            {
                "metric": "error_rate",
                "name": "Wrong order status quoted",
                "baseline": 3,
                "unit": "%",
                "target": 1,
                "kill": 5,
                "source": "QA sample of 200 tickets",
            },
        ],
        "Priya Nair",
    ),
    (
        "kill_rule",
        "Stop and redesign if first reply time or wrong-status errors pass the kill line "
        "two reviews running.",
        "Maria Okafor",
    ),
]

NOTES = [
    ("integration_budget", "Finance wants the connector costs itemised before approving."),
    ("user_edge_cases", "Aisha will collect ten real examples of each from last month."),
]


@contextmanager
def _clock_at(ws: Workshop, start: dt.datetime) -> Iterator[None]:
    """Let the service's clock run from `start`, a minute per write."""
    ticks = iter(range(10_000))
    saved = ws.clock
    ws.clock = lambda: start + dt.timedelta(minutes=next(ticks))
    try:
        yield
    finally:
        ws.clock = saved


def _answer_all(ws: Workshop, pilot_id: str, answers: list[tuple[str, Any, str]]) -> None:
    from pilotbook.errors import BadInput

    for question_id, value, who in answers:
        try:
            ws.answers.set(pilot_id, question_id, value, by=who)
        except BadInput:
            # A newer playbook may have dropped or retyped a question; the demo goes on.
            continue


def _session(
    ws: Workshop, pilot_id: str, title: str, people: list[tuple[str, str, str, bool]]
) -> str:
    session = ws.records.start_session(pilot_id, title, facilitator=FACILITATOR)
    for name, role, team, uses in people:
        ws.records.add_attendee(session.id, name, role=role, team=team, uses_workflow=uses)
    return session.id


def fill_demo(ws: Workshop, today: dt.date | None = None) -> PilotSummary:
    """Add the demo pilot (or return it when it is there already)."""
    from pilotbook.errors import NotFound

    try:
        return ws.pilots.find(DEMO_NAME)
    except NotFound:
        pass
    today = today or dt.datetime.now(dt.UTC).date()
    first = dt.datetime.combine(today - dt.timedelta(days=21), dt.time(9, 30), dt.UTC)
    second = dt.datetime.combine(today - dt.timedelta(days=7), dt.time(14, 0), dt.UTC)

    with _clock_at(ws, first - dt.timedelta(days=1)):
        pilot = ws.pilots.create(DEMO_NAME, playbook_id=PLAYBOOK, facilitator=FACILITATOR)
        ws.measurements.add(
            pilot.id,
            "First reply time",
            14,
            today - dt.timedelta(days=42),
            unit="hours",
            note="Median over six weeks before the pilot",
        )
    with _clock_at(ws, first):
        session = _session(
            ws, pilot.id, "Kick-off: commitment, users and the lane", FIRST_ATTENDEES
        )
        _answer_all(ws, pilot.id, FIRST_SESSION)
        ws.answers.set(pilot.id, "pilot_run_by", "it", by="Sam Rivera")
        ws.answers.undo(pilot.id, "pilot_run_by", by="Dev Patel")  # the team runs it, not IT
        ws.records.add_action(
            pilot.id,
            "Bring the sponsor's rollout budget and date to the next workshop",
            owner="Maria Okafor",
            due=today - dt.timedelta(days=8),
            question_id="rollout_commitment",
        )
        ws.records.end_session(session)
    with _clock_at(ws, second):
        session = _session(ws, pilot.id, "Ownership, governance and baselines", SECOND_ATTENDEES)
        _answer_all(ws, pilot.id, SECOND_SESSION)
        ws.answers.not_applicable(
            pilot.id, "vendor_contact", "Built in-house on our model gateway", by="Sam Rivera"
        )
        for question_id, note in NOTES:
            ws.answers.set_note(pilot.id, question_id, note, by=FACILITATOR)
        for action in ws.records.actions(pilot.id):
            ws.records.close_action(action.id)
        ws.records.add_action(
            pilot.id,
            "Itemise the connector costs for Finance",
            owner="Sam Rivera",
            due=today + dt.timedelta(days=7),
            question_id="integration_budget",
        )
        ws.records.add_action(
            pilot.id,
            "Name who is accountable when production breaks",
            owner="Maria Okafor",
            due=today + dt.timedelta(days=14),
            question_id="owner_incidents",
        )
        ws.records.end_session(session)
    return ws.pilots.summary(pilot.id)
