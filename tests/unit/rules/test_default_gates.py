"""Every gate of the default playbook, one by one.

Start from a fully answered pilot that passes every gate, break one thing,
and check that the gate fires with its own result, names its questions and
says what would change it; then check a near miss that must leave it quiet.
A new gate without a case here fails `test_every_gate_has_a_case`.
"""

from __future__ import annotations

from typing import Any

import pytest
from ai_pilot_answers import good_answers, load_playbook

from pilotbook.rules import VERDICTS, assess

PB = load_playbook()
GATES = {g.id: g for g in PB.verdict}
PASS5 = {
    k: "pass"
    for k in (
        "data_parity",
        "connector_resilience",
        "ownership_clarity",
        "exception_routing",
        "replayability",
    )
}


def _rows(question: str, **cells: Any) -> list[dict[str, Any]]:
    rows = good_answers()[question]
    return [{**r, **cells} if i == 0 else r for i, r in enumerate(rows)]


# gate id -> (answers changed, questions marked not applicable)
BREAK: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {
    "no_commitment": ({"rollout_commitment": "exploring"}, ()),
    "commitment_open": ({"rollout_commitment": "partial"}, ()),
    "then_plan_gaps": (
        {"then_plan_covers": {**good_answers()["then_plan_covers"], "owner_named": "unknown"}},
        (),
    ),
    "no_user_sponsor": ({"sponsor_owns_adoption": False}, ()),
    "users_not_involved": ({"user_involvement": ["consulted"]}, ()),
    "users_partly_involved": ({"user_involvement": ["design", "testing"]}, ()),
    "no_work_change": ({"work_change": None}, ("work_change",)),
    "side_tool": ({"placement": "side_tool"}, ()),
    "no_owner": ({"owner_incidents": None}, ("owner_incidents",)),
    "escalation_empty": ({"escalation_path": []}, ()),
    "no_baselines": ({"kill_rule": None}, ("kill_rule",)),
    "baselines_incomplete": ({"baselines": _rows("baselines", kill=None)}, ()),
    "kill_threshold_crossed": ({"kill_hit": True, "kill_hit_detail": "Error rate 15%"}, ()),
    "no_evidence": ({"evidence_kind": "anecdotes"}, ()),
    "scorecard_killed": ({"scorecard": [{"metric": "Error rate", "status": "killed"}]}, ()),
    "no_source_of_truth": ({"single_final_version": False}, ()),
    "more_than_one_lane": ({"expansion_plan": "new_lanes"}, ()),
    "lane_not_mapped": ({"lane_steps": _rows("lane_steps", owner="")}, ()),
    "integration_unbudgeted": ({"budget_scope": "model_only"}, ()),
    "integration_under_3x": ({"integration_budget": 100000.0}, ()),
    "health_two_failing": (
        {"integration_checks": {**PASS5, "data_parity": "fail", "replayability": "fail"}},
        (),
    ),
    "health_not_clear": ({"integration_checks": {**PASS5, "replayability": "unknown"}}, ()),
    "messy_inputs_untested": ({"hand_filtering": True}, ()),
    "no_risk_tiers": ({"decision_tiers": None}, ("decision_tiers",)),
    "high_risk_automated": (
        {"decision_tiers": _rows("decision_tiers", risk="high", tier="human_confirms")},
        (),
    ),
    "consequential_automated": (
        {"decision_tiers": _rows("decision_tiers", risk="low", does="approve_spend")},
        (),
    ),
    "medium_risk_unconfirmed": ({"decision_tiers": _rows("decision_tiers", risk="medium")}, ()),
    "pii_unprotected": ({"pii_controls": ["none"]}, ()),
    "open_access": ({"access_model": "anyone_with_link"}, ()),
    "pii_to_public_api": (
        {"data_destination": "public_api", "pii_controls": ["contract", "retention"]},
        (),
    ),
    "no_audit_or_access": ({"access_control": None}, ("access_control",)),
    "no_evals": ({"eval_method": "none"}, ()),
    "evals_weak": ({"accuracy_measured": 85.0}, ()),
    "no_engineering_signoff": ({"engineering_signoff": False}, ()),
    "runbooks_missing": (
        {"runbooks": {**good_answers()["runbooks"], "vendor_change": "fail"}},
        (),
    ),
    "no_vendor_change_process": ({"vendor_change_process": None}, ("vendor_change_process",)),
    "owners_moved_on": ({"owners_confirmed": False}, ()),
}

# gate id -> answers close to the line that must NOT trip it
NEAR_MISS: dict[str, dict[str, Any]] = {
    "commitment_open": {"rollout_commitment": "committed"},
    "users_partly_involved": {
        "user_involvement": ["design", "testing", "good_output", "consulted"]
    },
    "integration_under_3x": {"integration_budget": 120000.0},  # exactly 3x
    "health_two_failing": {"integration_checks": {**PASS5, "data_parity": "fail"}},
    "pii_to_public_api": {"data_destination": "public_api"},  # stripped at the boundary
    "high_risk_automated": {
        "decision_tiers": _rows("decision_tiers", risk="high", tier="human_only")
    },
    "medium_risk_unconfirmed": {"decision_tiers": _rows("decision_tiers", tier="human_confirms")},
    "evals_weak": {"accuracy_measured": 90.0},  # meets the target
    "no_user_sponsor": {"sponsor_owns_adoption": True, "user_sponsor": "Someone else"},
    "escalation_empty": {"escalation_path": ["Only one person"]},
    "runbooks_missing": {"runbooks": {**good_answers()["runbooks"], "rollback": "unknown"}},
    "kill_threshold_crossed": {"kill_hit": False},
    "no_commitment": {"rollout_commitment": "partial", "rollout_budget": 1.0},
    "then_plan_gaps": {"then_plan_covers": good_answers()["then_plan_covers"]},
    "no_work_change": {"work_change": "Triage moves to the queue", "process_owner": "Dana"},
    "side_tool": {"placement": "in_workflow", "expansion_plan": "same_lane"},
    "no_owner": {"owner_incidents": "Ivo (platform)"},
    "no_baselines": {"baselines": _rows("baselines")},
    "baselines_incomplete": {"baselines": _rows("baselines", kill=12.0)},
    "no_evidence": {"evidence_kind": "mixed"},
    "scorecard_killed": {"scorecard": [{"metric": "Error rate", "status": "at_risk"}]},
    "no_source_of_truth": {"single_final_version": True},
    "more_than_one_lane": {"lane_only": True, "expansion_plan": "same_lane"},
    "lane_not_mapped": {"lane_steps": _rows("lane_steps", owner="Dana")},
    "integration_unbudgeted": {"budget_scope": "with_integration"},
    "health_not_clear": {"integration_checks": PASS5, "replay_minutes": 60.0},
    "messy_inputs_untested": {"messy_inputs": "partly", "hand_filtering": False},
    "no_risk_tiers": {"decision_tiers": _rows("decision_tiers")},
    "consequential_automated": {
        "decision_tiers": _rows("decision_tiers", does="approve_spend", tier="human_only")
    },
    "pii_unprotected": {"pii_controls": ["contract", "access_limited"]},
    "open_access": {"access_model": "whole_team"},
    "no_audit_or_access": {"audit_trail": True},
    "no_evals": {"eval_method": "spot_checks"},
    "no_engineering_signoff": {"engineering_signoff": True},
    "no_vendor_change_process": {"vendor_change_process": "Staged in the lane first"},
    "owners_moved_on": {"owners_confirmed": True},
    "users_not_involved": {"user_involvement": ["testing"]},
}


def _assess(changes: dict[str, Any], na: tuple[str, ...] = ()) -> Any:
    answers = good_answers()
    answers.update(changes)
    return assess(PB, {"answers": answers, "na": list(na)})


def test_every_gate_has_a_case() -> None:
    assert set(BREAK) == set(GATES)
    assert set(NEAR_MISS) == set(GATES)


def test_good_answers_pass_every_gate() -> None:
    result = _assess({})
    assert result.verdict == "go", [r.because for r in result.reasons]
    assert result.problems == ()


@pytest.mark.parametrize("gate_id", list(BREAK))
def test_gate_fires_when_broken(gate_id: str) -> None:
    changes, na = BREAK[gate_id]
    result = _assess(changes, na)
    gate = GATES[gate_id]
    fired = [r for r in result.reasons if r.gate == gate_id]
    assert fired, f"{gate_id} did not fire; reasons: {[r.gate for r in result.reasons]}"
    reason = fired[0]
    assert reason.result == gate.then
    assert reason.because == gate.because
    assert reason.fix == gate.fix and reason.fix
    assert reason.questions and set(reason.questions) <= {q.id for q in PB.questions()}
    assert not reason.problem and result.problems == ()
    # The verdict is this gate's result or worse, never better.
    assert VERDICTS.index(result.verdict) <= VERDICTS.index(gate.then)


@pytest.mark.parametrize("gate_id", list(NEAR_MISS))
def test_gate_stays_quiet_on_a_near_miss(gate_id: str) -> None:
    result = _assess(NEAR_MISS[gate_id])
    assert gate_id not in [r.gate for r in result.reasons]
    assert result.problems == ()


def test_typed_facts_fail_a_check_marked_pass() -> None:
    """Replay in hours and a quiet API failure count as failed checks, whatever the marks say."""
    result = _assess(
        {"integration_checks": PASS5, "replay_minutes": 180.0, "api_change_alerts": False}
    )
    assert "health_two_failing" in [r.gate for r in result.reasons]
    assert result.verdict == "no-go"


def test_a_gate_counts_from_its_phase_on() -> None:
    """A during-phase gate does not decide whether the pilot may start, but counts after."""
    answers = good_answers()
    answers["kill_hit"] = True
    act = {"answers": answers, "na": []}
    assert "kill_threshold_crossed" not in [r.gate for r in assess(PB, act, phase="before").reasons]
    for phase in ("during", "decision", "after"):
        assert assess(PB, act, phase=phase).verdict == "no-go"
