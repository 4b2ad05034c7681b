"""A fully answered pilot of the default playbook that passes every gate.

Shared by the gate tests, the export tests and the export benchmark; each
test breaks one thing and checks what the rules make of it.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

PLAYBOOK_FILE = Path(__file__).resolve().parents[3] / "playbooks" / "ai-pilot.yaml"

LANE = ["intake", "transformation", "approval", "handoff", "downstream_update"]
METRICS = ["cycle_time", "error_rate", "rework_rate", "cost_per_unit"]

GOOD: dict[str, Any] = {
    # commitment
    "rollout_commitment": "committed",
    "rollout_budget": 250000.0,
    "rollout_date": "2027-03-01",
    "pilot_purpose": "derisk",
    "decision_derisked": "Moving first-line claims triage to the new intake desk (COO, June).",
    "then_plan": "The claims team adopts it; the CRM connector gets built; Dana owns it.",
    "then_plan_covers": {
        "adopting_team": "pass",
        "integration_built": "pass",
        "owner_named": "pass",
        "after_demo_plan": "pass",
    },
    "pilot_commissioner": "Lee (operations)",
    # users
    "user_team": "Claims intake",
    "user_count": 40.0,
    "user_sponsor": "Sam (claims lead)",
    "sponsor_owns_adoption": True,
    "pilot_run_by": "joint",
    "user_involvement": ["design", "testing", "good_output"],
    "users_in_decision": "part_of_it",
    "user_edge_cases": ["Handwritten forms", "Claims in two languages"],
    # work change
    "work_change": "Triage moves from the shared inbox into the claims queue.",
    "daily_decisions": "Which queue a claim goes to, and how urgent it is.",
    "output_entry_point": "The claims queue",
    "output_actor": "The intake handler on shift",
    "process_owner": "Dana (claims operations)",
    "placement": "in_workflow",
    "embed_points": ["ticketing", "routing"],
    "side_tool_plan": None,
    "change_plan": "Two training sessions and a weekly clinic for the first month.",
    # lane
    "lane_name": "Motor claims intake",
    "lane_only": True,
    "lane_steps": [
        {"step": s, "what": f"{s} step", "system": "CRM", "owner": "Dana", "done": "logged"}
        for s in LANE
    ],
    "done_definitions": [{"stakeholder": "Adjuster", "done": "Claim in the right queue"}],
    "actual_flow": "Emails arrive, are forwarded twice, then keyed into the CRM.",
    "layer_position": "Between the inbox and the CRM queue",
    "triggers": ["New email in the claims inbox"],
    # systems
    "systems_read": ["CRM", "Document store"],
    "systems_written": ["CRM queue field"],
    "pilot_data": "live",
    "system_of_record": "CRM",
    "conflict_rule": "The CRM wins; documents update it through a reviewed change.",
    "approved_data_destination": "CRM claim record",
    "single_final_version": True,
    # integration budget
    "prototype_cost": 40000.0,
    "integration_budget": 160000.0,
    "budget_scope": "full",
    "connectors": [
        {"system": "CRM", "direction": "both", "cost": 60000.0, "owner": "Ivo", "status": "built"}
    ],
    "system_problems": ["Duplicate customer records"],
    # governance
    "decision_tiers": [
        {"decision": "Summarise claim", "risk": "low", "tier": "auto", "approver": None},
        {"decision": "Route claim", "risk": "medium", "tier": "human_confirms", "approver": "Sam"},
        {"decision": "Approve payout", "risk": "high", "tier": "human_only", "approver": "Sam"},
    ],
    "output_owner": "Dana",
    "when_wrong": "The handler corrects the queue; corrections feed the weekly review.",
    "override_by": "Any intake handler",
    "logged": ["inputs", "outputs", "decisions", "overrides", "model_version"],
    "audit_trail": True,
    "personal_data": True,
    "data_destination": "governed_gateway",
    "pii_controls": ["stripped_at_boundary", "contract"],
    "access_model": "named_roles",
    "access_control": "Claims staff use it; only the platform team changes settings.",
    "regulated": True,
    "security_review": "passed",
    # production shape
    "production_shaped": {
        "gateway": "pass",
        "real_connectors": "pass",
        "approval_gates": "pass",
        "audit_log": "pass",
        "eval_harness": "pass",
    },
    # owners
    "owner_workflow": "Dana (claims operations)",
    "owner_governance": "Rita (risk)",
    "owner_production": "Ivo (platform)",
    "owner_quality": "Sam (claims lead)",
    "owner_incidents": "Ivo (platform)",
    "owner_improvement": "Mo (data science)",
    "owner_alerts": "Ivo (platform)",
    "vendor_contact": "Kim (vendor)",
    "escalation_path": ["Intake handler on shift", "Sam (claims lead)", "Ivo (platform)"],
    "measurement_cadence": "weekly",
    # baselines
    "baselines": [
        {
            "metric": m,
            "name": None,
            "baseline": 10.0,
            "unit": "u",
            "target": 5.0,
            "kill": 12.0,
            "source": "CRM report",
            "measured_on": "2026-09-01",
        }
        for m in METRICS
    ],
    "kill_rule": "If error rate passes 12% for two weeks, we stop and redesign.",
    "baseline_period": "September 2026",
    # real conditions
    "messy_inputs": "validated",
    "hand_filtering": False,
    "vendor_fixing": False,
    "pilot_volume": 200.0,
    "production_volume": 1200.0,
    "unattended": True,
    "manual_steps": [],
    "exceptions_seen": [
        {"exception": "Blank form", "handled": "Sent back", "owner": "Sam", "fixed": True}
    ],
    # evaluation
    "eval_method": "harness",
    "good_output": "Right queue and urgency on the first try.",
    "eval_cases": 500.0,
    "accuracy_target": 90.0,
    "accuracy_measured": 93.0,
    "drift_watch": "Weekly sample of 50 claims.",
    # integration health
    "integration_checks": {
        "data_parity": "pass",
        "connector_resilience": "pass",
        "ownership_clarity": "pass",
        "exception_routing": "pass",
        "replayability": "pass",
    },
    "exception_queue": "Claims exceptions queue",
    "exception_sla": 4.0,
    "replay_minutes": 5.0,
    "api_change_alerts": True,
    # measurement
    "pilot_results": [
        {"metric": "cycle_time", "value": 4.0, "measured_on": "2026-11-01", "source": "CRM"}
    ],
    "evidence_kind": "data",
    "kill_hit": False,
    "kill_hit_detail": None,
    "integration_overhead": ["none"],
    # readiness
    "arc_stage": "production",
    "open_concerns": [],
    "engineering_signoff": True,
    "ship_is": "decision",
    "expansion_plan": "same_lane",
    "strategy_outputs": {"governance_model": "pass", "kpi_scorecard": "pass", "roadmap": "pass"},
    "decision_notes": "Go, starting with the motor lane.",
    # operations
    "runbooks": {
        "connector_failure": "pass",
        "wrong_output": "pass",
        "data_conflict": "pass",
        "vendor_change": "pass",
        "rollback": "pass",
    },
    "vendor_change_process": "Updates run against the evaluation set in staging first.",
    "monitoring": ["output_quality", "connectors", "drift"],
    "handover_date": "2027-04-01",
    # adoption
    "usage_share": 85.0,
    "workarounds": [],
    "user_trust": "trusted",
    # reviews
    "next_review": "2027-05-01",
    "review_dates": ["2027-05-01", "2027-08-01", "2027-11-01"],
    "scorecard": [
        {"metric": "Cycle time", "target": 5.0, "latest": 4.0, "kill": 12.0, "status": "on_track"}
    ],
    "owners_confirmed": True,
}


def good_answers() -> dict[str, Any]:
    return copy.deepcopy(GOOD)


def load_playbook() -> Any:
    """The default playbook, read the way the app reads it when the loader is there."""
    try:
        from pilotbook.rules.playbooks import load_playbook as load
    except ImportError:  # the loader is newer than these tests
        import yaml

        from pilotbook.playbook.model import Playbook

        return Playbook.model_validate(yaml.safe_load(PLAYBOOK_FILE.read_text("utf-8")))
    return load(PLAYBOOK_FILE)
