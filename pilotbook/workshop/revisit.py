"""Coming back at each phase, as methods of the service (each delegates to its module).

ws.advance_phase(pilot_id)             # snapshot, then the next phase
ws.snapshot(pilot_id, "steering group, March")
ws.diff(pilot_id, "before-2026-03-02")  # against now
ws.since_last_time(pilot_id)            # None until a snapshot exists
ws.record_measurement(pilot_id, "cycle_time", 41, dt.date(2026, 3, 9), source="Jira")
ws.scorecard(pilot_id)
ws.upgrade_plan(pilot_id); ws.upgrade(pilot_id)
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pilotbook.workshop.diff import Diff, SinceLast
    from pilotbook.workshop.measurements import Scorecard
    from pilotbook.workshop.phases import CarryOver
    from pilotbook.workshop.service import Workshop
    from pilotbook.workshop.upgrade import RetiredAnswer, UpgradePlan, UpgradeResult
    from pilotbook.workshop.views import (
        MeasurementInfo,
        PilotEventInfo,
        PilotSummary,
        SnapshotInfo,
    )


class RevisitMixin:
    def advance_phase(self: Workshop, pilot_id: str, by: str | None = None) -> PilotSummary:
        from pilotbook.workshop import phases

        return phases.advance_phase(self, pilot_id, by=by)

    def snapshot(self: Workshop, pilot_id: str, label: str, by: str | None = None) -> SnapshotInfo:
        from pilotbook.workshop import phases

        return phases.snapshot(self, pilot_id, label, by=by)

    def find_snapshot(self: Workshop, pilot_id: str, ref: str) -> SnapshotInfo:
        from pilotbook.workshop import phases

        return phases.find_snapshot(self, pilot_id, ref)

    def move_warning(self: Workshop, pilot_id: str) -> str | None:
        """Why moving to the next phase may be early, in words; None when nothing stands."""
        from pilotbook.workshop import phases

        return phases.move_warning(self, pilot_id)

    def carry_over(self: Workshop, pilot_id: str) -> CarryOver:
        from pilotbook.workshop import phases

        return phases.carry_over(self, pilot_id)

    def diff(self: Workshop, pilot_id: str, a: str, b: str | None = None) -> Diff:
        from pilotbook.workshop.diff import diff

        return diff(self, pilot_id, a, b)

    def since_last_time(
        self: Workshop, pilot_id: str, today: dt.date | None = None
    ) -> SinceLast | None:
        from pilotbook.workshop.diff import since_last_time

        return since_last_time(self, pilot_id, today)

    def record_measurement(
        self: Workshop,
        pilot_id: str,
        metric: str,
        value: float,
        measured_on: dt.date | None = None,
        source: str | None = None,
        note: str | None = None,
    ) -> MeasurementInfo:
        from pilotbook.workshop.measurements import record_measurement

        return record_measurement(self, pilot_id, metric, value, measured_on, source, note)

    def scorecard(self: Workshop, pilot_id: str, as_of: dt.date | None = None) -> Scorecard:
        from pilotbook.workshop.measurements import scorecard

        return scorecard(self, pilot_id, as_of)

    def upgrade_plan(self: Workshop, pilot_id: str) -> UpgradePlan:
        from pilotbook.workshop.upgrade import upgrade_plan

        return upgrade_plan(self, pilot_id)

    def upgrade(self: Workshop, pilot_id: str, by: str | None = None) -> UpgradeResult:
        from pilotbook.workshop.upgrade import upgrade

        return upgrade(self, pilot_id, by=by)

    def retired_answers(self: Workshop, pilot_id: str) -> list[RetiredAnswer]:
        from pilotbook.workshop.upgrade import retired_answers

        return retired_answers(self, pilot_id)

    def pilot_history(self: Workshop, pilot_id: str) -> list[PilotEventInfo]:
        from pilotbook.workshop.keep import pilot_history

        return pilot_history(self, pilot_id)
