"""The brief and the charter: their content, their structure under hostile
answers, their HTML, and the lint the Markdown must pass."""

from __future__ import annotations

import re

import pytest
from ai_pilot_answers import good_answers, load_playbook
from export_helpers import (
    HOSTILE,
    export,
    headings,
    hostile_answers,
    hostile_value,
    inline_kinds,
    lint,
    structure,
)

PB = load_playbook()
KINDS = ("brief", "charter")


@pytest.fixture(scope="module")
def plain() -> dict[str, str]:
    return {k: export(k, PB, good_answers()) for k in KINDS}


@pytest.fixture(scope="module")
def hostile() -> dict[str, str]:
    answers = hostile_answers(PB, good_answers())
    return {k: export(k, PB, answers, name=HOSTILE, text=HOSTILE) for k in KINDS}


@pytest.mark.parametrize("kind", KINDS)
def test_hostile_answers_keep_the_structure(kind, plain, hostile) -> None:
    assert HOSTILE.splitlines()[0] != ""  # the payload really is there
    assert structure(hostile[kind]) == structure(plain[kind])
    assert len(headings(hostile[kind])) == len(headings(plain[kind]))
    # Nothing an answer says turns into emphasis, a link, an image, code or HTML.
    assert inline_kinds(hostile[kind]) <= inline_kinds(plain[kind]) | {"text", "hardbreak"}


@pytest.mark.parametrize("kind", KINDS)
def test_exports_pass_the_markdown_lint(kind, plain) -> None:
    assert lint(plain[kind]) == []


def test_hostile_exports_pass_the_markdown_lint(hostile) -> None:
    # The linter takes seconds on a long brief, so the brief gets a shorter
    # payload with the same tricks; the charter gets the full one.
    short = "# x | a | b | <b>x</b> [l](http://x.test) **b** ```\n- item\n1. one\n> q"
    answers = {q.id: hostile_value(q, v, short) for q, v in _pairs(good_answers())}
    assert lint(export("brief", PB, answers, name=short, text=short)) == []
    assert lint(hostile["charter"]) == []


def _pairs(answers):
    return [(q, answers.get(q.id)) for q in PB.questions()]


@pytest.mark.parametrize("kind", KINDS)
def test_html_passes_no_tag_from_answers(kind) -> None:
    answers = hostile_answers(PB, good_answers())
    html = export(kind, PB, answers, name=HOSTILE, text=HOSTILE, fmt="html")
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html and "@media print" in html
    # The only links are the brief's contents, to its own sections.
    own = re.sub(r'<a href="#[a-z0-9-]+">', "", html)
    for raw in ("<script", "<b>", "<!--", "<a ", "<img", "\x1b"):
        assert raw not in own.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    head = html.split("<body>")[0]
    assert "<link" not in head and "src=" not in html and "@import" not in html  # self-contained


def test_brief_has_what_the_sponsor_needs(plain) -> None:
    brief = plain["brief"]
    found = headings(brief)
    assert found[0] == "Go/no-go brief: Claims triage"
    assert found[1] == "Summary" and found[2] == "Contents"
    for heading in (
        "Reasons in full",
        "Commitment",
        "The people whose work changes",
        "Owners",
        "Baselines, targets and kill criteria",
        "Integration map and budget check",
        "Risk tiers and governance",
        "Risk and readiness by section",
        "Open actions",
        "Decision and sign-offs",
        "All answers",
    ):
        assert heading in found
    assert "| Plain words | Plain words | 2026-12-01 |" in brief
    assert "Closed one" not in brief  # only open actions are listed
    assert "Budget check: the integration budget is 4.0 times the prototype cost" in brief
    assert "within the three to five times" in brief
    assert "Decision recorded: **Go with conditions**, by Plain words, on 2026-11-20." in brief
    # Every answered question is in the appendix.
    appendix = brief.split("## All answers")[1]
    for q in PB.questions():
        if good_answers()[q.id] not in (None, []):
            assert q.ask.split("?")[0][:40].replace("*", "") in appendix.replace("\\", ""), q.id


def test_charter_has_owners_diagrams_and_reviews(plain) -> None:
    charter = plain["charter"]
    found = headings(charter)
    for heading in (
        "Decision",
        "Who owns what after launch",
        "Escalation path",
        "Review cadence",
        "Scorecard and kill criteria",
        "The workflow lane",
        "Handover",
        "Change management for vendor and API changes",
        "Accepted risks",
        "Open actions",
        "Sign-offs",
    ):
        assert heading in found
    assert charter.count("```mermaid") == 2
    assert 'e1["Intake handler on shift"]' in charter and "e2 --> e3" in charter
    # `:` is an entity code in a label (Mermaid draws it back as the character).
    assert 's1["Intake#58; intake step (CRM, Dana)"]' in charter
    assert "| Who reviews output quality? | Sam (claims lead) |" in charter


def test_a_no_go_brief_still_names_missing_answers_and_every_fix() -> None:
    answers = {**good_answers(), "owner_quality": None, "rollout_commitment": "exploring"}
    brief = export("brief", PB, answers)
    assert "Verdict of the rules: **No-go — and 1 answer still missing**" in brief
    assert "Still to answer:" in brief
    assert "**Not ready**: 1 required answer is missing: “Who reviews output quality?”" in brief
    assert "owner\\_quality" not in brief  # words, not the question id
    assert "**No-go**: Nobody has committed to roll it out" in brief
    assert "Agree a rollout budget and a date with the sponsor" in brief
    assert "Answer them, or mark them not applicable with a reason." in brief


def test_not_applicable_answers_show_their_reason() -> None:
    answers = {**good_answers(), "owner_alerts": None}
    brief = export("brief", PB, answers, na=("owner_alerts",))
    assert "Not applicable: no reason given" in brief


def test_retired_answers_are_kept_in_the_appendix() -> None:
    brief = export("brief", PB, {**good_answers(), "old_question": "kept | safe"})
    assert "### Retired answers" in brief
    assert "| old\\_question | kept \\| safe |" in brief


def test_budget_check_says_when_the_budget_is_short() -> None:
    brief = export("brief", PB, {**good_answers(), "integration_budget": 100000.0})
    assert "is 2.5 times the prototype cost" in brief and "below the three to five" in brief
    assert "| **Go with conditions**: The integration budget is under three times" in brief
