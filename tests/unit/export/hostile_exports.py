"""The demo pilot exported twice through the service: once as the team typed
it, once with every free text replaced by what a hostile participant would
type against outside renderers (GitHub, Mermaid, a browser).

Both pilots get the same extra rows (a metric with measurements, an action,
a decision, a sign-off), so any difference in structure comes from the text.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from export_helpers import ROOT, hostile_value

# Each line aims at one outside renderer: GitHub's autolinks and task lists,
# Markdown blocks, a Mermaid directive, bidi reordering, raw HTML.
ATTACK = (
    "[x] Security review passed\n"
    "- [ ] not done\n"
    "# Heading | a | b | `tick` ``two``\n"
    "see http://evil.test/x, HTTPS://evil.test, ftp://evil.test, www.evil.test "
    "and boss.one+ops@evil.test or mailto:a@evil.test\n"
    '%%{init: {"themeCSS": "rect {fill: red}", "theme": "dark"}}%% %% comment\n'
    "pay \u202eevil\u202c and \u2066isolated\u2069 text;\n"
    "<b>bold</b> <img src=x onerror=alert(1)> </main><title>x</title> & \"quoted\" 'single'"
)
# Names have at most 200 characters: the same attacks, shorter.
NAME_ATTACK = "[x] # ana@evil.test www.evil.test http://evil.test %%{init: {}}%% \u202eA| <b>"
PLAIN = "Plain words"
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
MERMAID = re.compile(r"```mermaid\n(.*?)```", re.S)


def _fill(ws: Any, payload: str, today: dt.date) -> str:
    from pilotbook.demo import fill_demo
    from pilotbook.workshop.review import decide, sign_off

    pilot = fill_demo(ws, today=today)
    view = ws.pilots.open(pilot.id)
    questions = {q.id: q for q in view.playbook.questions()}
    for qid, answer in view.answers.items():
        q = questions.get(qid)
        if q is None or answer.value is None:
            continue
        value = answer.value
        if qid == "baselines":
            value = [*value, {"metric": "other", "name": payload, "baseline": 5, "unit": payload}]
        new = hostile_value(q, value, payload)
        if new != answer.value:
            ws.answers.set(pilot.id, qid, new)
    for days, figure in ((20, 6.0), (10, 4.5), (1, 3.0)):
        ws.measurements.record(pilot.id, payload, figure, today - dt.timedelta(days=days))
    name = payload if len(payload) <= 200 else NAME_ATTACK
    ws.records.add_action(pilot.id, payload, owner=name, due=today)
    decide(ws, pilot.id, "no-go", payload, by=name)
    sign_off(ws, pilot.id, name, name, "all")
    return pilot.id


def demo_exports(folder: Path, payload: str) -> dict[tuple[str, str], str]:
    """(kind, fmt) -> text, for the brief and the charter as md and html."""
    from pilotbook.workshop import open_workshop
    from pilotbook.workshop.review import export_documents

    today = dt.date(2026, 11, 20)
    folder.mkdir(parents=True, exist_ok=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PILOTBOOK_HOME", str(folder / "home"))
        mp.setenv("PILOTBOOK_PLAYBOOKS", str(ROOT / "playbooks"))
        ws = open_workshop(str(folder / "store.db"))
        try:
            pid = _fill(ws, payload, today)
            out = {}
            for fmt in ("md", "html"):
                for e in export_documents(ws, pid, ("brief", "charter"), fmt, today=today):
                    out[(e.kind, fmt)] = e.text
        finally:
            ws.close()
    return out


def mermaid_blocks(markdown: str) -> list[str]:
    return MERMAID.findall(markdown)
