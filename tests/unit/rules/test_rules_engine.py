"""The rules engine on a small playbook: risks, visibility, readiness, verdict, problems."""

from __future__ import annotations

from rules_fixtures import GOOD, activation, make_playbook

from pilotbook.rules import assess, condition
from pilotbook.rules.results import worse


def test_good_answers_give_go(small):
    a = assess(small, activation(GOOD))
    assert a.verdict == "go"
    assert a.reasons == ()
    assert a.problems == ()
    assert all(s.ready for s in a.sections)


def test_risk_first_matching_rule_wins(small):
    risks = {
        v: assess(small, activation({**GOOD, "commitment": v})).question_risks["commitment"]
        for v in ("yes", "maybe", "no")
    }
    assert risks["yes"].risk == "none"
    assert (risks["maybe"].risk, risks["maybe"].because) == ("medium", "undecided")
    assert (risks["no"].risk, risks["no"].because) == ("high", "no commitment")


def test_no_matching_rule_means_no_risk(small):
    a = assess(small, activation(GOOD))
    assert a.question_risks["budget"].risk == "none"
    assert a.question_risks["owner"].risk == "none"  # no rules at all


def test_unanswered_and_not_applicable(small):
    a = assess(small, activation({**GOOD, "owner": "  ", "systems": None}, na=["systems"]))
    assert a.question_risks["owner"].risk == "unanswered"
    assert a.question_risks["systems"].risk == "not-applicable"
    assert a.question_risks["notes"].risk == "unanswered"


def test_hidden_question_is_not_missing(small):
    a = assess(small, activation({**GOOD, "commitment": "maybe", "budget": None}))
    assert a.question_risks["budget"].risk == "hidden"
    assert "budget" not in a.missing
    assert a.section("commit").ready
    assert a.section("commit").required_total == 1


def test_hidden_answer_is_null_for_rules(small):
    # An old budget answer stays stored, but once hidden no gate may read it.
    a = assess(small, activation({**GOOD, "commitment": "maybe", "budget": 10}))
    assert a.question_risks["budget"].risk == "hidden"
    assert "small_budget" not in [r.gate for r in a.reasons]


def test_missing_required_answers_make_not_ready_and_name_them(small):
    a = assess(small, activation({**GOOD, "budget": None, "owner": None}))
    assert a.verdict == "not-ready"
    first = a.reasons[0]
    assert first.gate == "missing-answers"
    assert first.questions == ("budget", "owner")
    assert "2 required answers are missing" in first.because
    assert first.fix
    assert a.missing == ("budget", "owner")
    assert not a.section("commit").ready and a.section("commit").missing == ("budget",)
    assert a.section("owners").required_answered == 0


def test_not_applicable_counts_as_present_for_readiness(small):
    a = assess(small, activation({**GOOD, "owner": None}, na=["owner"]))
    assert a.ready
    assert a.section("owners").required_answered == 1


def test_counts_per_section_and_pilot(small):
    a = assess(small, activation({**GOOD, "commitment": "no", "owner": None}))
    commit = a.section("commit").counts
    assert commit["high"] == 1 and commit["hidden"] == 1 and commit["unanswered"] == 1
    assert sum(commit.values()) == 3
    assert a.counts["high"] == 1
    assert a.counts["unanswered"] == 2
    assert sum(a.counts.values()) == len(small.questions())


def test_gate_fires_with_reason_and_fix(small):
    a = assess(small, activation({**GOOD, "commitment": "no", "budget": None}))
    assert a.verdict == "no-go"
    (r,) = a.reasons
    assert (r.gate, r.result, r.because, r.fix) == (
        "no_commitment",
        "no-go",
        "Nobody committed.",
        "Get a commitment.",
    )
    assert r.questions == ("commitment",)
    assert a.blocking == (r,)


def test_worst_gate_stands_and_all_reasons_are_listed(small):
    answers = {**GOOD, "budget": 100, "systems": [{"name": "ERP", "cost": 9999}]}
    a = assess(small, activation(answers))
    assert a.verdict == "conditional"
    assert [r.gate for r in a.reasons] == ["small_budget", "pricey_system"]
    assert len(a.conditions) == 2
    # not-ready beats any gate
    a = assess(small, activation({**answers, "owner": None}))
    assert a.verdict == "not-ready"
    assert [r.gate for r in a.reasons] == ["missing-answers", "small_budget", "pricey_system"]


def test_integers_reach_cel_as_doubles(small):
    a = assess(small, activation({**GOOD, "budget": 999}))
    assert a.question_risks["budget"].risk == "high"


def test_failing_risk_rule_is_a_problem_not_a_crash(small):
    # A half-filled table: a row without a cost.
    a = assess(small, activation({**GOOD, "systems": [{"name": "CRM", "cost": None}]}))
    risk = a.question_risks["systems"]
    assert risk.risk == "medium"
    [p] = [p for p in a.problems if p.kind == "risk"]
    assert p.where == "systems" and "r.cost" in p.expression
    assert "systems" in str(p)


def test_failing_gate_is_a_problem_and_caps_at_conditional(small):
    pb = make_playbook(
        verdict=[
            {
                "id": "bad_gate",
                "if": "answers.systems.exists(r, r.cost > 1.0)",
                "then": "no-go",
                "because": "Costs.",
            }
        ]
    )
    a = assess(pb, activation({**GOOD, "systems": [{"name": "CRM", "cost": None}]}))
    assert a.verdict == "conditional"  # never a go, never a false no-go
    [r] = a.reasons
    assert r.problem and r.gate == "bad_gate" and r.questions == ("systems",)
    assert [p.where for p in a.problems if p.kind == "gate"] == ["bad_gate"]


def test_gate_on_unanswered_question_waits_instead_of_failing(small):
    pb = make_playbook(
        verdict=[{"id": "g", "if": "answers.notes > 3.0", "then": "no-go", "because": "x"}]
    )
    a = assess(pb, activation(GOOD))  # notes unanswered (and not required)
    assert a.verdict == "not-ready"
    assert a.reasons[0].questions == ("notes",) and not a.reasons[0].problem
    assert a.problems == ()


def test_gate_returning_non_bool_is_a_problem(small):
    pb = make_playbook(verdict=[{"id": "g", "if": '"text"', "then": "no-go", "because": "x"}])
    a = assess(pb, activation(GOOD))
    assert a.verdict == "conditional" and a.problems[0].kind == "gate"


def test_broken_show_if_keeps_question_shown(small):
    sections = [dict(s) for s in make_playbook().model_dump(by_alias=True)["sections"]]
    sections[0]["questions"][1]["show_if"] = "answers.commitment > 2.0"
    pb = make_playbook(sections=sections)
    a = assess(pb, activation({**GOOD, "budget": None}))
    assert a.question_risks["budget"].risk == "unanswered"
    assert "budget" in a.missing
    assert [p.kind for p in a.problems] == ["show_if"]


def test_extra_and_retired_answers_are_ignored(small):
    a = assess(small, activation({**GOOD, "retired_q": "x"}, na=["retired_q"]))
    assert a.verdict == "go" and "retired_q" not in a.question_risks


def test_conditions_are_compiled_once():
    assert condition("1 == 1") is condition("1 == 1")


def test_worse_orders_verdicts():
    assert worse("go", "conditional") == "conditional"
    assert worse("no-go", "not-ready") == "no-go"  # a hard stop is never hidden
    assert worse("conditional", "no-go") == "no-go"


def test_to_json_is_plain(small):
    import json

    a = assess(small, activation({**GOOD, "commitment": "no", "owner": None}))
    data = json.loads(json.dumps(a.to_json()))
    assert data["verdict"] == "no-go" and data["label"] == "No-go — and 1 answer still missing"
    assert data["missing"] == ["owner"]
    assert {s["id"]: s["ready"] for s in data["sections"]} == {"commit": True, "owners": False}
