"""Every question of a pilot's playbook with its state, so a command-line user can
find a question's id without reading the playbook's YAML.

    for q in ws.questions.of(pilot_id, phase="Before"):
        q.id, q.title, q.phase_title, q.state      # state: answered, missing or n/a
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pilotbook.workshop.pilots import Pilots
    from pilotbook.workshop.views import PilotView

STATES = ("answered", "missing", "n/a")


@dataclass(frozen=True)
class QuestionState:
    id: str
    title: str  # the question as the playbook asks it
    section: str  # the section's title
    phase: str  # the phase's id
    phase_title: str
    required: bool
    state: str  # one of STATES


class Questions:
    def __init__(self, pilots: Pilots) -> None:
        self._pilots = pilots

    def of(
        self, pilot_id: str, *, phase: str | None = None, state: str | None = None
    ) -> list[QuestionState]:
        """The questions of the pilot's playbook in its order; `phase` (an id or a
        title) and `state` keep only those."""
        return states_of(self._pilots.open(pilot_id), phase=phase, state=state)


def states_of(
    view: PilotView, *, phase: str | None = None, state: str | None = None
) -> list[QuestionState]:
    """`Questions.of` for a pilot already read (the light read path of the command line
    reads it with sqlite3)."""
    book = view.playbook
    wanted = None
    if phase is not None:
        from pilotbook.workshop.phase_names import phase_id

        wanted = phase_id(book, phase)
    titles = {p.id: p.title for p in book.phases}
    out = []
    for section in book.sections:
        if wanted is not None and section.phase != wanted:
            continue
        for q in section.questions:
            a = view.answers.get(q.id)
            if a is not None and a.na_reason is not None:
                now = "n/a"
            elif a is not None and a.value is not None:
                now = "answered"
            else:
                now = "missing"
            if state is not None and now != state:
                continue
            phase_title = titles.get(section.phase, section.phase)
            out.append(
                QuestionState(
                    q.id, q.ask, section.title, section.phase, phase_title, q.required, now
                )
            )
    return out
