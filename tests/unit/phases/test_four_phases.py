"""A pilot taken through all four phases by the service: snapshots, diffs,
measurements (one past its kill threshold), a carry-over at each phase, and a
playbook upgrade with a removed, an added and a retyped question. After every
step, every answer event from before is still there, unchanged."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from revisit_helpers import publish

from pilotbook.errors import BadInput, InvalidValue, NotFound
from pilotbook.workshop.review import assess_pilot, export_document

BASELINES = [
    {
        "metric": "cycle_time",
        "baseline": 48,
        "unit": "hours",
        "target": 24,
        "kill": 60,
    },
    {"metric": "error_rate", "baseline": 5, "target": 2, "kill": 8},
    {"metric": "other", "name": "Customer score", "baseline": 3.1, "target": 4},
]


def events(ws, pilot_id):  # type: ignore[no-untyped-def]
    return [dataclasses.astuple(e) for e in ws.answers.history(pilot_id)]


class Keeper:
    """Checks that no answer event is lost or changed by any step."""

    def __init__(self, ws, pilot_id) -> None:  # type: ignore[no-untyped-def]
        self.ws, self.pilot_id = ws, pilot_id
        self.seen = events(ws, pilot_id)

    def check(self, added: int = 0) -> None:
        now = {e[0]: e for e in events(self.ws, self.pilot_id)}
        for e in self.seen:
            assert now.get(e[0]) == e, f"answer event lost or changed: {e}"
        assert len(now) == len(self.seen) + added
        self.seen = list(now.values())


def test_four_phases_with_snapshots_diffs_measurements_and_an_upgrade(ws, clock, v2):
    pilot = ws.pilots.create("Claims triage", "revisit")
    assert pilot.phase == "before" and pilot.playbook_version == 1
    keep = Keeper(ws, pilot.id)

    # -- before
    ws.answers.set(pilot.id, "name", "Triage bot", by="Ana")
    ws.answers.set(pilot.id, "commitment", "exploring")
    ws.answers.set(pilot.id, "team_size", "five or so")
    ws.answers.set(pilot.id, "fax_number", "+44 20 7946 0000")
    ws.answers.set(pilot.id, "baselines", BASELINES)
    sponsor_action = ws.records.add_action(pilot.id, "Find a sponsor", due=dt.date(2026, 3, 5))
    keep.check(added=5)
    assert ws.phases.since_last_time(pilot.id) is None  # no snapshot yet

    clock.days(1)
    moved = ws.phases.advance(pilot.id, by="Ana")
    keep.check()
    assert moved.phase == "during"
    [first] = ws.records.snapshots(pilot.id)
    assert (first.label, first.phase, first.kind) == ("before-2026-03-03", "before", "phase")
    assert (first.playbook_id, first.playbook_version) == ("revisit", 1)
    assert first.answers["commitment"]["value"] == "exploring"
    assert first.verdict["verdict"] == "no-go"  # no commitment: a hard stop, answers missing or not
    assert [a["title"] for a in first.actions] == ["Find a sponsor"]

    carry = ws.phases.carry_over(pilot.id)
    assert (carry.from_phase, carry.to_phase) == ("before", "during")
    assert [u.question_id for u in carry.unanswered] == ["sponsor"]
    assert [a.id for a in carry.open_actions] == [sponsor_action.id]

    # -- during: answers change, measurements come in
    clock.days(7)
    ws.answers.set(pilot.id, "commitment", "committed")
    ws.answers.set(pilot.id, "sponsor", "Mo Chen")
    ws.answers.clear(pilot.id, "team_size")
    ws.answers.set(pilot.id, "real_inputs", True)
    ws.records.close_action(sponsor_action.id)
    ws.records.add_action(pilot.id, "Write the runbook", due=dt.date(2026, 3, 9))
    keep.check(added=4)
    ws.measurements.record(pilot.id, "cycle_time", 40, dt.date(2026, 3, 8), source="Jira export")
    ws.measurements.record(pilot.id, "Error rate", 4, dt.date(2026, 3, 8))

    since = ws.phases.since_last_time(pilot.id, today=dt.date(2026, 3, 10))
    assert since is not None and since.snapshot.id == first.id
    changes = {c.question_id: c for c in since.diff.changes}
    assert changes["commitment"].change == "changed"
    assert (changes["commitment"].old_text, changes["commitment"].new_text) == (
        "We will see",
        "Yes, budget and date",
    )
    assert changes["sponsor"].change == "added"
    assert changes["team_size"].change == "cleared"
    assert changes["team_size"].old_text == "five or so"
    assert [s.title for s in since.diff.sections] == ["Start", "Running"]
    assert [a["title"] for a in since.diff.actions_closed] == ["Find a sponsor"]
    assert [a["title"] for a in since.diff.actions_opened] == ["Write the runbook"]
    assert [a.title for a in since.overdue] == ["Write the runbook"]
    assert [m.key for m in since.missing_measurements] == ["customer_score"]

    # -- a hand-made snapshot, then the kill threshold is crossed
    mid = ws.phases.snapshot(pilot.id, "mid-pilot review")
    assert mid.kind == "manual"
    with pytest.raises(InvalidValue, match="already"):
        ws.phases.snapshot(pilot.id, "mid-pilot review")
    clock.days(7)
    ws.measurements.record(pilot.id, "error_rate", 9.5, dt.date(2026, 3, 15), source="QA sample")
    assessment = assess_pilot(ws, pilot.id)
    kill = [r for r in assessment.reasons if r.gate == "kill-error_rate"]
    assert kill and kill[0].result == "no-go" and "9.5" in kill[0].because
    assert assessment.verdict == "no-go"

    card = ws.measurements.scorecard(pilot.id)
    by_key = {c.metric.key: c for c in card.cards}
    assert by_key["cycle_time"].metric.lower_is_better is True
    assert by_key["cycle_time"].status == "improving"
    assert by_key["error_rate"].status == "past kill threshold"
    assert [p.value for p in by_key["error_rate"].points] == [4, 9.5]
    assert by_key["customer_score"].metric.direction == "higher is better"
    assert by_key["customer_score"].status == "no data"

    d = ws.phases.diff(pilot.id, "mid-pilot review")
    assert d.changes == ()
    assert (d.verdict_then.verdict, d.verdict_now.verdict) == ("go", "no-go")
    assert any("kill threshold" in r for r in d.verdict_now.reasons)
    assert not any("kill threshold" in r for r in d.verdict_then.reasons)

    # -- decision
    clock.days(1)
    ws.phases.advance(pilot.id)
    keep.check()
    carry = ws.phases.carry_over(pilot.id)
    assert carry.from_phase == "during" and carry.unanswered == ()
    ws.answers.set(pilot.id, "owner", "Priya Nair")
    keep.check(added=1)
    assert assess_pilot(ws, pilot.id).verdict == "no-go"  # only the kill threshold now

    # -- the playbook moves on to v2: removed fax_number, added runbook, team_size retyped
    ws.answers.set(pilot.id, "team_size", "a dozen")
    keep.check(added=1)
    publish(ws, v2)
    assert ws.pilots.summary(pilot.id).playbook_version == 1
    ws.answers.set(pilot.id, "name", "Triage assistant")  # answering does not move the version
    keep.check(added=1)
    assert ws.pilots.summary(pilot.id).playbook_version == 1
    plan = ws.phases.upgrade_plan(pilot.id)
    assert plan.needed and plan.old_known
    assert [m.question_id for m in plan.of("added")] == ["runbook"]
    assert [m.question_id for m in plan.of("removed")] == ["fax_number"]
    assert [(m.question_id, m.detail) for m in plan.of("retyped")] == [
        ("team_size", "text -> number")
    ]
    answers_before = ws.pilots.open(pilot.id).answers
    clock.days(1)
    done = ws.phases.upgrade(pilot.id, by="Ana")
    keep.check()
    assert done.flagged == ("team_size",)
    assert done.snapshot.kind == "upgrade" and done.snapshot.playbook_version == 1
    assert done.snapshot.answers["fax_number"]["value"] == "+44 20 7946 0000"
    after = ws.pilots.open(pilot.id)
    assert after.summary.playbook_version == 2
    for qid, a in answers_before.items():  # every answer carried over by id, values as they were
        assert (after.answers[qid].value, after.answers[qid].revision) == (a.value, a.revision)
    assert after.answers["fax_number"].retired
    assert after.answers["team_size"].value == "a dozen"
    assert "text" in after.answers["team_size"].review
    [retired] = ws.phases.retired_answers(pilot.id)
    assert retired.ask == "Which fax number do we send results to?"
    assert retired.text == "+44 20 7946 0000"
    moves = [e for e in ws.phases.history(pilot.id) if e.kind == "upgrade"]
    assert moves[0].detail["removed"] == ["fax_number"] and moves[0].by == "Ana"
    with pytest.raises(BadInput, match="already"):
        ws.phases.upgrade(pilot.id)

    # the retyped answer is looked at again: the flag goes
    ws.answers.set(pilot.id, "team_size", 12)
    keep.check(added=1)
    assert ws.pilots.open(pilot.id).answers["team_size"].review is None

    # -- after
    clock.days(30)
    ws.phases.advance(pilot.id)
    keep.check()
    assert ws.pilots.summary(pilot.id).phase == "after"
    with pytest.raises(BadInput, match="last phase"):
        ws.phases.advance(pilot.id)
    labels = [s.label for s in ws.records.snapshots(pilot.id)]
    assert labels == [
        "before-2026-03-03",
        "mid-pilot review",
        "during-2026-03-18",
        "before-v2-2026-03-19",
        "decision-2026-04-18",
    ]
    kinds = [e.kind for e in ws.phases.history(pilot.id)]
    assert kinds.count("phase") == 3 and kinds.count("upgrade") == 1

    # a diff across the upgrade names the retired question with its own text
    d = ws.phases.diff(pilot.id, "before-2026-03-03", "decision-2026-04-18")
    changed = {c.question_id: c for c in d.changes}
    assert changed["team_size"].new_text == "12"
    assert "fax_number" not in changed  # unchanged, though retired

    # snapshots never change afterwards
    assert ws.records.snapshots(pilot.id)[0] == first

    # -- the brief as of the first snapshot, and now
    then = export_document(ws, pilot.id, "brief", as_of="before-2026-03-03")
    assert "As of the snapshot before-2026-03-03" in then.text
    assert "We will see" in then.text and "Priya Nair" not in then.text
    assert then.filename == "claims-triage-brief-before-2026-03-03.md"
    now = export_document(ws, pilot.id, "brief")
    assert "Priya Nair" in now.text
    assert "## Scorecard" in now.text and "xychart-beta" in now.text
    assert "past kill threshold" in now.text
    assert "Appendix: retired answers" in now.text
    assert "Which fax number do we send results to?" in now.text
    charter = export_document(ws, pilot.id, "charter", "html")
    assert "Scorecard" in charter.text and "retired answers" not in charter.text


def test_snapshots_are_found_by_label_or_id_prefix(ws):
    pilot = ws.pilots.create("Finder", "revisit")
    snap = ws.phases.snapshot(pilot.id, "kick-off")
    assert ws.phases.find_snapshot(pilot.id, "kick-off") == snap
    assert ws.phases.find_snapshot(pilot.id, snap.id[:6]) == snap
    with pytest.raises(NotFound, match="no snapshot"):
        ws.phases.find_snapshot(pilot.id, "nope")
    with pytest.raises(InvalidValue, match="label"):
        ws.phases.snapshot(pilot.id, "   ")


def test_a_measurement_of_an_unknown_metric_or_a_future_date_is_refused(ws, clock):
    pilot = ws.pilots.create("Measured", "revisit")
    with pytest.raises(NotFound, match="answer the baselines table"):
        ws.measurements.record(pilot.id, "cycle_time", 1, dt.date(2026, 3, 1))
    ws.answers.set(pilot.id, "baselines", BASELINES)
    with pytest.raises(NotFound, match="metrics: cycle_time, error_rate, customer_score"):
        ws.measurements.record(pilot.id, "latency", 1, dt.date(2026, 3, 1))
    with pytest.raises(InvalidValue, match="future"):
        ws.measurements.record(pilot.id, "cycle_time", 1, dt.date(2027, 1, 1))
    assert ws.measurements.all(pilot.id) == []


def test_the_phase_must_exist_and_the_same_phase_takes_no_snapshot(ws):
    pilot = ws.pilots.create("Phased", "revisit")
    with pytest.raises(InvalidValue, match="no phase 'someday'"):
        ws.phases.set(pilot.id, "someday")
    ws.phases.set(pilot.id, "before")
    assert ws.records.snapshots(pilot.id) == []
    ws.phases.set(pilot.id, "after")
    assert [s.phase for s in ws.records.snapshots(pilot.id)] == ["before"]


def test_hostile_answers_keep_the_diff_and_scorecard_structure(ws, clock):
    from markdown_it import MarkdownIt

    from pilotbook.export.reports import diff_markdown, scorecard_markdown

    hostile = "a | b\n# Heading\n<script>x</script> [link](http://x) ```"
    pilot = ws.pilots.create("Hostile", "revisit")
    ws.answers.set(pilot.id, "name", "plain")
    ws.phases.snapshot(pilot.id, "one")
    ws.answers.set(pilot.id, "name", hostile)
    rows = [{"metric": "other", "name": hostile, "baseline": 1, "target": 2, "kill": 0}]
    ws.answers.set(pilot.id, "baselines", rows)
    ws.measurements.record(pilot.id, hostile, 1.5, dt.date(2026, 3, 1))
    for text in (
        diff_markdown(ws.phases.diff(pilot.id, "one"), hostile),
        scorecard_markdown(ws.measurements.scorecard(pilot.id)),
    ):
        tokens = MarkdownIt("commonmark").enable("table").parse(text)
        kinds = [t.type for t in tokens]
        assert "html_block" not in kinds and "html_inline" not in kinds
        headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
        assert not any(h.strip() == "Heading" for h in headings)
        fences = [t for t in tokens if t.type == "fence"]
        assert all(f.info == "mermaid" for f in fences)
    md = diff_markdown(ws.phases.diff(pilot.id, "one"))
    [row] = [line for line in md.splitlines() if "`name`" in line]
    assert row.count(" | ") == 3  # four cells, the typed pipe escaped


def test_the_brief_with_a_scorecard_and_retired_answers_passes_the_lint(ws, clock, v2):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "export"))
    from export_helpers import lint

    pilot = ws.pilots.create("Linted", "revisit")
    ws.answers.set(pilot.id, "fax_number", "+44 1")
    ws.answers.set(pilot.id, "baselines", BASELINES)
    ws.measurements.record(pilot.id, "cycle_time", 40, dt.date(2026, 3, 1))
    ws.measurements.record(pilot.id, "cycle_time", 30, dt.date(2026, 3, 2))
    ws.phases.snapshot(pilot.id, "first")
    publish(ws, v2)
    ws.phases.upgrade(pilot.id)
    for kind in ("brief", "charter"):
        text = export_document(ws, pilot.id, kind).text
        assert "## Scorecard" in text
        assert lint(text) == [], kind
    assert lint(export_document(ws, pilot.id, "brief", as_of="first").text) == []


def test_an_upgrade_flags_a_choice_whose_option_is_gone(ws, v1):
    choice = v1.question("commitment")
    narrowed = choice.model_copy(update={"options": choice.options[:1]})
    start = v1.sections[0]
    questions = tuple(narrowed if q.id == "commitment" else q for q in start.questions)
    v3 = v1.model_copy(
        update={
            "version": 3,
            "sections": (start.model_copy(update={"questions": questions}), *v1.sections[1:]),
        }
    )
    pilot = ws.pilots.create("Narrowed", "revisit")
    ws.answers.set(pilot.id, "commitment", "exploring")
    ws.answers.set(pilot.id, "name", "kept as it is")
    before = events(ws, pilot.id)
    publish(ws, v3)
    plan = ws.phases.upgrade_plan(pilot.id)
    assert [(m.question_id, m.detail) for m in plan.of("options")] == [
        ("commitment", "options removed: exploring")
    ]
    done = ws.phases.upgrade(pilot.id)
    assert done.flagged == ("commitment",)
    view = ws.pilots.open(pilot.id)
    assert view.answers["commitment"].value == "exploring"
    assert "no longer offered" in view.answers["commitment"].review
    assert view.answers["name"].review is None
    assert events(ws, pilot.id) == before


def test_no_service_method_changes_or_removes_a_snapshot():
    from pilotbook.workshop.service import Workshop

    verbs = ("update", "delete", "remove", "edit", "rename", "set", "clear", "drop")
    names = [n for n in dir(Workshop) if "snapshot" in n and n.startswith(verbs)]
    assert names == []


def test_a_measurement_must_be_a_finite_number(ws):
    pilot = ws.pilots.create("Finite", "revisit")
    ws.answers.set(pilot.id, "baselines", BASELINES)
    # Text is read as a number field reads it ("12" is 12); nothing else but numbers.
    for bad in (float("nan"), float("inf"), True, 1e308, "1,2", "lots"):
        with pytest.raises(InvalidValue, match="number"):
            ws.measurements.record(pilot.id, "cycle_time", bad, dt.date(2026, 3, 1))
