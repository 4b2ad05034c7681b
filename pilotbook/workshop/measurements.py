"""Measurements against the baselines, and the scorecard.

Which metrics a pilot has comes from its answers, not from code: the baseline
metrics are the rows of the playbook's baselines table. That table is the
first table question tagged `baselines`, or else the first table question
whose columns include `metric` and `baseline` (ai-pilot's `baselines`). Its
columns `target` and `kill` (optional) give the target and the kill
threshold; `unit` and `name` (for a metric chosen as "other") are read when
present. A metric is named by its `metric` cell (an option id such as
`cycle_time`), or by its `name` when the metric is "other" or free text.

Whether lower or higher is better is read from the numbers: a target below
the baseline means lower is better; with no target, a kill threshold above
the baseline means lower is better.

A metric past its kill threshold is a no-go reason of its own, until the team
records a decision after the crossing; the decision core
(`workshop/verdict.py`, `kill_reasons`) hands it to the rules, which never read measurements.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pilotbook.errors import InvalidValue, NotFound

# Re-exported: the metrics are read here for the scorecard and the verdict.
from pilotbook.workshop.baselines import Metric as Metric
from pilotbook.workshop.baselines import Status as Status
from pilotbook.workshop.baselines import baselines_question as baselines_question
from pilotbook.workshop.baselines import metrics as metrics
from pilotbook.workshop.baselines import slug
from pilotbook.workshop.views import MeasurementInfo

# The store's modules load in the methods that write or read it: the scorecard
# and its metrics are read by the commands' light path, without SQLAlchemy.

if TYPE_CHECKING:
    from pilotbook.workshop.pilots import Pilots
    from pilotbook.workshop.unit import UnitOfWork
    from pilotbook.workshop.views import PilotView

SPARKS = "▁▂▃▄▅▆▇█"
MAX_SOURCE = 500


@dataclass(frozen=True)
class Point:
    measured_on: dt.date
    value: float
    source: str | None
    note: str | None


@dataclass(frozen=True)
class MetricCard:
    """One metric of the scorecard: what a screen shows as a row and a chart."""

    metric: Metric
    points: tuple[Point, ...]  # oldest first

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def status(self) -> Status:
        return self.metric.status(self.latest.value if self.latest else None)

    @property
    def sparkline(self) -> str:
        return sparkline([p.value for p in self.points])


@dataclass(frozen=True)
class Scorecard:
    pilot_id: str
    question_id: str | None  # the baselines question, None when the playbook has none
    cards: tuple[MetricCard, ...]
    unlinked: tuple[MeasurementInfo, ...] = ()  # measurements of no defined metric

    @property
    def past_kill(self) -> tuple[MetricCard, ...]:
        return tuple(c for c in self.cards if c.status == "past kill threshold")

    def to_json(self) -> dict[str, Any]:
        return {
            "baselines_question": self.question_id,
            "metrics": [
                {
                    "metric": c.metric.key,
                    "label": c.metric.label,
                    "unit": c.metric.unit,
                    "baseline": c.metric.baseline,
                    "target": c.metric.target,
                    "kill": c.metric.kill,
                    "direction": c.metric.direction,
                    "status": c.status,
                    "latest": c.latest.value if c.latest else None,
                    "measurements": [
                        {"on": p.measured_on.isoformat(), "value": p.value, "source": p.source}
                        for p in c.points
                    ],
                }
                for c in self.cards
            ],
            "unlinked": [
                {"metric": m.metric, "on": m.measured_on.isoformat(), "value": m.value}
                for m in self.unlinked
            ],
        }


def sparkline(values: list[float]) -> str:
    if not values:
        return ""
    low, high = min(values), max(values)
    span = high - low
    if span == 0:
        return SPARKS[3] * len(values)
    return "".join(SPARKS[round((v - low) / span * (len(SPARKS) - 1))] for v in values)


def find_metric(found: list[Metric], ref: str) -> Metric:
    """A metric by its key, its label or its slug (any case)."""
    want = ref.strip().lower()
    for m in found:
        if want in (m.key.lower(), m.label.lower(), slug(m.label)):
            return m
    known = ", ".join(m.key for m in found) or "none: answer the baselines table first"
    raise NotFound(f"no baseline metric {ref!r} (metrics: {known})")


def scorecard_of(
    view: PilotView, measured: list[MeasurementInfo], as_of: dt.date | None = None
) -> Scorecard:
    q = baselines_question(view.playbook)
    found = metrics(view.playbook, view.answers)
    keys = {m.key for m in found}
    kept = [m for m in measured if as_of is None or m.measured_on <= as_of]
    cards = []
    for m in found:
        mine = sorted((x for x in kept if x.metric == m.key), key=lambda x: x.measured_on)
        cards.append(
            MetricCard(m, tuple(Point(x.measured_on, x.value, x.source, x.note) for x in mine))
        )
    unlinked = tuple(x for x in kept if x.metric not in keys)
    return Scorecard(view.summary.id, q.id if q else None, tuple(cards), unlinked)


class Measurements:
    def __init__(self, unit: UnitOfWork, pilots: Pilots) -> None:
        self._unit = unit
        self._pilots = pilots

    def add(
        self,
        pilot_id: str,
        metric: str,
        value: float,
        measured_on: dt.date,
        unit: str | None = None,
        note: str | None = None,
    ) -> MeasurementInfo:
        """Record a value of any metric, named as given (no baseline is checked)."""
        from pilotbook.db import tables as t
        from pilotbook.workshop import convert
        from pilotbook.workshop.record_rows import required_text, text

        row = t.Measurement(
            pilot_id=pilot_id,
            metric=required_text(metric, "a metric"),
            value=float(value),
            unit=text(unit, "a unit", 32),
            measured_on=measured_on,
            note=note,
        )
        with self._unit.write() as s:
            # Moves the pilot's change stamp: an open scorecard shows the new point.
            self._unit.pilot(s, pilot_id).updated_at = self._unit.clock()
            s.add(row)
        return convert.measurement(row)

    def record(
        self,
        pilot_id: str,
        metric: str,
        value: float | str,
        measured_on: dt.date | None = None,
        source: str | None = None,
        note: str | None = None,
    ) -> MeasurementInfo:
        """Record a measured value of one of the pilot's baseline metrics (dated today,
        by the workshop's clock, unless a day is given)."""
        view = self._pilots.open(pilot_id)
        found = find_metric(metrics(view.playbook, view.answers), metric)
        from pilotbook.playbook.kinds import ValueProblem, read_number

        try:
            # Text is read as a number field reads it; numbers get the same range.
            value = read_number(found.key, value, found.unit)
        except ValueProblem as e:
            raise InvalidValue(f"{e} (a measurement)") from None
        if measured_on is None:
            measured_on = self._unit.clock().date()
        if measured_on > self._unit.clock().date():
            raise InvalidValue(f"{found.key}: a measurement cannot be dated in the future")
        source = " ".join(source.split()) if source else None
        if source and len(source) > MAX_SOURCE:
            raise InvalidValue(f"{found.key}: a source has at most {MAX_SOURCE} characters")
        from pilotbook.db import tables as t
        from pilotbook.workshop import convert

        row = t.Measurement(
            pilot_id=pilot_id,
            metric=found.key,
            value=float(value),
            unit=(found.unit or "")[:32] or None,
            measured_on=measured_on,
            note=note.strip() if note and note.strip() else None,
            source=source or None,
        )
        with self._unit.write() as s:
            # Moves the pilot's change stamp: an open scorecard shows the new point.
            self._unit.pilot(s, pilot_id).updated_at = self._unit.clock()
            s.add(row)
        return convert.measurement(row)

    def all(self, pilot_id: str) -> list[MeasurementInfo]:
        from pilotbook.db import tables as t
        from pilotbook.workshop import convert
        from pilotbook.workshop.record_rows import pilot_rows

        rows = pilot_rows(self._unit, t.Measurement, pilot_id, t.Measurement.measured_on)
        return [convert.measurement(r) for r in rows]

    def scorecard(self, pilot_id: str, as_of: dt.date | None = None) -> Scorecard:
        """Each baseline metric with its target, kill threshold, measurements and status."""
        return scorecard_of(self._pilots.open(pilot_id), self.all(pilot_id), as_of)
