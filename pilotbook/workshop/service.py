"""The workshop service: the one way into the store for the TUI and the CLI.

`Workshop` composes small services that share one unit of work:

    ws.pilots        create, list, find, rename, archive, open a pilot
    ws.playbooks     the playbooks, and the versions the store keeps
    ws.answers       set, clear, not applicable, notes, undo, history
    ws.records       sessions, attendees, actions, decisions, sign-offs, snapshots
    ws.measurements  measured values and the scorecard
    ws.verdict       the verdict with its reasons, and accepted risks
    ws.phases        phases, snapshots, what changed, playbook upgrades
    ws.rounds        anonymous rounds of votes or notes
    ws.transfer      dump, load and back up
    ws.portfolio     every pilot on one line, and where they stall

Every method runs its own short transaction and returns frozen dataclasses,
so one `Workshop` can be shared by threads. Writes take the store's write
lock when they begin and are durable when they return.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from pilotbook.locations import Located, resolve_store
from pilotbook.workshop.answers import Answers
from pilotbook.workshop.measurements import Measurements
from pilotbook.workshop.phases import Phases
from pilotbook.workshop.pilots import Pilots
from pilotbook.workshop.playbooks import Playbooks, PlaybookSource
from pilotbook.workshop.portfolio import PortfolioService
from pilotbook.workshop.questions import Questions
from pilotbook.workshop.records import Records
from pilotbook.workshop.rounds import Rounds
from pilotbook.workshop.transfer import Transfer
from pilotbook.workshop.unit import UnitOfWork
from pilotbook.workshop.verdict import Verdict

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def open_workshop(db: str | None = None, *, playbooks: PlaybookSource | None = None) -> Workshop:
    """Open (making and migrating if needed) the store that `db` or the defaults name."""
    from pilotbook.db.engine import open_engine

    located = resolve_store(db)
    if located.why.startswith("user data folder"):
        from pilotbook.locations import user_data_dir

        # The user data folder is ours to make; any other missing folder is a typo.
        user_data_dir().mkdir(parents=True, exist_ok=True)
    engine = open_engine(located.value)
    return Workshop(engine, located, playbooks)


class Workshop:
    def __init__(
        self, engine: Engine, location: Located, playbooks: PlaybookSource | None = None
    ) -> None:
        self.unit = UnitOfWork(engine, location)
        self.playbooks = Playbooks(self.unit, playbooks)
        self.pilots = Pilots(self.unit, self.playbooks)
        self.answers = Answers(self.unit, self.playbooks)
        self.records = Records(self.unit, self.pilots)
        self.measurements = Measurements(self.unit, self.pilots)
        self.verdict = Verdict(self.unit, self.pilots, self.records, self.measurements)
        self.phases = Phases(
            self.unit, self.playbooks, self.pilots, self.records, self.measurements, self.verdict
        )
        self.rounds = Rounds(self.unit, self.playbooks)
        self.transfer = Transfer(self.unit, self.playbooks)
        self.portfolio = PortfolioService(self.unit, self.playbooks, self.verdict)
        self.questions = Questions(self.pilots)

    @property
    def location(self) -> Located:
        return self.unit.location

    @property
    def engine(self) -> Engine:
        return self.unit.engine

    @property
    def clock(self) -> Callable[[], dt.datetime]:
        """Where every time the services write comes from: tests and the demo set their own."""
        return self.unit.clock

    @clock.setter
    def clock(self, clock: Callable[[], dt.datetime]) -> None:
        self.unit.clock = clock

    def close(self) -> None:
        self.unit.close()

    def __enter__(self) -> Workshop:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
