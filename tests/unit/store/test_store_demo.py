"""The demo pilot: real ai-pilot questions, two sessions of history, added once."""

from __future__ import annotations

import pytest

from pilotbook import demo
from pilotbook.playbook import values


@pytest.fixture
def real_ws(store_path):  # type: ignore[no-untyped-def]
    from pilotbook.workshop import open_workshop

    ws = open_workshop(str(store_path))  # the registry: the real ai-pilot playbook
    yield ws
    ws.close()


def test_every_demo_answer_fits_the_current_ai_pilot_playbook(real_ws):
    book = real_ws.playbooks.get(demo.PLAYBOOK)
    for question_id, value, _who in demo.FIRST_SESSION + demo.SECOND_SESSION:
        values.validate(book.question(question_id), value)  # raises if the playbook drifted


def test_the_demo_has_history_across_two_sessions_and_is_added_once(real_ws):
    made = demo.fill_demo(real_ws)
    view = real_ws.pilots.open(made.id)
    assert 0 < made.required_answered < made.required_total  # part-way
    [first, second] = view.sessions
    assert first.ended_at is not None and second.ended_at is not None
    events = real_ws.answers.history(made.id)
    assert {e.session_id for e in events} == {first.id, second.id}
    moved = [e.value for e in real_ws.answers.history(made.id, "rollout_commitment")]
    assert moved == ["exploring", "committed"]
    assert view.answers["vendor_contact"].na_reason
    assert [a.status for a in view.actions].count("open") == 2
    assert demo.fill_demo(real_ws).id == made.id
    assert len(real_ws.pilots.all()) == 1
