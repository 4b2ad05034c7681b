"""The live verdict, always on screen; clicking it (or F9) opens the reasons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message
from textual.widgets import Static

if TYPE_CHECKING:
    from pilotbook.rules import Assessment

VERDICT_MARK = {
    "not-ready": ("○", "-not-ready"),
    "no-go": ("✖", "-no-go"),
    "conditional": ("▲", "-conditional"),
    "go": ("✓", "-go"),
}


def short_label(label: str) -> str:
    """A verdict label for a narrow column: "No-go · 8 missing" for the long form."""
    head, sep, rest = label.partition(" — and ")
    if not sep:
        return label
    return f"{head} · {rest.split(' ', 1)[0]} missing"


def verdict_text(
    assessment: Assessment | None, answered: int, total: int, stale: str | None = None
) -> str:
    """The line; `stale` says why the verdict shown is not the answers' current one."""
    if assessment is None and stale is not None:
        return f"⚠ Verdict not worked out: {stale}"
    if assessment is None:
        return f"Verdict: working it out…  ·  {answered} of {total} questions answered"
    if stale is not None:
        # First, where a narrow terminal still shows it: the verdict may be wrong now.
        return f"⚠ Out of date, not recomputed ({stale}) · was: {assessment.label}"
    mark = VERDICT_MARK[assessment.verdict][0]
    text = f"{mark} Verdict: {assessment.label}"
    missing = len(assessment.missing)
    if assessment.verdict == "not-ready":
        text += f" · {missing} required answer{'s' if missing != 1 else ''} missing"
    elif assessment.blocking:
        text += f" · {len(assessment.blocking)} reason{'s' if len(assessment.blocking) > 1 else ''}"
    if assessment.problems:
        text += f" · {len(assessment.problems)} playbook problem(s)"
    return text + "  ·  F9 why"


class VerdictLine(Static):
    DEFAULT_CSS = """
    VerdictLine { height: 1; padding: 0 1; background: $panel; }
    VerdictLine.-no-go { background: $error 40%; }
    VerdictLine.-conditional { background: $warning 30%; }
    VerdictLine.-go { background: $success 40%; }
    VerdictLine.-stale { background: $warning 50%; }
    """

    class Clicked(Message):
        pass

    def show(
        self, assessment: Assessment | None, answered: int, total: int, stale: str | None = None
    ) -> None:
        wanted = VERDICT_MARK[assessment.verdict][1] if assessment is not None else ""
        for _, cls in VERDICT_MARK.values():
            self.set_class(cls == wanted and stale is None, cls)
        self.set_class(stale is not None, "-stale")
        text = verdict_text(assessment, answered, total, stale)
        if text != getattr(self, "_shown", None):  # an update means a new layout pass
            self._shown = text
            self.update(text)

    def on_click(self) -> None:
        self.post_message(self.Clicked())
