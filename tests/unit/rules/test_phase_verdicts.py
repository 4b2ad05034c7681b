"""Each phase decides its own question, a hard stop is never hidden under "not
ready", and a risk nobody has dealt with holds the verdict back."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from ai_pilot_answers import good_answers, load_playbook

from pilotbook.rules import assess
from pilotbook.rules.playbooks import load_text
from pilotbook.rules.results import Acceptance

PB = load_playbook()
TODAY = dt.date(2026, 6, 1)


def _act(changes: dict[str, Any], keep_only_phase: str | None = None) -> dict[str, Any]:
    answers = good_answers()
    if keep_only_phase is not None:
        wanted = {q.id for s in PB.sections if s.phase == keep_only_phase for q in s.questions}
        answers = {k: v for k, v in answers.items() if k in wanted}
    answers.update(changes)
    return {"answers": answers, "na": []}


def test_every_phase_says_the_question_it_decides() -> None:
    for phase in PB.phases:
        a = assess(PB, _act({}), phase=phase.id)
        assert a.phase == phase.id and a.decides and a.decides.endswith("?")
        assert a.verdict == "go"


def test_no_commitment_before_the_pilot_is_a_no_go_not_a_list_of_later_questions() -> None:
    """Only the first phase is answered, and nobody committed: stop before starting."""
    a = assess(
        PB, _act({"rollout_commitment": "exploring"}, keep_only_phase="before"), phase="before"
    )
    assert a.verdict == "no-go"
    assert a.missing == ()  # later phases' questions are not asked of a pilot not yet started
    [reason] = [r for r in a.reasons if r.result == "no-go"]
    assert reason.gate == "no_commitment" and "budget" in (reason.fix or "")


def test_a_hard_stop_shows_even_while_answers_are_missing() -> None:
    a = assess(PB, _act({"rollout_commitment": "exploring", "owner_quality": None}), phase="before")
    assert a.verdict == "no-go"
    assert a.label == "No-go — and 1 answer still missing"
    assert [r.result for r in a.reasons][:2] == ["no-go", "not-ready"]


def test_later_phases_do_not_count_before_the_pilot() -> None:
    a = assess(PB, _act({"engineering_signoff": False, "kill_hit": True}), phase="before")
    assert a.verdict == "go"
    assert {s.phase for s in a.scoped_sections} == {"before"}
    later = assess(PB, _act({"engineering_signoff": False}), phase="decision")
    assert later.verdict == "no-go"
    assert "no_engineering_signoff" in [r.gate for r in later.reasons]


def test_missing_answers_of_a_later_phase_do_not_make_an_earlier_phase_not_ready() -> None:
    a = assess(PB, _act({"runbooks": None}), phase="decision")
    assert a.verdict == "go"
    assert assess(PB, _act({"runbooks": None}), phase="after").verdict == "not-ready"


# --------------------------------------------------------------- risk reaches the verdict


def test_a_high_risk_caps_the_verdict_at_conditional() -> None:
    a = assess(PB, _act({"security_review": "not_planned"}), phase="before", today=TODAY)
    assert a.verdict == "conditional"
    [r] = a.reasons
    assert (r.gate, r.kind, r.questions) == ("risk-security_review", "risk", ("security_review",))
    assert "accept the risk" in (r.fix or "")


def test_an_accepted_risk_no_longer_holds_the_verdict_until_it_expires() -> None:
    acc = Acceptance("security_review", "Lena", "Review booked", dt.date(2026, 7, 1))
    act = _act({"security_review": "not_planned"})
    a = assess(PB, act, phase="before", accepted=[acc], today=TODAY)
    assert a.verdict == "go" and a.accepted == (acc,)
    late = assess(PB, act, phase="before", accepted=[acc], today=dt.date(2026, 7, 2))
    assert late.verdict == "conditional" and late.accepted == ()
    assert "has passed" in late.reasons[0].because


def test_a_risk_a_gate_already_reports_is_not_said_twice() -> None:
    a = assess(PB, _act({"rollout_commitment": "exploring"}), phase="before")
    assert [r.gate for r in a.reasons] == ["no_commitment"]


SMALL = """
id: small
version: 1
title: Small
phases: [{id: one, title: One, decides: May it start?}]
sections:
  - id: s
    phase: one
    title: S
    questions:
      - id: access
        ask: Who can reach it?
        type: choice
        options: {roles: Named roles, link: Anyone with the link, team: The team}
        risk:
          - {if: 'answer == "link"', then: high, verdict: no-go, because: Anyone can reach it.}
          - {if: 'answer == "team"', then: medium, verdict: conditional}
          - {then: none}
"""


@pytest.mark.parametrize(
    ("value", "verdict"), [("roles", "go"), ("team", "conditional"), ("link", "no-go")]
)
def test_a_playbook_can_make_a_risk_a_hard_stop(value: str, verdict: str) -> None:
    book = load_text(SMALL)
    acc = Acceptance("access", "Lena", "We know", dt.date(2030, 1, 1))
    a = assess(book, {"answers": {"access": value}, "na": []}, accepted=[acc], today=TODAY)
    # A hard stop stays whatever was accepted; a lesser cap is covered by the acceptance.
    assert a.verdict == ("no-go" if value == "link" else "go")
    plain = assess(book, {"answers": {"access": value}, "na": []}, today=TODAY)
    assert plain.verdict == verdict


def test_a_gate_names_its_phase_or_a_validate_error_says_where() -> None:
    from pilotbook.playbook.errors import PlaybookError

    bad = SMALL + "verdict:\n  - {id: g, phase: tow, if: 'true', then: no-go, because: x}\n"
    with pytest.raises(PlaybookError) as e:
        load_text(bad, "small.yaml")
    assert "phase `tow`" in str(e.value) and "small.yaml:" in str(e.value)


@pytest.mark.parametrize("nobody", ["TBD", "nobody yet", "n/a", "?"])
def test_an_owner_who_is_nobody_is_no_answer(nobody: str) -> None:
    """Old or loaded data may hold a placeholder: the rules treat it as missing."""
    a = assess(PB, _act({"owner_quality": nobody}), phase="before")
    assert "owner_quality" in a.missing and a.verdict == "not-ready"
