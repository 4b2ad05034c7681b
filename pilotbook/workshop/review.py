"""Review, decision, sign-off and export: the end of a workshop, as service functions.

Each function takes the `Workshop` first, so the TUI's review and export
screens and the CLI's `verdict`, `decide`, `signoff` and `export` commands
share one implementation:

    from pilotbook.workshop.review import review, decide, sign_off, export_documents
    r = review(ws, pilot_id)          # verdict, reasons, risk counts, readiness, actions
    decide(ws, pilot_id, "conditional", "Go once the runbooks exist", by="Sam")
    [brief] = export_documents(ws, pilot_id, ("brief",), "md")

Everything returned is a frozen dataclass; errors are the service's one-line
`WorkshopError`s, or `TemplateProblem` for a playbook's broken template.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pilotbook.errors import InvalidValue, WorkshopError

if TYPE_CHECKING:
    from pilotbook.playbook.model import Playbook
    from pilotbook.rules.results import Assessment, Reason
    from pilotbook.workshop.asof import Source
    from pilotbook.workshop.rounds import PhaseRounds
    from pilotbook.workshop.service import Workshop
    from pilotbook.workshop.verdict import AcceptanceInfo
    from pilotbook.workshop.views import (
        ActionInfo,
        DecisionInfo,
        PilotSummary,
        PilotView,
        SignoffInfo,
    )

OUTCOMES = ("go", "conditional", "no-go")
SCOPES = ("brief", "charter", "all")
KINDS = ("brief", "charter")
FORMATS = ("md", "html", "pdf", "wa-json")  # wa-json: answers for the Well-Architected Tool


@dataclass(frozen=True)
class Review:
    """What the review screen shows: the rules' verdict beside the humans' decision."""

    pilot: PilotSummary
    playbook: Playbook
    assessment: Assessment
    open_actions: tuple[ActionInfo, ...]
    decision: DecisionInfo | None  # the latest one: it stands
    decisions: tuple[DecisionInfo, ...]
    signoffs: tuple[SignoffInfo, ...]
    acceptances: tuple[AcceptanceInfo, ...] = ()
    rounds: PhaseRounds | None = None  # the rounds closed in the pilot's current phase

    def ask(self, question_id: str) -> str:
        """The question's text, for showing a reason's question ids."""
        try:
            return self.playbook.question(question_id).ask
        except KeyError:
            return question_id

    def phase_title(self, phase_id: str) -> str:
        """A phase's words, for a phase id."""
        return next((p.title for p in self.playbook.phases if p.id == phase_id), phase_id)

    def section_of(self, question_id: str) -> str | None:
        """The section id, so Enter on a reason can jump to its question."""
        try:
            return self.playbook.section_of(question_id).id
        except KeyError:
            return None

    @property
    def decision_differs(self) -> bool:
        return self.decision is not None and self.decision.outcome != self.assessment.verdict


@dataclass(frozen=True)
class Export:
    kind: str  # brief or charter
    fmt: str  # md, html or pdf
    filename: str  # a suggestion: <slug>-<kind>.<fmt>
    text: str | bytes  # bytes for pdf


class ExportError(WorkshopError):
    """An export that cannot be written where it was asked to go (one line)."""


class ExportExists(ExportError):
    """The file is there already: the app asks before replacing it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} exists already")


def assess_pilot(ws: Workshop, pilot_id: str, phase: str | None = None) -> Assessment:
    return ws.verdict.assess(pilot_id, phase)


def review(ws: Workshop, pilot_id: str) -> Review:
    view = ws.pilots.open(pilot_id)
    decisions = tuple(ws.records.decisions(pilot_id))
    return Review(
        pilot=view.summary,
        playbook=view.playbook,
        assessment=ws.verdict.of_view(view),
        open_actions=tuple(a for a in view.actions if a.status == "open"),
        decision=_latest(decisions),
        decisions=decisions,
        signoffs=tuple(ws.records.signoffs(pilot_id)),
        acceptances=tuple(ws.verdict.acceptances(pilot_id)),
        rounds=ws.rounds.in_phase(pilot_id),
    )


def _latest(decisions: tuple[DecisionInfo, ...]) -> DecisionInfo | None:
    return max(decisions, key=lambda d: d.at) if decisions else None


def named_conditions(reasons: tuple[Reason, ...]) -> list[str]:
    """The conditions of a conditional go, as the rules name them."""
    return [r.fix or r.because for r in reasons if r.result == "conditional"]


def decide(
    ws: Workshop,
    pilot_id: str,
    outcome: str,
    rationale: str | None = None,
    *,
    conditions: list[str] | tuple[str, ...] | None = None,
    by: str | None = None,
) -> DecisionInfo:
    """Record the team's go / conditional / no-go.

    A decision that differs from the computed verdict needs a rationale that
    says why; one that agrees may leave it out and gets a line saying so. A
    conditional go without conditions takes the ones the rules name.
    """
    outcome = outcome.strip().lower()
    if outcome not in OUTCOMES:
        raise InvalidValue(f"a decision is one of {', '.join(OUTCOMES)}, not {outcome!r}")
    assessment = assess_pilot(ws, pilot_id)
    text = (rationale or "").strip()
    if not text:
        if outcome != assessment.verdict:
            from pilotbook.rules.results import VERDICT_LABELS

            raise InvalidValue(
                f"the rules say {assessment.label}; deciding "
                f"{VERDICT_LABELS[outcome]!r} instead needs a rationale saying why"
            )
        text = f"Agrees with the rules' verdict: {assessment.label}."
    if conditions is None:
        conditions = named_conditions(assessment.reasons) if outcome == "conditional" else []
    return ws.records.add_decision(pilot_id, outcome, text, conditions=list(conditions), by=by)


def sign_off(
    ws: Workshop,
    pilot_id: str,
    name: str,
    role: str | None = None,
    scope: str | None = None,
    by: str | None = None,
) -> SignoffInfo:
    """A named person signs the brief, the charter, or both (`all`, or no scope)."""
    if scope is not None and scope not in SCOPES:
        raise InvalidValue(f"a sign-off is for one of {', '.join(SCOPES)}, not {scope!r}")
    return ws.records.add_signoff(pilot_id, name, role, scope, by=by)


def template_path(ws: Workshop, playbook: Playbook, kind: str) -> Path | None:
    """The playbook's own template for `kind`, relative to its file, or None."""
    from pilotbook.export import TemplateProblem

    name = getattr(playbook.templates, kind, None) if playbook.templates else None
    if not name:
        return None
    sources = [i.source for i in ws.playbooks.all() if i.id == playbook.id]
    if not sources or not Path(sources[0]).is_file():
        raise TemplateProblem(f"playbook {playbook.id}: its {kind} template {name!r} has no folder")
    folder = Path(sources[0]).resolve().parent
    path = (folder / str(name)).resolve()
    if not path.is_relative_to(folder):
        raise TemplateProblem(
            f"playbook {playbook.id}: the {kind} template {name!r} is outside its folder"
        )
    return path


def export_documents(
    ws: Workshop,
    pilot_id: str,
    kinds: tuple[str, ...] | list[str] = KINDS,
    fmt: str = "md",
    *,
    today: dt.date | None = None,
    as_of: str | None = None,
) -> list[Export]:
    """Render the documents from one read of the pilot, or of one of its snapshots
    (`as_of`: a snapshot label or id prefix), with the scorecard and retired answers."""
    from pilotbook.workshop.asof import export_source
    from pilotbook.workshop.rounds import answered

    for kind in kinds:
        if kind not in KINDS:
            raise InvalidValue(f"a document is one of {', '.join(KINDS)}, not {kind!r}")
    if fmt not in FORMATS:
        raise InvalidValue(f"a format is one of {', '.join(FORMATS)}, not {fmt!r}")
    src = export_source(ws, pilot_id, as_of)
    view = src.view
    if fmt == "wa-json":
        return [_wa_export(view)]
    until = src.snapshot.at if src.snapshot is not None else None
    # The rounds closed by then (as of a snapshot: by the snapshot's time) that had answers.
    said = [
        r
        for r in ws.rounds.results(pilot_id)
        if answered(r)
        and (until is None or (r.round.closed_at is not None and r.round.closed_at <= until))
    ]
    return render_exports(
        src,
        kinds,
        fmt,
        rounds=[r.summary() for r in said],
        round_notes=[r.notes for r in said],
        own_template=lambda kind: template_path(ws, view.playbook, kind),
        today=today,
    )


def render_exports(
    src: Source,
    kinds: tuple[str, ...] | list[str],
    fmt: str,
    *,
    rounds: list[Any],
    round_notes: list[Any],
    own_template: Callable[[str], Path | None],
    today: dt.date | None = None,
) -> list[Export]:
    """The documents of `src`, however it was read (the service, or the command line's
    light path for a pilot it can read whole)."""
    from pilotbook.export import build_document
    from pilotbook.export.render import markdown_to_html, render_markdown, template_for
    from pilotbook.export.reports import as_of_markdown

    view = src.view
    out = []
    for kind in kinds:
        doc = build_document(
            kind,
            view.playbook,
            view.answers,
            src.assessment,
            pilot_name=view.summary.name,
            pilot_slug=view.summary.slug,
            phase=view.summary.phase,
            actions=view.actions,
            decision=src.decision,
            signoffs=src.signoffs,
            attendees=view.attendees,
            today=today,
            scorecard=src.scorecard,
            rounds=rounds,
            round_notes=round_notes,
        )
        own = own_template(kind)
        text = render_markdown(doc, template_for(kind, own))
        # A playbook's own template decides its whole document: only the as-of note is added.
        extra = as_of_markdown(
            src.snapshot, src.scorecard, list(src.retired), kind, sections=own is None
        )
        if extra:
            text = text.rstrip("\n") + "\n\n" + extra
        if fmt in ("html", "pdf"):
            text = markdown_to_html(text, f"{doc.title}: {doc.pilot_name}")
        data: str | bytes = text
        if fmt == "pdf":
            from pilotbook.export.pdf import PdfUnavailable, html_to_pdf

            try:
                data = html_to_pdf(text)
            except PdfUnavailable as e:
                raise ExportError(str(e)) from None
        suffix = f"-{_file_part(src.snapshot.label)}" if src.snapshot else ""
        out.append(Export(kind, fmt, f"{view.summary.slug}-{kind}{suffix}.{fmt}", data))
    return out


def _wa_export(view: PilotView) -> Export:
    """The answers to an imported lens, for the Well-Architected Tool (one JSON file)."""
    from pilotbook.export.wa import NotALens, wa_json

    s = view.summary
    try:
        text = wa_json(view.playbook, view.answers, pilot_slug=s.slug, pilot_name=s.name)
    except NotALens as e:
        raise InvalidValue(str(e)) from None
    return Export("answers", "wa-json", f"{s.slug}-wa-answers.json", text)


def _file_part(label: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:40] or "snapshot"


def export_document(
    ws: Workshop,
    pilot_id: str,
    kind: str,
    fmt: str = "md",
    *,
    today: dt.date | None = None,
    as_of: str | None = None,
) -> Export:
    return export_documents(ws, pilot_id, (kind,), fmt, today=today, as_of=as_of)[0]


def _umask() -> int:
    # Read without changing it where the system says it (Linux); elsewhere
    # set and restore, which is what Python offers.
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    import os

    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_export(
    text: str | bytes, path: Path, *, overwrite: bool = False, mode: int | None = None
) -> Path:
    """Write a document whole or not at all: a reader never sees half a file.

    The file gets the user's usual mode (0666 less the umask) unless `mode`
    says otherwise, as any file they save: an export is made to be shared.
    ExportExists when the file is there and `overwrite` is false, so the app
    can ask first and the CLI wants --force; ExportError (one line) when the
    folder cannot take it or something other than a file (a link, a FIFO, a
    device, a folder) is there.
    """
    from pilotbook.files import TargetExists, WriteRefused, write_file

    try:
        return write_file(
            path, text, mode=0o666 & ~_umask() if mode is None else mode, overwrite=overwrite
        )
    except TargetExists:
        raise ExportExists(path) from None
    except WriteRefused as e:
        raise ExportError(str(e)) from None
