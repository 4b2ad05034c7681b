"""The content of the built-in playbooks: what the articles ask is asked, and the rules hold up.

These tests read the shipped YAML, so a question renamed in the playbook but
not in docs/playbook-coverage.md, or a gate that errors on half-filled
answers, fails here rather than in a workshop.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pilotbook.playbook.model import Playbook, Question
from pilotbook.rules.cel import compile_condition, referenced_answers, string_literals
from pilotbook.rules.playbooks import load_playbook

ROOT = Path(__file__).resolve().parents[2]
PLAYBOOKS = ROOT / "playbooks"
COVERAGE = ROOT / "docs" / "playbook-coverage.md"
PHASES = ("before", "during", "decision", "after")


def _load(name: str) -> Playbook:
    # Through the real loader: it also checks references, option ids and show_if cycles.
    return load_playbook(PLAYBOOKS / name)


AI = _load("ai-pilot.yaml")
HEALTH = _load("integration-health.yaml")
BOTH = pytest.mark.parametrize("pb", [AI, HEALTH], ids=["ai-pilot", "integration-health"])


def _conditions(pb: Playbook) -> list[tuple[str, str, Question | None]]:
    """Every condition in the playbook: (where, text, owning question for risk rules)."""
    out: list[tuple[str, str, Question | None]] = []
    for q in pb.questions():
        if q.show_if:
            out.append((f"{q.id} show_if", q.show_if, None))
        for i, rule in enumerate(q.risk):
            if rule.if_:
                out.append((f"{q.id} risk {i}", rule.if_, q))
    for gate in pb.verdict:
        out.append((f"gate {gate.id}", gate.if_, None))
    return out


# --------------------------------------------------------------- structure


def test_ai_pilot_identity_and_phases() -> None:
    assert AI.id == "ai-pilot"
    assert AI.version == 2
    assert tuple(p.id for p in AI.phases) == PHASES
    for phase in PHASES:
        assert AI.sections_in(phase), f"phase {phase} has no section"


@BOTH
def test_every_section_has_guide_and_timebox(pb: Playbook) -> None:
    for s in pb.sections:
        assert s.guide and s.guide.strip(), f"section {s.id} has no guide"
        assert s.timebox_seconds, f"section {s.id} has no timebox"


@BOTH
def test_every_question_says_why(pb: Playbook) -> None:
    missing = [q.id for q in pb.questions() if not (q.why and q.why.strip())]
    assert not missing, f"questions without a why: {missing}"
    # Shown beside the question in a workshop: a sentence or two, not an essay.
    long = [q.id for q in pb.questions() if q.why and len(q.why.strip()) > 250]
    assert not long, f"why longer than 250 characters: {long}"


@BOTH
def test_ids_are_unique(pb: Playbook) -> None:
    ids = [q.id for q in pb.questions()]
    assert len(ids) == len(set(ids))
    gates = [g.id for g in pb.verdict]
    assert len(gates) == len(set(gates))


def test_ai_pilot_uses_every_question_type() -> None:
    used = {q.type for q in AI.questions()}
    assert used == set(Question.model_fields["type"].annotation.__args__)


@BOTH
def test_every_condition_compiles_and_names_real_ids(pb: Playbook) -> None:
    ids = {q.id for q in pb.questions()}
    for where, text, _ in _conditions(pb):
        compile_condition(text)  # raises CelError on a syntax error
        unknown = set(referenced_answers(text)) - ids
        assert not unknown, f"{where} names unknown questions {unknown}"


@BOTH
def test_string_literals_in_conditions_are_real_ids(pb: Playbook) -> None:
    # Any quoted word in a condition is an option, item, column, status or question id:
    # a typo in an option id would make a gate silently never fire.
    known = {"pass", "fail", "unknown", ""}  # "" tests for a blank cell
    for q in pb.questions():
        known |= {q.id, *q.option_ids, *(i.id for i in q.items), *(c.id for c in q.columns)}
        for c in q.columns:
            known |= {o.id for o in c.options}
    for where, text, _ in _conditions(pb):
        stray = set(string_literals(text)) - known
        assert not stray, f"{where} compares with ids that do not exist: {stray}"


@BOTH
def test_gates_explain_themselves(pb: Playbook) -> None:
    ids = {q.id for q in pb.questions()}
    for gate in pb.verdict:
        assert gate.fix, f"gate {gate.id} has no fix"
        assert gate.questions, f"gate {gate.id} names no questions"
        assert set(gate.questions) <= ids, f"gate {gate.id} names unknown questions"


# --------------------------------------------------------------- what must be asked

REQUIRED_IDS = {
    "rollout_commitment": "choice",
    "rollout_budget": "money",
    "rollout_date": "date",
    "decision_derisked": "longtext",
    "then_plan": "longtext",
    "user_team": "text",
    "user_sponsor": "person",
    "user_involvement": "multichoice",
    "work_change": "longtext",
    "process_owner": "person",
    "owner_workflow": "person",
    "owner_governance": "person",
    "owner_production": "person",
    "owner_quality": "person",
    "owner_incidents": "person",
    "escalation_path": "list",
    "measurement_cadence": "choice",
    "baselines": "table",
    "kill_rule": "text",
    "lane_steps": "table",
    "systems_read": "list",
    "systems_written": "list",
    "system_of_record": "text",
    "conflict_rule": "longtext",
    "approved_data_destination": "text",
    "prototype_cost": "money",
    "integration_budget": "money",
    "connectors": "table",
    "integration_checks": "checklist",
    "decision_tiers": "table",
    "personal_data": "yesno",
    "data_destination": "choice",
    "access_control": "longtext",
    "audit_trail": "yesno",
    "eval_method": "choice",
    "vendor_change_process": "longtext",
    "runbooks": "checklist",
    "next_review": "date",
}


@pytest.mark.parametrize(("qid", "qtype"), sorted(REQUIRED_IDS.items()))
def test_core_question_exists(qid: str, qtype: str) -> None:
    assert AI.question(qid).type == qtype


def test_owners_and_go_no_go_inputs_are_required() -> None:
    for qid in (
        "rollout_commitment",
        "user_sponsor",
        "user_involvement",
        "owner_workflow",
        "owner_governance",
        "owner_production",
        "owner_quality",
        "owner_incidents",
        "escalation_path",
        "measurement_cadence",
        "baselines",
        "integration_budget",
        "integration_checks",
        "decision_tiers",
    ):
        assert AI.question(qid).required, qid


def test_integration_checklist_items() -> None:
    five = {
        "data_parity",
        "connector_resilience",
        "ownership_clarity",
        "exception_routing",
        "replayability",
    }
    for pb in (AI, HEALTH):
        assert {i.id for i in pb.question("integration_checks").items} == five


def test_baseline_table_columns_and_metrics() -> None:
    q = AI.question("baselines")
    cols = {c.id: c for c in q.columns}
    assert {"metric", "baseline", "unit", "target", "kill", "source"} <= set(cols)
    assert {"cycle_time", "error_rate", "rework_rate", "cost_per_unit"} <= {
        o.id for o in cols["metric"].options
    }
    assert cols["baseline"].type == cols["target"].type == cols["kill"].type == "number"


def test_lane_and_tier_tables() -> None:
    steps = {c.id: c for c in AI.question("lane_steps").columns}
    assert {o.id for o in steps["step"].options} == {
        "intake",
        "transformation",
        "approval",
        "handoff",
        "downstream_update",
    }
    assert {"owner", "done"} <= set(steps)
    tiers = {c.id: c for c in AI.question("decision_tiers").columns}
    assert {o.id for o in tiers["tier"].options} == {"auto", "human_confirms", "human_only"}


# --------------------------------------------------------------- coverage doc


def _coverage_rows() -> list[tuple[str, str, str]]:
    rows = []
    for line in COVERAGE.read_text("utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and line.lstrip().startswith("|") and not set(cells[0]) <= {"-", " "}:
            rows.append((cells[0], cells[1], cells[2]))
    return rows[1:]  # drop the header


def test_coverage_doc_names_only_real_questions() -> None:
    rows = _coverage_rows()
    assert len(rows) >= 80, "the coverage table looks truncated"
    for article, point, ref in rows:
        refs = re.findall(r"`([a-z][a-z0-9_]*)(?:\.([a-z][a-z0-9_]*))?`", ref)
        assert refs, f"no question id for {article}: {point}"
        for qid, part in refs:
            q = AI.question(qid)  # KeyError names the missing id
            if part:
                parts = {i.id for i in q.items} | set(q.option_ids) | {c.id for c in q.columns}
                assert part in parts, f"{qid}.{part} does not exist"


def test_coverage_doc_covers_every_article() -> None:
    articles = {a for a, _, _ in _coverage_rows()}
    assert len(articles) == 5


def test_every_integration_check_is_in_the_coverage_doc() -> None:
    text = COVERAGE.read_text("utf-8")
    for item in AI.question("integration_checks").items:
        assert f"`integration_checks.{item.id}`" in text


def _hard_stop_rows() -> list[list[str]]:
    text = COVERAGE.read_text("utf-8").split("## Hard stops", 1)[1].split("\n## ", 1)[0]
    rows = [
        [c.strip() for c in line.strip().strip("|").split("|")]
        for line in text.splitlines()
        if line.startswith("|")
    ]
    return [r for r in rows[2:] if len(r) == 5]  # past the header and its rule


def test_every_hard_stop_of_the_articles_is_a_gate_with_its_phase() -> None:
    gates = {g.id: g for g in AI.verdict}
    rows = _hard_stop_rows()
    assert len(rows) >= 20
    for article, rule, gate, result, phase in rows:
        gid = gate.strip("`")
        assert gid in gates, f"{article}: {rule}: no gate {gid}"
        g = gates[gid]
        assert (g.then, g.phase) == (result, phase), gid
    no_go = {g.id for g in AI.verdict if g.then == "no-go"}
    assert no_go == {r[2].strip("`") for r in rows}, "a no-go gate is missing from the table"
