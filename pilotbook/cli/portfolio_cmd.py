"""`pilotbook portfolio`: every pilot of the store on one line, where they stall, and
the programme review as Markdown, HTML or PDF."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pilotbook.cli.common import echo, echo_json, fail, guarded, state, workshop
from pilotbook.cli.options import JsonOpt, parse_date
from pilotbook.cli.pilots_show import columns, plain

if TYPE_CHECKING:
    from datetime import date

    from pilotbook.workshop.portfolio import Filters, Portfolio, Row
    from pilotbook.workshop.portfolio_saved import Compared, Saved

PORTFOLIO_FORMATS = ("text", "csv")


def _line(r: Row, text: Callable[[str], str] = plain) -> tuple[str, ...]:
    return (
        text(r.name),
        text(r.owner or "-"),
        r.phase or "-",
        str(r.days_in_phase),
        r.verdict or "-",
        text(r.reason or "-"),
        r.next_review.isoformat() if r.next_review else "-",
        str(r.overdue_actions),
        str(r.kills_crossed),
    )


HEAD = ("PILOT", "OWNER", "PHASE", "DAYS", "VERDICT", "FIRST REASON", "REVIEW", "OVERDUE", "KILL")


def _csv(p: Portfolio) -> str:
    from pilotbook.export.trackers import rows_to_csv

    rows: list[list[object]] = [
        ["Pilot", "Slug", "Owner", "Phase", "Days in phase", "Verdict", "First reason",
         "Next review", "Overdue actions", "Kill thresholds crossed"]
    ]  # fmt: skip
    for r in p.rows:
        review = r.next_review.isoformat() if r.next_review else ""
        rows.append(
            [r.name, r.slug, r.owner, r.phase, r.days_in_phase, r.verdict, r.reason, review,
             r.overdue_actions, r.kills_crossed]
        )  # fmt: skip
    return rows_to_csv(rows)


def _compared_text(saved: Saved, changed: tuple[Compared, ...]) -> None:
    when = saved.saved_at.date().isoformat()
    echo(f"counts since {plain(saved.name)!r} ({when}):")
    for c in changed:
        echo(f"  {plain(c.what)}: {c.was} -> {c.now}")
    if not changed:
        echo("  no count changed")


def _stall_text(p: Portfolio) -> list[str]:
    lines = ["", "where they stall:"]
    if not p.stalls:
        lines.append("  nothing holds these pilots back")
    for s in p.stalls:
        names = ", ".join(plain(x) for x in s.pilots[:8])
        more = f" and {len(s.pilots) - 8} more" if len(s.pilots) > 8 else ""
        # A gate's title is the playbook's text: escaped like every stored text.
        lines.append(f"  {plain(s.label)}: {len(s.pilots)} ({names}{more})")
    lines.append("time in each phase (days): " + "; ".join(
        f"{t.phase} median {t.median_days:g} ({t.low_days}-{t.high_days}, {t.spans} stays)"
        for t in p.phase_times
    ) if p.phase_times else "time in each phase: no stays yet")  # fmt: skip
    rate = "-" if p.rate is None else f"{p.rate:.0%}"
    per = ", ".join(f"{q.quarter} {q.production}/{q.decided}" for q in p.quarters)
    lines.append(f"pilot to production: {rate}" + (f" ({per})" if per else ""))
    if p.trend:
        lines.append(
            "stalled at each quarter's end: "
            + ", ".join(f"{x.quarter} {x.stalled}/{x.pilots}" for x in p.trend)
        )
    return lines


def portfolio(
    sort: Annotated[
        str,
        typer.Option("--sort", help="name, owner, phase, days, verdict, review, overdue or "
                     "kill; a leading - reverses.", metavar="KEY"),
    ] = "name",
    phase: Annotated[str | None, typer.Option("--phase", help="Only pilots in this phase.")] = None,
    verdict: Annotated[
        str | None,
        typer.Option("--verdict", help="Only pilots with this kept verdict: no-go, not-ready, "
                     "conditional or go."),
    ] = None,
    stalled: Annotated[
        int | None,
        typer.Option("--stalled", help="Only pilots in their phase for DAYS or more.",
                     metavar="DAYS", min=0),
    ] = None,
    owner: Annotated[
        str | None, typer.Option("--owner", help="Only pilots whose owner's name holds this.")
    ] = None,
    as_json: JsonOpt = False,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="text or csv.", metavar="FMT")
    ] = "text",
    export: Annotated[
        str | None,
        typer.Option("--export", help="Write the programme review as md, html or pdf.",
                     metavar="FMT"),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help="The review's file (- for stdout, md and html).",
                     metavar="PATH"),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="What changed since this date (YYYY-MM-DD), or "
                     "since the counts saved under this name (--save).", metavar="DATE|NAME"),
    ] = None,
    save: Annotated[
        str | None,
        typer.Option("--save", help="Keep this portfolio's counts under NAME (no answers), "
                     "for --since NAME later.", metavar="NAME"),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the review's file if it is there.")
    ] = False,
    gates: Annotated[
        bool,
        # Kept so scripts that pass it still run: the gates are always counted now.
        typer.Option("--gates", hidden=True, help="No longer needed: gates are counted."),
    ] = False,
) -> None:  # fmt: skip
    """Every pilot on one line (owner, phase, days in it, kept verdict and first reason,
    next review, overdue actions, kill thresholds crossed), and where they stall."""
    from pilotbook.cli import exits
    from pilotbook.workshop.portfolio_views import Filters

    if fmt not in PORTFOLIO_FORMATS:
        fail(f"--format is text or csv, not {fmt!r}", exits.USAGE)
    if export is not None and export not in ("md", "html", "pdf"):
        fail(f"--export is md, html or pdf, not {export!r}", exits.USAGE)
    if export is not None and output is None:
        fail("--export needs -o FILE (or -o - for md and html)", exits.USAGE)
    if export == "pdf" and output == "-":
        fail("a PDF does not go to stdout: give -o a file", exits.USAGE)
    day = named = None
    if since is not None:
        if since.strip()[:1].isdigit():
            day = parse_date(since, "--since")
        else:
            named = since
    filters = Filters(phase=phase, verdict=verdict, stalled=stalled, owner=owner)
    compared = saved = None
    with guarded():
        # Saved counts live in the store's models; the rest reads without them.
        p = _light(filters, sort, day) if named is None and save is None else None
    if p is None:
        ws = workshop()
        with guarded():
            p = ws.portfolio.report(filters, sort=sort, since=day)
            compared = ws.portfolio.compare(named, p) if named is not None else None
            saved = ws.portfolio.save(save, filters) if save is not None else None
    if saved is not None:
        echo(f"saved the portfolio's counts as {plain(saved.name)!r}", err=True)
    if export is not None:
        _export(p, export, output or "-", filters, force)
    elif as_json:
        echo_json(
            {
                "pilots": [r.to_json() for r in p.rows],
                "stalls": [{"key": s.key, "label": s.label, "pilots": list(s.pilots)}
                           for s in p.stalls],
                "phase_times": p.phase_times,
                "quarters": [{"quarter": q.quarter, "decided": q.decided,
                              "production": q.production, "rate": q.rate} for q in p.quarters],
                "rate": p.rate,
                "stalled_trend": [{"quarter": x.quarter, "pilots": x.pilots,
                                   "stalled": x.stalled} for x in p.trend],
                "production": p.production,
                "came_back": p.came_back,
                **({"since_saved": {
                    "name": compared[0].name, "saved_at": compared[0].saved_at,
                    "changed": [{"what": c.what, "was": c.was, "now": c.now}
                                for c in compared[1]]}} if compared else {}),
            }
        )  # fmt: skip
    elif fmt == "csv":
        echo(_csv(p).replace("\r\n", "\n"), nl=False)  # a terminal shows a CR as an escape
    elif not p.rows:
        echo("no pilots match" if filters != Filters() else "no pilots yet")
    else:
        # Owners and reasons repeat across thousands of pilots: each made safe once.
        text = lru_cache(maxsize=8192)(plain)
        echo("\n".join(columns([HEAD, *(_line(r, text) for r in p.rows)])))
        echo("\n".join(_stall_text(p)))
        if compared is not None:
            _compared_text(*compared)


def _light(filters: Filters, sort: str, since: date | None) -> Portfolio | None:
    """The report read without the store's models (`workshop/quickportfolio.py`), or
    None for the full path and its checks."""
    from pilotbook.locations import resolve_store
    from pilotbook.workshop.portfolio_build import check
    from pilotbook.workshop.quickportfolio import light_report

    check(filters, sort)  # bad input is one line whichever path reads the store
    try:
        location = resolve_store(state.db).value
    except Exception:
        return None  # the full path says what is wrong, in one line
    return light_report(location, filters, sort=sort, since=since)


def _selection(f: object) -> str:
    from dataclasses import asdict

    return ", ".join(f"{k} {v}" for k, v in asdict(f).items() if v is not None)  # type: ignore[call-overload]


def _export(p: Portfolio, fmt: str, output: str, filters: object, force: bool) -> None:
    from pilotbook.cli import exits
    from pilotbook.export.pdf import PdfUnavailable
    from pilotbook.export.programme import review
    from pilotbook.workshop.review import ExportError, ExportExists, write_export

    try:
        data = review(p, fmt, title="AI pilots", selection=_selection(filters))
    except PdfUnavailable as e:
        fail(str(e), exits.UNAVAILABLE)
    if output == "-":
        echo(data if isinstance(data, str) else "", nl=False)
        return
    try:
        path = write_export(data, Path(output), overwrite=force)
    except ExportExists:
        fail(f"{output} is there already: add --force to replace it", exits.CANT_CREATE)
    except ExportError as e:
        fail(str(e), exits.CANT_CREATE)
    echo(f"wrote {plain(str(path))}", err=True)
