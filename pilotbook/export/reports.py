"""Markdown for what changed, the scorecard, retired answers and the as-of note.

The workshop service returns the data (`Diff`, `SinceLast`, `Scorecard`,
`RetiredAnswer`, `SnapshotInfo` from `pilotbook.workshop`); the CLI prints
these and the exports append them. The export layer sits below the workshop,
so the data comes in as it is, read by its attribute names, as
`build_document` reads the service's views. Everything a team typed is
escaped for where it lands (table cells, inline text, Mermaid labels), so an
answer can never add a heading, a row or a tag.
"""

from __future__ import annotations

from typing import Any, TypeAlias

from pilotbook.export.escape import md_cell, md_inline, mermaid_label

# The workshop's dataclasses, named for readers; typed Any as said above.
Diff: TypeAlias = Any
SinceLast: TypeAlias = Any
Scorecard: TypeAlias = Any
MetricCard: TypeAlias = Any
RetiredAnswer: TypeAlias = Any
SnapshotInfo: TypeAlias = Any

CHANGE_WORDS = {"added": "Added", "changed": "Changed", "cleared": "Cleared"}


def _when(d: Diff, side: str) -> str:
    state = d.then if side == "then" else d.now
    if state.at is None:
        return "now"
    return f"{md_inline(state.label)} ({state.at:%Y-%m-%d %H:%M} UTC)"


def diff_markdown(d: Diff, title: str | None = None) -> str:
    lines = [f"# {md_inline(title)}" if title else "# What changed", ""]
    lines.append(f"From {_when(d, 'then')} to {_when(d, 'now')}.")
    lines.append("")
    lines.append(
        f"{d.count('added')} added, {d.count('changed')} changed, {d.count('cleared')} cleared."
    )
    lines += ["", "## Verdict", ""]
    then, now = d.verdict_then, d.verdict_now
    if d.verdict_changed:
        lines.append(f"Then: **{md_inline(then.label)}**. Now: **{md_inline(now.label)}**.")
    else:
        lines.append(f"**{md_inline(now.label)}**, then and now.")
    gone = [r for r in then.reasons if r not in now.reasons]
    new = [r for r in now.reasons if r not in then.reasons]
    if new or gone:
        lines.append("")
    lines += [f"- New reason: {md_inline(r)}" for r in new]
    lines += [f"- Reason gone: {md_inline(r)}" for r in gone]
    for section in d.sections:
        lines += ["", f"## {md_inline(section.title)}", ""]
        lines += ["| Question | Change | Then | Now |", "| --- | --- | --- | --- |"]
        for c in section.changes:
            lines.append(
                f"| {md_cell(c.ask)} (`{c.question_id}`) | {CHANGE_WORDS[c.change]} | "
                f"{md_cell(c.old_text)} | {md_cell(c.new_text)} |"
            )
    if d.actions_opened or d.actions_closed:
        lines += ["", "## Actions", ""]
        lines += [f"- Opened: {md_inline(a['title'])}" for a in d.actions_opened]
        lines += [f"- Closed: {md_inline(a['title'])}" for a in d.actions_closed]
    if d.empty:
        lines += ["", "Nothing changed."]
    return "\n".join(lines) + "\n"


def since_markdown(s: SinceLast) -> str:
    """The short summary shown first when a pilot with a snapshot is opened again."""
    d = s.diff
    lines = [f"## Since {md_inline(s.snapshot.label)} ({s.snapshot.at:%Y-%m-%d})", ""]
    lines.append(
        f"- Answers: {d.count('added')} added, {d.count('changed')} changed, "
        f"{d.count('cleared')} cleared"
    )
    if d.verdict_changed:
        lines.append(f"- Verdict: {d.verdict_then.label} then, {d.verdict_now.label} now")
    for a in s.overdue:
        due = a.due.isoformat() if a.due else ""
        lines.append(f"- Overdue: {md_inline(a.title)} (due {due})")
    for m in s.missing_measurements:
        lines.append(f"- Not measured since: {md_inline(m.label)}")
    return "\n".join(lines) + "\n"


def _num(value: float | None, unit: str | None = None) -> str:
    if value is None:
        return "–"
    return f"{value:g} {unit}" if unit else f"{value:g}"


def scorecard_table(card: Scorecard) -> str:
    lines = [
        "| Metric | Baseline | Target | Kill threshold | Better | Latest | Trend | Status |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for c in card.cards:
        m, latest = c.metric, c.latest
        shown = f"{_num(latest.value, m.unit)} ({latest.measured_on})" if latest else "–"
        lines.append(
            f"| {md_cell(m.label)} | {md_cell(_num(m.baseline, m.unit))} | "
            f"{md_cell(_num(m.target, m.unit))} | {md_cell(_num(m.kill, m.unit))} | "
            f"{m.direction.split(' ')[0]} | {md_cell(shown)} | {c.sparkline or '–'} | "
            f"{c.status} |"
        )
    return "\n".join(lines) + "\n"


def mermaid_chart(c: MetricCard) -> str:
    """An xychart of the measurements, with the baseline, target and kill threshold as lines."""
    m = c.metric
    xs = ", ".join(f'"{p.measured_on.isoformat()}"' for p in c.points)
    lines = [
        "```mermaid",
        "xychart-beta",
        f'    title "{mermaid_label(m.label)}"',
        f"    x-axis [{xs}]",
        f'    y-axis "{mermaid_label(m.unit or "value")}"',
        f"    line [{', '.join(f'{p.value:g}' for p in c.points)}]",
    ]
    for level in (m.baseline, m.target, m.kill):
        if level is not None:
            lines.append(f"    line [{', '.join(f'{level:g}' for _ in c.points)}]")
    lines.append("```")
    return "\n".join(lines)


def scorecard_markdown(card: Scorecard, heading: str = "##") -> str:
    lines = [f"{heading} Scorecard", ""]
    if not card.cards:
        lines.append("No baseline metrics are defined yet.")
        return "\n".join(lines) + "\n"
    lines.append(scorecard_table(card))
    for c in card.cards:
        if c.points:
            lines += [
                f"{heading}# {md_inline(c.metric.label)}",
                "",
                "Lines: measured, then baseline, target and kill threshold.",
                "",
                mermaid_chart(c),
                "",
            ]
    return "\n".join(lines).rstrip("\n") + "\n"


def retired_markdown(retired: list[RetiredAnswer], heading: str = "##") -> str:
    lines = [f"{heading} Appendix: retired answers", ""]
    lines.append("Answers to questions that a newer version of the playbook no longer asks.")
    lines += ["", "| Question | Section | Answer |", "| --- | --- | --- |"]
    for r in retired:
        lines.append(
            f"| {md_cell(r.ask)} (`{r.question_id}`) | {md_cell(r.section_title or '')} | "
            f"{md_cell(r.text)} |"
        )
    return "\n".join(lines) + "\n"


def as_of_markdown(
    snapshot: SnapshotInfo | None,
    scorecard: Scorecard,
    retired: list[RetiredAnswer],
    kind: str,
    sections: bool = True,
) -> str:
    """What a document adds after its template: the as-of note of a snapshot, then
    (unless the playbook's own template decides the whole document) the scorecard
    and, in a brief, the retired answers."""
    parts: list[str] = []
    if snapshot is not None:
        s = snapshot
        parts.append(
            f"_As of the snapshot {md_inline(s.label)}, taken {s.at:%Y-%m-%d %H:%M} UTC "
            f"(playbook version {s.playbook_version or '?'})._\n"
        )
    if not sections:
        return "\n".join(parts)
    if scorecard.cards:
        parts.append(scorecard_markdown(scorecard))
    if retired and kind == "brief":
        parts.append(retired_markdown(list(retired)))
    return "\n".join(parts)
