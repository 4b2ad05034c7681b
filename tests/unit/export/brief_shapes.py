"""Pilots of several shapes, exported through the service, for the checks on
the printed brief and the HTML page: the demo, a realistic pilot in its last
phase, one with every list long, one with every gate firing, a hostile one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from export_helpers import ROOT
from hostile_exports import ATTACK, _fill

TODAY = dt.date(2026, 11, 30)
# A source a team pastes as it is: a commit hash.
HASH = "3f9a1c0e" * 8
SHAPES = (
    "demo",
    "realistic",
    "many_conditions",
    "many_actions",
    "long_rationale",
    "many_owners",
    "every_gate",
    "hostile",
)


def _realistic(ws: Any, pilot_id: str, conditions: int = 7, actions: int = 6) -> None:
    """The demo after launch: a decision with conditions, actions, an accepted risk,
    a measured kill breach and a baseline whose source is a hash."""
    from pilotbook.workshop.review import decide, sign_off

    view = ws.pilots.open(pilot_id)
    rows = [
        {**r, "kill": 8, "source": HASH} if r["metric"] == "error_rate" else r
        for r in view.answers["baselines"].value
    ]
    ws.answers.set(pilot_id, "baselines", rows)
    ws.measurements.add(pilot_id, "error_rate", 9.2, TODAY - dt.timedelta(days=2))
    ws.phases.set(pilot_id, "after")
    ws.answers.set(pilot_id, "security_review", "not_planned")
    ws.verdict.accept(
        pilot_id,
        "security_review",
        by="Lena Fischer",
        why="The review is booked for week two; the gateway limits what leaves us.",
        until=TODAY + dt.timedelta(days=30),
    )
    decide(
        ws,
        pilot_id,
        "conditional",
        "We go on with conditions: the lane works and the team wants it.",
        conditions=[
            f"Condition {i + 1}: the team lead reviews the exception queue every morning"
            for i in range(conditions)
        ],
        by="Maria Okafor",
    )
    for i in range(actions):
        ws.records.add_action(
            pilot_id,
            f"Action {i + 1}: measure the lane again with the team and report",
            owner="Dev Patel",
            due=TODAY + dt.timedelta(days=3 + i),
        )
    sign_off(ws, pilot_id, "Maria Okafor", "Sponsor", "all")


def make(ws: Any, shape: str) -> str:
    """A pilot of this shape in the workshop `ws`; its id."""
    from pilotbook.demo import fill_demo
    from pilotbook.workshop.review import decide, sign_off

    if shape == "hostile":
        return _fill(ws, ATTACK, TODAY)
    pilot_id: str = fill_demo(ws, TODAY).id
    if shape == "demo":
        return pilot_id
    if shape == "every_gate":
        from test_summary import break_every_gate

        _realistic(ws, pilot_id)
        break_every_gate(ws, pilot_id)
        return pilot_id
    _realistic(
        ws,
        pilot_id,
        conditions=40 if shape == "many_conditions" else 7,
        actions=40 if shape == "many_actions" else 6,
    )
    if shape == "long_rationale":
        words = "the committee asked for one more review of the numbers before the rollout "
        decide(ws, pilot_id, "go", "We go on: " + words * 60, by="A steering committee member")
    if shape == "many_owners":
        for i in range(20):
            sign_off(ws, pilot_id, f"Signer number {i + 1}", "Steering committee", "all")
    return pilot_id


def export_shape(folder: Path, shape: str, fmt: str, kind: str = "brief") -> Any:
    """The document of a pilot of this shape, as text (md, html) or bytes (pdf)."""
    return export_shapes(folder, shape, (fmt,), kind)[fmt]


def export_shapes(
    folder: Path, shape: str, fmts: tuple[str, ...], kind: str = "brief"
) -> dict[str, Any]:
    """The document in each format, from one pilot of this shape."""
    from pilotbook.workshop import open_workshop
    from pilotbook.workshop.review import export_document

    folder.mkdir(parents=True, exist_ok=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PILOTBOOK_HOME", str(folder / "home"))
        mp.setenv("PILOTBOOK_PLAYBOOKS", str(ROOT / "playbooks"))
        ws = open_workshop(str(folder / "store.db"))
        try:
            pilot_id = make(ws, shape)
            return {f: export_document(ws, pilot_id, kind, f, today=TODAY).text for f in fmts}
        finally:
            ws.close()
