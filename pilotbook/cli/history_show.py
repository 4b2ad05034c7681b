"""The moves of a whole pilot beside its answer changes in `pilotbook history`:
phase moves, snapshots, upgrades, decisions, accepted risks, rounds, edits of
actions and sign-offs. The facilitator's timer is left out (it is not a change)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pilotbook.playbook.model import Playbook
    from pilotbook.workshop.service import Workshop
    from pilotbook.workshop.views import DecisionInfo, PilotEventInfo

LEFT_OUT = ("timer",)


def moves(ws: Workshop, pilot_id: str, question: str | None) -> list[PilotEventInfo]:
    """The pilot's moves, oldest first; for one question only those that name it."""
    decisions = ws.records.decisions(pilot_id) if question is None else []
    return moves_of(ws.phases.history(pilot_id), decisions, question)


def moves_of(
    events: list[PilotEventInfo], decisions: list[DecisionInfo], question: str | None
) -> list[PilotEventInfo]:
    """`moves` from the pilot's events and decisions, however they were read."""
    from pilotbook.workshop.views import PilotEventInfo

    found = [
        e for e in events if e.kind not in LEFT_OUT and question in (None, e.detail.get("question"))
    ]
    if question is None:
        for d in decisions:
            detail = {"outcome": d.outcome, "rationale": d.rationale}
            found.append(PilotEventInfo(d.id, d.pilot_id, "decision", detail, d.by, d.at))
    return sorted(found, key=lambda e: e.at)


def move_text(e: PilotEventInfo, book: Playbook) -> str:
    """What a move did, in words."""
    from pilotbook.workshop.phase_names import phase_title

    d = e.detail
    if e.kind == "phase":
        return f"{phase_title(book, d.get('from'))} → {phase_title(book, d.get('to'))}"
    if e.kind == "snapshot":
        return str(d.get("label", ""))
    if e.kind == "upgrade":
        return f"playbook v{d.get('from')} → v{d.get('to')}"
    if e.kind == "decision":
        return f"{d.get('outcome')}: {d.get('rationale')}"
    if e.kind == "round":
        return _round_text(d)
    if e.kind.startswith(("action.", "signoff.")):
        return record_move(d)
    if "why" in d:
        return f"until {d.get('until')}: {d.get('why')}"
    return ""


def _round_text(d: dict[str, Any]) -> str:
    if d.get("summary"):  # the round's own one-line result
        return str(d["summary"])
    votes = d.get("votes", d.get("count"))
    kind = d.get("kind") or "round"
    return f"{kind} round closed" + (f", {votes} votes" if votes is not None else "")


def record_move(detail: dict[str, Any]) -> str:
    """An action's or sign-off's change in one line: what it is, and what changed."""
    what = detail.get("title") or detail.get("name") or ""
    changes = detail.get("changes") or {}
    shown = "; ".join(f"{k}: {b or '–'} → {a or '–'}" for k, (b, a) in changes.items())
    return f"{what} ({shown})" if shown else str(what)
