"""Pilots through the service: create, find, rename, archive, list, open."""

from __future__ import annotations

import pytest

from pilotbook.workshop import AmbiguousPilot, InvalidValue, NotFound


def test_create_gives_a_slug_and_records_the_playbook_version(ws):
    made = ws.create_pilot("Support Assistant (EU)", playbook_id="store-test")
    assert made.slug == "support-assistant-eu"
    assert (made.playbook_id, made.playbook_version, made.phase) == ("store-test", 2, "before")
    assert made.required_total == 4
    again = ws.create_pilot("Support assistant EU", playbook_id="store-test")
    assert again.slug == "support-assistant-eu-2"


def test_a_pilot_needs_a_known_playbook_and_a_name(ws):
    with pytest.raises(NotFound):
        ws.create_pilot("X", playbook_id="missing")
    with pytest.raises(InvalidValue):
        ws.create_pilot("   ", playbook_id="store-test")


def test_find_by_slug_name_or_id_prefix(ws, pilot):
    assert ws.find_pilot(pilot.slug).id == pilot.id
    assert ws.find_pilot("support ASSISTANT").id == pilot.id
    assert ws.find_pilot(pilot.id[:8]).id == pilot.id
    with pytest.raises(NotFound):
        ws.find_pilot("nobody")


def test_an_ambiguous_name_is_refused(ws):
    ws.create_pilot("Twin", playbook_id="store-test")
    ws.create_pilot("twin", playbook_id="store-test")
    with pytest.raises(AmbiguousPilot, match="2 pilots"):
        ws.find_pilot("TWIN")


def test_list_counts_answers_and_required_answers(ws, pilot):
    ws.set_answer(pilot.id, "name", "Helper")  # required
    ws.set_answer(pilot.id, "story", "Long story")
    ws.mark_not_applicable(pilot.id, "owner", "nobody yet")  # required, n/a counts
    [listed] = ws.list_pilots()
    assert (listed.answered, listed.required_answered, listed.required_total) == (3, 2, 4)


def test_rename_keeps_the_slug_and_archive_hides_from_the_list(ws, pilot):
    renamed = ws.rename_pilot(pilot.id, "New name")
    assert (renamed.name, renamed.slug) == ("New name", pilot.slug)
    ws.archive_pilot(pilot.id)
    assert ws.list_pilots() == []
    assert [p.id for p in ws.list_pilots(include_archived=True)] == [pilot.id]
    assert ws.archive_pilot(pilot.id, archived=False).archived is False


def test_open_marks_answers_to_removed_questions_as_retired(ws, pilot, store_path):
    ws.set_answer(pilot.id, "name", "kept")
    # An answer to a question a newer playbook dropped: it must be kept and shown.
    import sqlite3

    with sqlite3.connect(store_path) as db:
        db.execute("UPDATE answer SET question_id = 'old_question'")
    view = ws.open_pilot(pilot.id)
    assert view.answers["old_question"].retired is True
    assert view.answers["old_question"].value == "kept"
    assert view.answer("name").revision == 0


def test_set_phase_checks_the_playbook(ws, pilot):
    assert ws.set_phase(pilot.id, "after").phase == "after"
    with pytest.raises(InvalidValue, match="before, after"):
        ws.set_phase(pilot.id, "someday")


def test_a_unique_start_of_a_slug_or_name_finds_the_pilot(ws):
    bot = ws.create_pilot("Support bot", playbook_id="store-test")
    ws.create_pilot("Claims triage", playbook_id="store-test")
    ws.create_pilot("Claims routing", playbook_id="store-test")
    assert ws.find_pilot("supp").id == bot.id
    assert ws.find_pilot("SUPPORT B").id == bot.id
    with pytest.raises(AmbiguousPilot, match="2 pilots: claims-routing, claims-triage"):
        ws.find_pilot("claims")
    # Percent and underscore are letters here, not patterns.
    with pytest.raises(NotFound):
        ws.find_pilot("%")


def test_a_typo_gets_the_closest_slugs(ws):
    ws.create_pilot("Support bot", playbook_id="store-test")
    ws.create_pilot("Claims triage", playbook_id="store-test")
    with pytest.raises(NotFound, match=r"no pilot 'suport-bot' \(did you mean support-bot\?\)"):
        ws.find_pilot("suport-bot")
    with pytest.raises(NotFound, match=r"\(did you mean claims-triage\?\)"):
        ws.find_pilot("Clams triage")  # a misspelt name
    with pytest.raises(NotFound, match="give a slug, a name or an id prefix"):
        ws.find_pilot("zzzz")
