"""Pilots through the service: create, find, rename, archive, list, open."""

from __future__ import annotations

import pytest

from pilotbook.errors import AmbiguousPilot, InvalidValue, NotFound


def test_create_gives_a_slug_and_records_the_playbook_version(ws):
    made = ws.pilots.create("Support Assistant (EU)", playbook_id="store-test")
    assert made.slug == "support-assistant-eu"
    assert (made.playbook_id, made.playbook_version, made.phase) == ("store-test", 2, "before")
    assert made.required_total == 4
    again = ws.pilots.create("Support assistant EU", playbook_id="store-test")
    assert again.slug == "support-assistant-eu-2"


def test_a_pilot_needs_a_known_playbook_and_a_name(ws):
    with pytest.raises(NotFound):
        ws.pilots.create("X", playbook_id="missing")
    with pytest.raises(InvalidValue):
        ws.pilots.create("   ", playbook_id="store-test")


def test_find_by_slug_name_or_id_prefix(ws, pilot):
    assert ws.pilots.find(pilot.slug).id == pilot.id
    assert ws.pilots.find("support ASSISTANT").id == pilot.id
    assert ws.pilots.find(pilot.id[:8]).id == pilot.id
    with pytest.raises(NotFound):
        ws.pilots.find("nobody")


def test_an_ambiguous_name_is_refused(ws):
    ws.pilots.create("Twin", playbook_id="store-test")
    ws.pilots.create("twin", playbook_id="store-test")
    with pytest.raises(AmbiguousPilot, match="2 pilots"):
        ws.pilots.find("TWIN")


def test_list_counts_answers_and_required_answers(ws, pilot):
    ws.answers.set(pilot.id, "name", "Helper")  # required
    ws.answers.set(pilot.id, "story", "Long story")
    ws.answers.not_applicable(pilot.id, "owner", "nobody yet")  # required, n/a counts
    [listed] = ws.pilots.all()
    assert (listed.answered, listed.required_answered, listed.required_total) == (3, 2, 4)


def test_rename_keeps_the_slug_and_archive_hides_from_the_list(ws, pilot):
    renamed = ws.pilots.rename(pilot.id, "New name")
    assert (renamed.name, renamed.slug) == ("New name", pilot.slug)
    ws.pilots.archive(pilot.id)
    assert ws.pilots.all() == []
    assert [p.id for p in ws.pilots.all(include_archived=True)] == [pilot.id]
    assert ws.pilots.archive(pilot.id, archived=False).archived is False


def test_open_marks_answers_to_removed_questions_as_retired(ws, pilot, store_path):
    ws.answers.set(pilot.id, "name", "kept")
    # An answer to a question a newer playbook dropped: it must be kept and shown.
    import sqlite3

    with sqlite3.connect(store_path) as db:
        db.execute("UPDATE answer SET question_id = 'old_question'")
    view = ws.pilots.open(pilot.id)
    assert view.answers["old_question"].retired is True
    assert view.answers["old_question"].value == "kept"
    assert view.answer("name").revision == 0


def test_set_phase_checks_the_playbook(ws, pilot):
    assert ws.phases.set(pilot.id, "after").phase == "after"
    with pytest.raises(InvalidValue, match="before, after"):
        ws.phases.set(pilot.id, "someday")


def test_a_unique_start_of_a_slug_or_name_finds_the_pilot(ws):
    bot = ws.pilots.create("Support bot", playbook_id="store-test")
    ws.pilots.create("Claims triage", playbook_id="store-test")
    ws.pilots.create("Claims routing", playbook_id="store-test")
    assert ws.pilots.find("supp").id == bot.id
    assert ws.pilots.find("SUPPORT B").id == bot.id
    with pytest.raises(AmbiguousPilot, match="2 pilots: claims-routing, claims-triage"):
        ws.pilots.find("claims")
    # Percent and underscore are letters here, not patterns.
    with pytest.raises(NotFound):
        ws.pilots.find("%")


def test_a_typo_gets_the_closest_slugs(ws):
    ws.pilots.create("Support bot", playbook_id="store-test")
    ws.pilots.create("Claims triage", playbook_id="store-test")
    with pytest.raises(NotFound, match=r"no pilot 'suport-bot' \(did you mean support-bot\?\)"):
        ws.pilots.find("suport-bot")
    with pytest.raises(NotFound, match=r"\(did you mean claims-triage\?\)"):
        ws.pilots.find("Clams triage")  # a misspelt name
    with pytest.raises(NotFound, match="give a slug, a name or an id prefix"):
        ws.pilots.find("zzzz")
