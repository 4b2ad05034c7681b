"""Answers to an imported lens, in the shape the Well-Architected Tool's UpdateAnswer
API takes, so a review done in a workshop can be carried into the tool.

One entry per answered lens question: `QuestionId` and `SelectedChoices` in
the lens's own ids (kept in `source` when the lens was imported), `Notes`,
and `IsApplicable` / `Reason` for a question marked not applicable. A
question with a note and no choice yet gets `QuestionId` and `Notes` only, so
the note reaches the tool. Notes longer than the API takes are cut with a
visible mark at the end. The
workload id and the lens alias (its ARN once imported into the tool) are
the tool's to know: they are left for the user to add to each entry.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pilotbook.playbook.model import Playbook

NOTES_LIMIT = 2084  # UpdateAnswer's Notes: at most 2084 characters (its API model)
CUT_MARK = "…"


class NotALens(ValueError):
    """The playbook was not imported from a lens: there is nothing to map back."""


def wa_answers(
    playbook: Playbook, answers: Mapping[str, Any], *, pilot_slug: str, pilot_name: str
) -> dict[str, Any]:
    """`answers` maps a question id to an object with value, na_reason and note."""
    lens_questions = [q for q in playbook.questions() if q.source]
    if not lens_questions:
        raise NotALens(
            f"playbook {playbook.id} was not imported from a lens: its questions have no "
            "`source` ids to give the Well-Architected Tool"
        )
    updates = []
    for q in lens_questions:
        a = answers.get(q.id)
        if a is None or getattr(a, "retired", False):
            continue
        entry: dict[str, Any] = {"QuestionId": q.source}
        if a.na_reason is not None:
            entry |= {"IsApplicable": False, "Reason": "OTHER"}
            note = f"Not applicable: {a.na_reason}" + (f"\n{a.note}" if a.note else "")
        elif isinstance(a.value, list):
            by_id = {o.id: o.source or o.id for o in q.options}
            entry |= {
                "IsApplicable": True,
                "SelectedChoices": [by_id[v] for v in a.value if v in by_id],
            }
            note = a.note
        elif a.note:
            note = a.note  # a note alone: UpdateAnswer takes Notes without choices
        else:
            continue
        if note:
            entry["Notes"] = cut_note(note)
        updates.append(entry)
    return {
        "lens": playbook.title,
        "playbook": {"id": playbook.id, "version": playbook.version},
        "pilot": {"slug": pilot_slug, "name": pilot_name},
        "howto": "Add WorkloadId and LensAlias (the lens's ARN in the tool) to each entry of "
        "UpdateAnswer, then send each as the input of the UpdateAnswer API call.",
        "UpdateAnswer": updates,
    }


def cut_note(note: str) -> str:
    """`note` within the API's limit; a cut note ends with a visible mark."""
    if len(note) <= NOTES_LIMIT:
        return note
    return note[: NOTES_LIMIT - len(CUT_MARK)].rstrip() + CUT_MARK


def wa_json(playbook: Playbook, answers: Mapping[str, Any], **pilot: str) -> str:
    from pilotbook.textsafe import json_safe

    # C1 and bidi characters from lens text as \uXXXX: the same data, and no
    # raw control for a terminal (nor one shown as `\x85`, which is not JSON).
    text = json.dumps(wa_answers(playbook, answers, **pilot), indent=2, ensure_ascii=False)
    return json_safe(text) + "\n"
