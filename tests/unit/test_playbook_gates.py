"""The built-in playbooks' rules at run time: they never error, and they say what the articles say.

A gate that errors on half-filled answers counts as a playbook problem in a
workshop, so random partial answers must never produce one; and each rule
the articles state (no commitment, no sponsor, two failing integration
checks, ...) must move the verdict the way the articles say.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from pilotbook.playbook.model import Playbook, Question
from pilotbook.rules.engine import assess
from pilotbook.rules.playbooks import load_playbook

PLAYBOOKS = Path(__file__).resolve().parents[2] / "playbooks"


def _load(name: str) -> Playbook:
    # Through the real loader: it also checks references, option ids and show_if cycles.
    return load_playbook(PLAYBOOKS / name)


AI = _load("ai-pilot.yaml")
HEALTH = _load("integration-health.yaml")
BOTH = pytest.mark.parametrize("pb", [AI, HEALTH], ids=["ai-pilot", "integration-health"])

# --------------------------------------------------------------- rules at run time


def _sample(q: Question, rng: random.Random) -> Any:
    """A value of the right shape, often a partial or empty one, as a workshop may hold."""
    if rng.random() < 0.25:
        return None
    t = q.type
    if t in ("text", "longtext", "person"):
        return rng.choice(["", "Ana (ops lead)", "x"])
    if t == "date":
        return rng.choice(["2026-01-15", "2027-06-30"])
    if t == "choice":
        return rng.choice(q.option_ids)
    if t == "multichoice":
        return rng.sample(q.option_ids, rng.randint(0, len(q.option_ids)))
    if t == "yesno":
        return rng.choice([True, False])
    if t in ("number", "money", "percent"):
        return rng.choice([0, 1, 2.5, 40, 100, 12000.0])
    if t == "list":
        return rng.sample(["a", "b", "c"], rng.randint(0, 3))
    if t == "table":
        rows = []
        for _ in range(rng.randint(0, 4)):
            row: dict[str, Any] = {}
            for c in q.columns:
                if rng.random() < 0.3:
                    continue  # a cell left out
                if c.type == "choice":
                    row[c.id] = rng.choice([o.id for o in c.options])
                elif c.type in ("number", "money", "percent"):
                    row[c.id] = rng.choice([0, 3, 7.5, None])
                elif c.type == "yesno":
                    row[c.id] = rng.choice([True, False])
                else:
                    row[c.id] = rng.choice(["", "x", None])
            rows.append(row)
        return rows
    if t == "checklist":
        return {
            i.id: rng.choice(["pass", "fail", "unknown"]) for i in q.items if rng.random() < 0.8
        }
    raise AssertionError(f"no sample for {t}")


def _scenario(pb: Playbook, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    answers = {q.id: _sample(q, rng) for q in pb.questions()}
    na = [q.id for q in pb.questions() if rng.random() < 0.05]
    return {"answers": answers, "na": na}


@BOTH
@pytest.mark.parametrize("seed", range(12))
def test_rules_never_error_on_partial_answers(pb: Playbook, seed: int) -> None:
    result = assess(pb, _scenario(pb, seed))
    assert not result.problems, result.problems


@BOTH
def test_rules_never_error_when_empty_or_all_not_applicable(pb: Playbook) -> None:
    assert assess(pb, {"answers": {}, "na": []}).verdict == "not-ready"
    everything_na = assess(pb, {"answers": {}, "na": [q.id for q in pb.questions()]})
    assert not everything_na.problems
    assert everything_na.verdict == "no-go"  # not-applicable owners are no owners


# --------------------------------------------------------------- the articles' rules

ALL_PASS = dict.fromkeys(
    (
        "data_parity",
        "connector_resilience",
        "ownership_clarity",
        "exception_routing",
        "replayability",
    ),
    "pass",
)


def _ready_pilot() -> dict[str, Any]:
    """Answers a well-prepared team would give: every gate should stay quiet."""
    people = "Ana (ops lead)"
    a: dict[str, Any] = {q.id: None for q in AI.questions()}
    a.update(
        rollout_commitment="committed",
        rollout_budget=250000,
        rollout_date="2027-03-01",
        pilot_purpose="derisk",
        decision_derisked="Move claims triage to the new intake",
        then_plan="Claims team adopts it, CRM connector built, Ana owns it",
        then_plan_covers=dict.fromkeys(
            ("adopting_team", "integration_built", "owner_named", "after_demo_plan"), "pass"
        ),
        user_team="Claims",
        user_sponsor=people,
        sponsor_owns_adoption=True,
        user_involvement=["design", "testing", "good_output"],
        work_change="Triage moves from inbox to queue",
        process_owner=people,
        placement="in_workflow",
        lane_name="Claims intake",
        lane_only=True,
        lane_steps=[
            {"step": s, "owner": people}
            for s in ("intake", "transformation", "approval", "handoff", "downstream_update")
        ],
        systems_read=["CRM"],
        systems_written=["CRM"],
        system_of_record="CRM",
        conflict_rule="CRM wins",
        approved_data_destination="CRM case record",
        single_final_version=True,
        prototype_cost=20000,
        integration_budget=80000,
        budget_scope="full",
        decision_tiers=[
            {"decision": "summarise", "risk": "low", "tier": "auto"},
            {"decision": "route", "risk": "medium", "tier": "human_confirms"},
            {"decision": "approve payout", "risk": "high", "tier": "human_only"},
        ],
        audit_trail=True,
        personal_data=True,
        data_destination="governed_gateway",
        pii_controls=["stripped_at_boundary"],
        access_model="named_roles",
        access_control="Claims staff only",
        owner_alerts=people,
        exception_queue="Claims exceptions queue",
        exception_sla=4,
        replay_minutes=5,
        api_change_alerts=True,
        evidence_kind="data",
        baselines=[
            {"metric": m, "baseline": 10, "target": 5, "kill": 12}
            for m in ("cycle_time", "error_rate", "rework_rate", "cost_per_unit")
        ],
        kill_rule="Stop if cycle time rises above 12 hours",
        messy_inputs="validated",
        hand_filtering=False,
        eval_method="harness",
        accuracy_target=90,
        accuracy_measured=94,
        integration_checks=ALL_PASS,
        kill_hit=False,
        engineering_signoff=True,
        expansion_plan="same_lane",
        runbooks={i.id: "pass" for i in AI.question("runbooks").items},
        vendor_change_process="Staged in the lane first",
        next_review="2027-04-01",
        escalation_path=["Ana", "Ben", "COO"],
        measurement_cadence="weekly",
        **{f"owner_{r}": people for r in ("workflow", "governance", "production", "quality")},
        owner_incidents=people,
    )
    return {"answers": a, "na": []}


def _verdict(changes: dict[str, Any], na: tuple[str, ...] = ()) -> tuple[str, set[str]]:
    act = _ready_pilot()
    act["answers"].update(changes)
    act["na"] = list(na)
    result = assess(AI, act)
    assert not result.problems
    return result.verdict, {r.gate for r in result.reasons}


def test_a_prepared_pilot_is_a_go() -> None:
    result = assess(AI, _ready_pilot())
    assert [r.because for r in result.reasons] == []
    assert result.verdict == "go"


@pytest.mark.parametrize(
    ("changes", "na", "verdict", "gate"),
    [
        ({"rollout_commitment": "exploring"}, (), "no-go", "no_commitment"),
        ({"rollout_commitment": "partial"}, (), "conditional", "commitment_open"),
        ({"rollout_budget": 0}, (), "no-go", "no_commitment"),
        ({"sponsor_owns_adoption": False}, (), "no-go", "no_user_sponsor"),
        ({"user_sponsor": None}, ("user_sponsor",), "no-go", "no_user_sponsor"),
        ({"user_involvement": ["consulted"]}, (), "no-go", "users_not_involved"),
        ({"user_involvement": ["testing"]}, (), "conditional", "users_partly_involved"),
        ({"owner_quality": None}, ("owner_quality",), "no-go", "no_owner"),
        ({"escalation_path": []}, (), "no-go", "escalation_empty"),
        ({"baselines": None}, ("baselines",), "no-go", "no_baselines"),
        (
            {"baselines": [{"metric": "cycle_time", "baseline": 6.2}]},
            (),
            "conditional",
            "baselines_incomplete",
        ),
        ({"kill_hit": True}, (), "no-go", "kill_threshold_crossed"),
        ({"integration_budget": 50000}, (), "conditional", "integration_under_3x"),
        ({"budget_scope": "model_only"}, (), "no-go", "integration_unbudgeted"),
        (
            {"integration_checks": {**ALL_PASS, "data_parity": "fail"}},
            (),
            "conditional",
            "health_not_clear",
        ),
        (
            {"integration_checks": {**ALL_PASS, "data_parity": "fail", "replayability": "fail"}},
            (),
            "no-go",
            "health_two_failing",
        ),
        (
            {"decision_tiers": [{"decision": "approve spend", "risk": "high", "tier": "auto"}]},
            (),
            "no-go",
            "high_risk_automated",
        ),
        (
            {"decision_tiers": [{"decision": "route", "risk": "medium", "tier": "auto"}]},
            (),
            "conditional",
            "medium_risk_unconfirmed",
        ),
        (
            {"data_destination": "public_api", "pii_controls": ["contract"]},
            (),
            "no-go",
            "pii_to_public_api",
        ),
        ({"audit_trail": False}, (), "no-go", "no_audit_or_access"),
        ({"eval_method": "none"}, (), "no-go", "no_evals"),
        ({"accuracy_measured": 80}, (), "conditional", "evals_weak"),
        ({"placement": "side_tool"}, (), "conditional", "side_tool"),
        ({"lane_only": False}, (), "conditional", "more_than_one_lane"),
        ({"single_final_version": False}, (), "no-go", "no_source_of_truth"),
        ({"messy_inputs": "clean_only"}, (), "conditional", "messy_inputs_untested"),
        ({"runbooks": {"rollback": "fail"}}, (), "conditional", "runbooks_missing"),
    ],
)
def test_articles_rules_as_gates(
    changes: dict[str, Any], na: tuple[str, ...], verdict: str, gate: str
) -> None:
    got, gates = _verdict(changes, na)
    assert gate in gates
    assert got == verdict


def test_integration_health_pauses_expansion_on_two_fails() -> None:
    answers = {
        "current_lane": "Claims intake",
        "target_lane": "Claims appeals",
        "handoff_owners": [{"step": "intake", "owner": "Ana"}],
        "incident_owner": "Ben",
        "system_of_record": "CRM",
        "exception_queue": "Low-confidence queue",
        "integration_checks": ALL_PASS,
    }
    assert assess(HEALTH, {"answers": answers, "na": []}).verdict == "go"
    one = {**ALL_PASS, "replayability": "unknown"}
    assert assess(HEALTH, {"answers": {**answers, "integration_checks": one}}).verdict == (
        "conditional"
    )
    two = {**ALL_PASS, "data_parity": "fail", "exception_routing": "fail"}
    result = assess(HEALTH, {"answers": {**answers, "integration_checks": two}, "na": []})
    assert result.verdict == "no-go"
    assert "pause_expansion" in {r.gate for r in result.reasons}
