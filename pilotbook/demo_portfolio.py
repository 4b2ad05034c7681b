"""A dozen pilots in every state, for `pilotbook demo --portfolio` and the tests.

Each pilot is a `PilotPlan`: when it was made, the phase moves it made and
when, the decisions recorded before them, a few answers (owner, next review,
owners still in their roles, baselines), open actions with their due dates
and measurements. `add_pilot` plays a plan through the workshop service with
its clock set to each day, so the phase history is the one a real programme
would leave; `fill_portfolio` adds the demo's dozen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pilotbook.workshop.service import Workshop
    from pilotbook.workshop.views import PilotSummary

BASELINES = [
    {"metric": "cycle_time", "name": "Cycle time", "baseline": 10, "unit": "hours",
     "target": 4, "kill": 12},
    {"metric": "error_rate", "name": "Error rate", "baseline": 3, "unit": "%",
     "target": 1, "kill": 5},
]  # fmt: skip


@dataclass(frozen=True)
class PilotPlan:
    name: str
    created: int  # days before today
    moves: tuple[tuple[int, str], ...] = ()  # (days before today, phase), oldest first
    decisions: tuple[tuple[int, str], ...] = ()  # (days before today, go / conditional / no-go)
    answers: dict[str, Any] = field(default_factory=dict)
    actions: tuple[tuple[str, int], ...] = ()  # (title, due in days from today; < 0 is past)
    measured: tuple[tuple[str, float], ...] = ()  # (metric, value), measured today


@contextmanager
def _at(ws: Workshop, when: dt.datetime) -> Iterator[None]:
    ticks = iter(range(100_000))
    saved = ws.clock
    ws.clock = lambda: when + dt.timedelta(seconds=next(ticks))
    try:
        yield
    finally:
        ws.clock = saved


def add_pilot(ws: Workshop, plan: PilotPlan, today: dt.date) -> PilotSummary:
    """Play `plan` through the service; events are dated at 09:00 UTC on their days."""

    def day(n: int) -> dt.datetime:
        return dt.datetime.combine(today - dt.timedelta(days=n), dt.time(9), dt.UTC)

    with _at(ws, day(plan.created)):
        pilot = ws.pilots.create(plan.name)
        for qid, value in plan.answers.items():
            ws.answers.set(pilot.id, qid, value, by="demo")
    steps: list[tuple[int, int, str, str]] = [(d, 1, "move", p) for d, p in plan.moves]
    steps += [(d, 0, "decide", o) for d, o in plan.decisions]
    for d, _, kind, what in sorted(steps, key=lambda s: (-s[0], s[1])):
        with _at(ws, day(d)):
            if kind == "move":
                ws.phases.set(pilot.id, what, by="demo")
            else:
                ws.records.add_decision(pilot.id, what, "Recorded at the review.", by="demo")
    with _at(ws, day(0)):
        for title, due in plan.actions:
            ws.records.add_action(pilot.id, title, due=today + dt.timedelta(days=due))
        for metric, value in plan.measured:
            ws.measurements.record(pilot.id, metric, value, measured_on=today)
        ws.verdict.assess(pilot.id)  # keeps the verdict on the pilot row
    return ws.pilots.summary(pilot.id)


def _owner(name: str) -> dict[str, Any]:
    return {"owner_workflow": name}


THROUGH = ((150, "during"), (90, "decision"), (60, "after"))
P = PilotPlan
DEMO_PLANS = (
    P("Invoice matching", 200, THROUGH, ((61, "go"),),
      answers={**_owner("Ana Costa"), "next_review": "2099-01-15", "owners_confirmed": True}),
    P("Contract clause search", 240, THROUGH, ((61, "conditional"),),
      answers={**_owner("Ben Okoro"), "next_review": "2020-01-01", "owners_confirmed": False}),
    P("Claims triage", 300, ((280, "during"), (200, "decision"), (150, "after"), (40, "during")),
      ((151, "go"),), answers=_owner("Chen Wei"), actions=(("Re-run the error sample", -10),)),
    P("HR policy assistant", 170, ((160, "during"),),
      actions=(("Name a process owner", -30), ("Book the security review", -5))),
    P("Sales email drafting", 130, ((120, "during"), (70, "decision"), (20, "during")),
      ((21, "no-go"),), answers=_owner("Dana Smith")),
    P("Supplier risk summaries", 45, answers=_owner("Eli Novak")),
    P("Code review helper", 110, ((100, "during"),),
      answers={**_owner("Farah Khan"), "baselines": BASELINES},
      measured=(("cycle_time", 13.0), ("error_rate", 6.0))),
    P("Meeting notes", 95, ((85, "during"), (30, "decision"))),
    P("Knowledge base answers", 400, ((380, "during"), (300, "decision"), (280, "after")),
      ((281, "go"),), answers={**_owner("Gus Lind"), "next_review": "2099-03-01"}),
    P("Forecast commentary", 75, ((70, "during"),), answers=_owner("Hana Ito"),
      actions=(("Agree the kill threshold", 10),)),
    P("Ticket routing", 220, ((210, "during"), (120, "decision"), (100, "during")),
      ((101, "no-go"),), answers=_owner("Ivo Berg")),
    P("Document intake", 20),
)  # fmt: skip


def fill_portfolio(ws: Workshop, today: dt.date | None = None) -> list[PilotSummary]:
    """Add the demo's dozen pilots; those that are there already are left as they are."""
    from pilotbook.errors import NotFound

    today = today or dt.datetime.now(dt.UTC).date()
    made = []
    for plan in DEMO_PLANS:
        name = f"{plan.name} (demo)"
        try:
            made.append(ws.pilots.find(name))
        except NotFound:
            made.append(add_pilot(ws, replace(plan, name=name), today))
    return made
