"""Paths and a small valid playbook shared by the playbook tests."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
PLAYBOOKS = REPO / "playbooks"
BROKEN = Path(__file__).resolve().parent / "broken"

TINY = """\
id: tiny
version: 1
title: Tiny
phases:
  - {id: before, title: Before}
sections:
  - id: start
    phase: before
    title: Start
    questions:
      - id: commit
        ask: Committed?
        type: choice
        options: {committed: "Yes", exploring: "Not yet"}
        risk:
          - {if: 'answer == "committed"', then: none}
          - {then: high}
      - id: users
        ask: Who uses it?
        type: text
        show_if: answers.commit == "committed"
verdict:
  - id: no_commit
    if: 'answers.commit != "committed"'
    then: no-go
    because: Nobody committed.
"""


def builtin_playbooks() -> list[Path]:
    return sorted(PLAYBOOKS.glob("*.yaml"))
