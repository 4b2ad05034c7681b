"""`load` trusts nothing: every field of a dump is checked as the service would,
a pilot already in the store takes a later copy only when merging, and a
diverged history never gives two events one revision."""

from __future__ import annotations

import json

import pytest

from pilotbook.errors import InvalidValue
from pilotbook.workshop import open_workshop
from pilotbook.workshop.playbooks import StaticPlaybooks


@pytest.fixture
def other(tmp_path, test_playbook):  # type: ignore[no-untyped-def]
    ws = open_workshop(str(tmp_path / "other.db"), playbooks=StaticPlaybooks([test_playbook]))
    yield ws
    ws.close()


@pytest.fixture
def dumped(ws, pilot):  # type: ignore[no-untyped-def]
    ws.answers.set(pilot.id, "name", "Helper")
    ws.answers.set(pilot.id, "users", 12)
    ws.answers.set_note(pilot.id, "owner", "ask")
    return json.loads(json.dumps(ws.transfer.dump()))


def _answer(data, qid):  # type: ignore[no-untyped-def]
    rows = data["pilots"][0]["answers"]
    return next(i for i, a in enumerate(rows) if a["question_id"] == qid)


@pytest.mark.parametrize(
    ("tamper", "where"),
    [
        (lambda d: d["answers"][0].update(value_json="{not json"), "answers[0].value_json"),
        (lambda d: d["answers"][0].update(revision="abc"), "answers[0].revision"),
        (lambda d: d["events"][1].update(revision=True), "events[1].revision"),
        (lambda d: d["pilot"].update(name="x" * 100_000), "pilot.name"),
        (lambda d: d["pilot"].update(name="two\nlines"), "pilot.name"),
        (lambda d: d["pilot"].update(slug="evil\x1b]0;owned\x07"), "pilot.slug"),
        (lambda d: d["pilot"].update(archived="no"), "pilot.archived"),
        (lambda d: d["pilot"].update(created_at=12), "pilot.created_at"),
        (lambda d: d["pilot"].update(id=["x"]), "pilot.id"),
        (lambda d: d["events"][0].update(kind="rm -rf"), "events[0].kind"),
        (lambda d: d["events"][0].update(question_id="../x"), "events[0].question_id"),
        (lambda d: d["events"].append({**d["events"][0], "id": "0" * 36}), "events[3]"),
        # What the store could not hold elsewhere, or what would break the next save.
        (lambda d: d["pilot"].update(phase="someday"), "pilot.phase"),
        (lambda d: d["pilot"].update(playbook_version=999), "pilot.playbook_version"),
        (lambda d: d["answers"][0].update(revision=50), "answers[0].revision"),
        (lambda d: d["pilot"].update(name="nul\x00name"), "pilot.name"),
        (lambda d: d["events"][0].update(note="a\x00b"), "events[0].note"),
    ],
)
def test_a_tampered_field_is_refused_by_its_json_path_and_nothing_is_written(
    dumped, other, tamper, where
):
    tamper(dumped["pilots"][0])
    with pytest.raises(InvalidValue) as e:
        other.transfer.load(dumped)
    assert f"pilots[0].{where}" in str(e.value)
    assert "\n" not in str(e.value) and "\x1b" not in str(e.value)
    assert len(str(e.value)) < 300
    assert other.pilots.all(include_archived=True) == []


def test_an_answer_value_the_question_would_refuse_is_refused(dumped, other):
    n = _answer(dumped, "users")
    dumped["pilots"][0]["answers"][n]["value_json"] = '"many"'
    with pytest.raises(InvalidValue, match=rf"answers\[{n}\]\.value_json"):
        other.transfer.load(dumped)
    n = _answer(dumped, "users")
    dumped["pilots"][0]["answers"][n]["value_json"] = "NaN"
    with pytest.raises(InvalidValue, match="not valid JSON"):
        other.transfer.load(dumped)
    assert other.pilots.all(include_archived=True) == []


def test_a_pilot_already_in_the_store_is_refused_unless_merging(ws, pilot, dumped, other):
    other.transfer.load(dumped)
    assert not other.transfer.load(dumped).changed  # the same file again: nothing to refuse
    ws.answers.set(pilot.id, "name", "Helper 2")
    later = json.loads(json.dumps(ws.transfer.dump()))
    with pytest.raises(InvalidValue, match="--merge"):
        other.transfer.load(later)
    assert other.pilots.open(pilot.id).answers["name"].value == "Helper"
    report = other.transfer.load(later, merge=True)
    assert report.answers_updated == 1 and report.conflicts == []
    assert other.pilots.open(pilot.id).answers["name"].value == "Helper 2"
    assert other.answers.history(pilot.id, "name") == ws.answers.history(pilot.id, "name")


def test_a_diverged_history_is_reported_and_never_reuses_a_revision(ws, pilot, dumped, other):
    other.transfer.load(dumped)
    ws.answers.set(pilot.id, "name", "theirs")  # revision 2 here ...
    other.answers.set(pilot.id, "name", "mine")  # ... and revision 2 there
    ws.answers.set(pilot.id, "users", 13)  # a clean extension of the history
    report = other.transfer.load(json.loads(json.dumps(ws.transfer.dump())), merge=True)
    assert len(report.conflicts) == 1 and "name" in report.conflicts[0]
    view = other.pilots.open(pilot.id)
    assert view.answers["name"].value == "mine"
    assert view.answers["users"].value == 13
    revisions = [e.revision for e in other.answers.history(pilot.id, "name")]
    assert revisions == sorted(set(revisions))


def test_a_merged_clear_takes_the_answered_flag_away(ws, pilot, dumped, other):
    other.transfer.load(dumped)
    ws.answers.clear(pilot.id, "users")
    other.transfer.load(json.loads(json.dumps(ws.transfer.dump())), merge=True)
    assert not other.pilots.open(pilot.id).answers["users"].answered
    assert other.pilots.summary(pilot.id).answered == ws.pilots.summary(pilot.id).answered


def test_a_hand_set_answered_flag_is_not_trusted(dumped, other, pilot):
    n = _answer(dumped, "owner")  # a note only: not answered
    dumped["pilots"][0]["answers"][n]["answered"] = True
    other.transfer.load(dumped)
    assert other.pilots.summary(pilot.id).answered == 2


def test_a_nul_is_refused_wherever_text_enters(ws, pilot):
    with pytest.raises(InvalidValue, match="NUL"):
        ws.answers.set_note(pilot.id, "name", "a\x00b")
    with pytest.raises(InvalidValue, match="NUL"):
        ws.pilots.rename(pilot.id, "bad\x00name")
    with pytest.raises(InvalidValue, match="NUL"):
        ws.records.add_action(pilot.id, "call\x00 them")
    assert ws.pilots.summary(pilot.id).name == "Support assistant"
