"""Rounds: a question put to the participants' own devices, answered anonymously.

    r = ws.rounds.open(pilot_id, "confidence", question_id="integration_budget")
    ws.rounds.vote(r.id, ballot, "2")     # again with the same ballot: replaced
    ws.rounds.close(r.id)                 # the tally is kept, and in the pilot's history
    ws.rounds.reveal(r.id)                # the room may now see it

A vote is stored with a ballot id that the caller makes (random, one per
device and round) and nothing else: no name, no address, no device id.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from pilotbook.db import tables as t
from pilotbook.errors import InvalidValue, NotFound
from pilotbook.workshop import convert
from pilotbook.workshop.events import record_event

if TYPE_CHECKING:
    import datetime as dt

    from pilotbook.playbook.model import Playbook
    from pilotbook.workshop.playbooks import Playbooks
    from pilotbook.workshop.unit import UnitOfWork

KINDS = ("confidence", "choice", "notes")
# The default wording of the confidence scale; a playbook's `rounds.confidence_scale`
# words it instead. A round keeps the words it was opened with.
CONFIDENCE = (
    ("1", "Not confident at all"),
    ("2", "Doubtful"),
    ("3", "Could go either way"),
    ("4", "Fairly confident"),
    ("5", "Fully confident"),
)
MAX_NOTE = 500
MAX_BALLOT = 64
CHOICE_TYPES = ("choice", "multichoice", "yesno")


@dataclass(frozen=True)
class RoundInfo:
    id: str
    pilot_id: str
    kind: str
    question_id: str | None
    section_id: str | None
    prompt: str
    options: tuple[tuple[str, str], ...]  # (value, label); empty for notes
    status: str  # open, closed, revealed
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    topic: str  # the question's or section's words, for one-line summaries

    @property
    def is_open(self) -> bool:
        return self.status == "open"


@dataclass(frozen=True)
class Tally:
    round: RoundInfo
    votes: int
    counts: tuple[tuple[str, str, int], ...]  # (value, label, votes), in the options' order
    notes: tuple[str, ...]  # sorted, so their order says nothing about who wrote first
    median: float | None  # confidence rounds only
    low: str | None  # the lowest and highest values given (the spread)
    high: str | None
    disagree: bool  # worth a discussion before moving on

    def summary(self) -> str:
        """One line, as the brief and the history show it."""
        r = self.round
        if r.kind == "confidence":
            if not self.votes:
                return f"Team confidence in {r.topic}: no votes"
            median = f"{self.median:g}"
            return (
                f"Team confidence in {r.topic}: median {median} of 5, {_votes(self.votes)}, "
                f"spread {self.low}–{self.high}"
            )
        if r.kind == "choice":
            top = sorted(self.counts, key=lambda c: -c[2])
            parts = ", ".join(f"{label} {n}" for _v, label, n in top if n)
            return f"The team on {r.topic}: {parts or 'no votes'} ({_votes(self.votes)})"
        n = len(self.notes)
        return f"Silent notes on {r.topic}: {'1 note' if n == 1 else f'{n} notes'}"

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.round.kind,
            "topic": self.round.topic,
            "votes": self.votes,
            "counts": [list(c) for c in self.counts],
            "notes": list(self.notes),
            "median": self.median,
            "low": self.low,
            "high": self.high,
            "disagree": self.disagree,
            "summary": self.summary(),
        }


@dataclass(frozen=True)
class PhaseRounds:
    """The rounds closed in the pilot's current phase, as `pilotbook phase` and the
    review show them: a round closed with no answer is counted, never shown as a result."""

    phase: str | None
    since: dt.datetime | None  # when the pilot entered the phase; None: since it began
    said: tuple[Tally, ...]  # closed with answers, oldest first
    unanswered: int  # closed with no answer at all

    def lines(self) -> list[str]:
        """One line per round with answers, then how many were closed without any."""
        out = [r.summary() for r in self.said]
        if self.unanswered:
            rounds = "1 round" if self.unanswered == 1 else f"{self.unanswered} rounds"
            out.append(f"({rounds} closed with no answers)")
        return out


def answered(r: Tally) -> bool:
    """A round somebody answered: one nobody answered says nothing about the room."""
    return bool(r.votes or r.notes)


def _votes(n: int) -> str:
    return "1 vote" if n == 1 else f"{n} votes"


def _checked(r: t.Round, value: str) -> str:
    if not isinstance(value, str):
        raise InvalidValue("a vote is text")
    if r.kind == "notes":
        # A browser's form sends CRLF line ends: kept as plain newlines.
        text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
        if not text:
            raise InvalidValue("an empty note")
        if len(text) > MAX_NOTE:
            raise InvalidValue(f"a note has at most {MAX_NOTE} characters")
        return text
    allowed = [v for v, _label in json.loads(r.options_json)]
    if value not in allowed:
        raise InvalidValue(f"{value[:40]!r} is not one of the choices")
    return value


def _scale(book: Playbook) -> tuple[tuple[str, str], ...]:
    words = book.rounds.confidence_scale if book.rounds else None
    if not words:
        return CONFIDENCE
    return tuple((str(i), label) for i, label in enumerate(words, start=1))


def _votes_of(round_id: str) -> Any:
    return select(t.RoundVote.value_json).where(t.RoundVote.round_id == round_id)


def _key(ballot: str) -> str:
    """What a ballot is stored under: a hash, so random whatever ids the caller makes,
    and votes kept in key order are kept in no order that means anything."""
    return hashlib.sha256(ballot.encode("utf-8")).hexdigest()


def _rewrite_in_key_order(s: Session, round_id: str) -> None:
    """Write the round's votes again, all at once and in the order of their keys.

    A PostgreSQL server keeps, for each row, the transaction that wrote it (`xmin`)
    and its place in the table (`ctid`), both in the order of voting; rows written
    again in one transaction share one and take their places in key order. (SQLite
    keeps a table without row ids in key order anyway: there it changes nothing.)
    """
    from sqlalchemy import delete, insert

    mine = col(t.RoundVote.round_id) == round_id
    query = select(t.RoundVote.ballot, t.RoundVote.value_json).where(mine)
    kept = sorted(s.exec(query).all())
    if not kept:
        return
    s.execute(delete(t.RoundVote).where(mine))
    rows = [{"round_id": round_id, "ballot": b, "value_json": v} for b, v in kept]
    s.execute(insert(t.RoundVote), rows)


def _round(s: Session, round_id: str) -> t.Round:
    r = s.get(t.Round, round_id)
    if r is None:
        raise NotFound(f"no round with id {round_id!r}")
    return r


def _info(r: t.Round, topic: str | None = None) -> RoundInfo:
    options = tuple((str(v), str(label)) for v, label in json.loads(r.options_json))
    if topic is None:
        topic = r.prompt
        if r.kind == "confidence":
            topic = topic.removeprefix("How confident are you in this? ")
        elif r.kind == "notes":
            topic = topic.removeprefix("Write what you think, anonymously: ")
    return RoundInfo(
        id=r.id,
        pilot_id=r.pilot_id,
        kind=r.kind,
        question_id=r.question_id,
        section_id=r.section_id,
        prompt=r.prompt,
        options=options,
        status=r.status,
        opened_at=convert.aware(r.opened_at),
        closed_at=convert.aware(r.closed_at) if r.closed_at else None,
        topic=topic,
    )


def _count(info: RoundInfo, values: list[str]) -> Tally:
    if info.kind == "notes":
        return Tally(info, len(values), (), tuple(sorted(values)), None, None, None, False)
    counts = tuple((v, label, values.count(v)) for v, label in info.options)
    median = low = high = None
    disagree = False
    if info.kind == "confidence" and values:
        numbers = sorted(int(v) for v in values)
        median = float(statistics.median(numbers))
        low, high = str(numbers[0]), str(numbers[-1])
        # Two or more points apart at the ends means someone sees what others do not.
        disagree = numbers[-1] - numbers[0] >= 2
    elif values:
        given = [c for c in counts if c[2]]
        low, high = given[0][0], given[-1][0]
        disagree = len(given) > 1 and max(c[2] for c in given) <= len(values) * 2 / 3
    return Tally(info, len(values), counts, (), median, low, high, disagree)


def _from_json(info: RoundInfo, data: dict[str, Any]) -> Tally:
    return Tally(
        round=info,
        votes=int(data.get("votes", 0)),
        counts=tuple((str(v), str(label), int(n)) for v, label, n in data.get("counts", [])),
        notes=tuple(str(n) for n in data.get("notes", [])),
        median=data.get("median"),
        low=data.get("low"),
        high=data.get("high"),
        disagree=bool(data.get("disagree")),
    )


class Rounds:
    def __init__(self, unit: UnitOfWork, playbooks: Playbooks) -> None:
        self._unit = unit
        self._playbooks = playbooks

    def open(
        self,
        pilot_id: str,
        kind: str,
        *,
        question_id: str | None = None,
        section_id: str | None = None,
        by: str | None = None,
    ) -> RoundInfo:
        """A new round on a question (or, for confidence and notes, a whole section)."""
        if kind not in KINDS:
            raise InvalidValue(f"a round is one of {', '.join(KINDS)}, not {kind!r}")
        book = self._playbooks.for_pilot(pilot_id)
        options: tuple[tuple[str, str], ...] = ()
        if question_id is not None:
            try:
                q = book.question(question_id)
            except KeyError:
                raise NotFound(f"no question {question_id!r} in playbook {book.id}") from None
            topic = q.ask
            section_id = section_id or book.section_of(question_id).id
        elif section_id is not None:
            found = [s for s in book.sections if s.id == section_id]
            if not found:
                raise NotFound(f"no section {section_id!r} in playbook {book.id}")
            topic, q = found[0].title, None
        else:
            raise InvalidValue("a round needs a question or a section")
        if kind == "confidence":
            prompt, options = f"How confident are you in this? {topic}", _scale(book)
        elif kind == "choice":
            if q is None or q.type not in CHOICE_TYPES:
                raise InvalidValue(
                    f"a choice round needs a question with options; {question_id or section_id!r} "
                    "has none"
                )
            prompt = q.ask
            if q.type == "yesno":
                options = (("yes", "Yes"), ("no", "No"))
            else:
                options = tuple((o.id, o.label) for o in q.options)
        else:
            prompt = f"Write what you think, anonymously: {topic}"
        row = t.Round(
            pilot_id=pilot_id,
            kind=kind,
            question_id=question_id,
            section_id=section_id,
            prompt=prompt,
            options_json=json.dumps([list(o) for o in options]),
            status="open",
            opened_at=self._unit.clock(),
            by=by.strip()[:200] or None if by else None,
        )
        with self._unit.write() as s:
            self._unit.pilot(s, pilot_id)
            s.add(row)
        return _info(row, topic)

    def get(self, round_id: str) -> RoundInfo:
        with self._unit.read() as s:
            return _info(_round(s, round_id))

    def vote(self, round_id: str, ballot: str, value: str) -> None:
        """Record (or replace) the vote of one ballot; refused once the round is closed."""
        if not ballot or len(ballot) > MAX_BALLOT:
            raise InvalidValue("a vote needs a ballot id of 1 to 64 characters")
        with self._unit.write() as s:
            r = _round(s, round_id)
            if r.status != "open":
                raise InvalidValue("this round is closed")
            value = _checked(r, value)
            mine = (t.RoundVote.round_id == round_id, t.RoundVote.ballot == _key(ballot))
            vote = s.exec(select(t.RoundVote).where(*mine)).first()
            # No time and no row number: stored under its random ballot id only, so
            # neither who voted when nor the order of the votes can be read back.
            if vote is None:
                key = _key(ballot)
                s.add(t.RoundVote(round_id=round_id, ballot=key, value_json=json.dumps(value)))
            else:
                vote.value_json = json.dumps(value)
            try:
                s.flush()
            except IntegrityError:  # the same ballot raced itself: the first one stands
                raise InvalidValue(
                    "this vote was just recorded; send it again to change it"
                ) from None

    def ballot_vote(self, round_id: str, ballot: str) -> str | None:
        """What this ballot voted, so a participant's page can show it back."""
        with self._unit.read() as s:
            mine = (t.RoundVote.round_id == round_id, t.RoundVote.ballot == _key(ballot))
            value = s.exec(select(t.RoundVote.value_json).where(*mine)).first()
        return None if value is None else json.loads(value)

    def vote_count(self, round_id: str) -> int:
        from sqlalchemy import func

        with self._unit.read() as s:
            query = select(func.count()).select_from(t.RoundVote)
            return int(s.exec(query.where(t.RoundVote.round_id == round_id)).one())

    def tally(self, round_id: str) -> Tally:
        with self._unit.read() as s:
            r = _round(s, round_id)
            if r.result_json is not None:  # closed: what was kept, whatever happened since
                return _from_json(_info(r), json.loads(r.result_json))
            values = [json.loads(v) for v in s.exec(_votes_of(round_id)).all()]
        return _count(_info(r), values)

    def close(self, round_id: str, by: str | None = None) -> Tally:
        """No more votes; the tally is kept with the round and in the pilot's history."""
        with self._unit.write() as s:
            r = _round(s, round_id)
            if r.status != "open":
                return _from_json(_info(r), json.loads(r.result_json or "{}"))
            values = [json.loads(v) for v in s.exec(_votes_of(round_id)).all()]
            result = _count(_info(r), values)
            _rewrite_in_key_order(s, round_id)
            r.status, r.closed_at = "closed", self._unit.clock()
            r.result_json = json.dumps(result.to_json())
            detail = {"round": r.id, "kind": r.kind, "question": r.question_id}
            record_event(s, r.pilot_id, "round", detail | result.to_json(), by, self._unit.clock())
        self._unit.empty_log()  # SQLite's log holds the votes in the order they came
        return result

    def reveal(self, round_id: str) -> Tally:
        """The facilitator shows the result to the room (a round is closed first)."""
        result = self.close(round_id)
        with self._unit.write() as s:
            r = _round(s, round_id)
            r.status = "revealed"
        return dataclasses.replace(result, round=self.get(round_id))

    def results(self, pilot_id: str) -> list[Tally]:
        """The pilot's closed rounds, oldest first, with their kept tallies."""
        with self._unit.read() as s:
            self._unit.pilot(s, pilot_id)
            rows = s.exec(
                select(t.Round)
                .where(t.Round.pilot_id == pilot_id, t.Round.result_json != None)  # noqa: E711
                .order_by(col(t.Round.opened_at))
            ).all()
        return [_from_json(_info(r), json.loads(r.result_json or "{}")) for r in rows]

    def in_phase(self, pilot_id: str) -> PhaseRounds:
        """The rounds closed since the pilot entered its current phase (its latest move)."""
        with self._unit.read() as s:
            pilot = self._unit.pilot(s, pilot_id)
            moved = s.exec(
                select(t.PilotEvent.at)
                .where(t.PilotEvent.pilot_id == pilot_id, t.PilotEvent.kind == "phase")
                .order_by(col(t.PilotEvent.at).desc())
            ).first()
            phase = pilot.phase
        since = convert.aware(moved) if moved is not None else None
        closed = [
            r
            for r in self.results(pilot_id)
            if since is None or (r.round.closed_at is not None and r.round.closed_at >= since)
        ]
        said = tuple(r for r in closed if answered(r))
        return PhaseRounds(phase, since, said, len(closed) - len(said))
