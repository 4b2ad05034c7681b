"""Words, not ids, wherever a person reads.

The brief, the charter, `pilotbook show` and `pilotbook verdict` of the demo
pilot must not show a playbook id (of a question, a gate, an option, a
checklist item or a phase) where the playbook has words for it.

The rule for what counts as an id in the text, since many ids are also
ordinary words ("before", "design", "committed"): an id is flagged when it
contains `_` or `-` (`then_plan_gaps`, `missing-answers`) and stands as a
whole token, after Markdown's backslash escapes are undone. An id that is
one plain word is never flagged: it reads as the word. Verdict ids
(`no-go`, `not-ready`) are words of the language and are not playbook ids.
`--json` output keeps the ids and is not checked.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from export_helpers import ROOT, run

from pilotbook.playbook.model import Playbook

TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*[A-Za-z0-9]")


def playbook_ids(book: Playbook) -> set[str]:
    ids = {p.id for p in book.phases} | {g.id for g in book.verdict}
    for q in book.questions():
        ids.add(q.id)
        ids |= {o.id for o in q.options} | {i.id for i in q.items}
        for c in q.columns:
            ids |= {c.id} | {o.id for o in c.options}
        ids |= {f"risk-{q.id}", f"kill-{q.id}"}
    ids.add("missing-answers")
    return {i for i in ids if "_" in i or "-" in i}


def leaks(text: str, ids: set[str]) -> list[str]:
    plain = re.sub(r"\\(.)", r"\1", text)
    return sorted({t for t in TOKEN.findall(plain) if t in ids})


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from pilotbook.demo import fill_demo
    from pilotbook.workshop import open_workshop
    from pilotbook.workshop.review import export_document

    folder = tmp_path_factory.mktemp("words")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PILOTBOOK_HOME", str(folder / "home"))
        mp.setenv("PILOTBOOK_PLAYBOOKS", str(ROOT / "playbooks"))
        db = str(folder / "demo.db")
        ws = open_workshop(db)
        pilot = fill_demo(ws, dt.date(2026, 11, 30))
        book = ws.playbooks.for_pilot(pilot.id)
        out = {kind: str(export_document(ws, pilot.id, kind).text) for kind in ("brief", "charter")}
        ws.close()
        out["show"] = run(db, "show", pilot.slug).stdout
        out["verdict"] = run(db, "verdict", pilot.slug, code=2).stdout
    out["ids"] = "\n".join(sorted(playbook_ids(book)))
    return out


@pytest.mark.parametrize("where", ["brief", "charter", "show", "verdict"])
def test_no_playbook_id_where_a_person_reads(demo, where) -> None:
    ids = set(demo["ids"].splitlines())
    assert "then_plan_gaps" in ids and "owner_incidents" in ids  # the check checks something
    assert leaks(demo[where], ids) == [], demo[where]


def test_the_check_finds_an_id() -> None:
    ids = {"then_plan_gaps", "system_of_record", "missing-answers"}
    text = "| then\\_plan\\_gaps | x |\nmissing-answers … system_of_record; then plan gaps"
    assert leaks(text, ids) == ["missing-answers", "system_of_record", "then_plan_gaps"]
