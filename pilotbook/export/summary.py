"""The pieces of the one-page summary that are worked out, not just shown.

The summary opens the brief and must fit one printed page, so what it
holds is shaped here: the integration budget as a multiple of the prototype,
the kill criteria with the latest measurement against each, and texts cut to
a length a page can hold (the appendix has them in full).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pilotbook.playbook.kinds.numbers import number_text

if TYPE_CHECKING:
    from pilotbook.export.document import Document
    from pilotbook.export.qview import QView

# The owners after launch: the playbook's post-launch roles, in its order.
OWNER_PATTERNS = ("process_owner", "owner_*", "vendor_contact", "tag:owner")
# What page 1 holds of each list before it folds the rest into "and N more".
PAGE_REASONS = 5
PAGE_PEOPLE = 10
PAGE_METRICS = 4
PAST_KILL = "past kill threshold"
# The usual cost of production work, in prototype costs (the articles' rule of thumb).
BUDGET_LOW, BUDGET_HIGH = 3.0, 5.0


@dataclass(frozen=True)
class MetricRow:
    """A kill criterion of the scorecard, with the latest measurement against it."""

    label: str
    baseline: str
    target: str
    kill: str
    latest: str  # "" when nothing is measured yet
    measured_on: str
    status: str


@dataclass(frozen=True)
class PersonRow:
    """A role after launch and who holds it, or a sign-off, for page 1's table."""

    role: str
    person: str  # "" when nobody is named
    state: str  # answered, not-applicable, unanswered, or signoff
    signed: str  # "signed 2026-12-01" (or "signed" with no date), "" when not signed


@dataclass(frozen=True)
class BudgetCheck:
    multiple: float  # the integration budget in prototype costs
    budget: str
    prototype: str

    @property
    def verdict(self) -> str:
        if self.multiple < BUDGET_LOW:
            return "below"
        return "above" if self.multiple > BUDGET_HIGH else "within"


def metric_rows(scorecard: Any) -> tuple[MetricRow, ...]:
    """The scorecard's metrics as text; `scorecard` is the service's Scorecard or None."""
    if scorecard is None:
        return ()
    rows = []
    for card in scorecard.cards:
        m = card.metric
        latest = card.latest

        def num(v: float | None, m: Any = m) -> str:
            return "–" if v is None else " ".join(filter(None, (number_text(v), m.unit)))

        rows.append(
            MetricRow(
                label=m.label,
                baseline=num(m.baseline),
                target=num(m.target),
                kill=num(m.kill),
                latest=num(latest.value) if latest else "",
                measured_on=latest.measured_on.isoformat() if latest else "",
                status=card.status,
            )
        )
    return tuple(rows)


def budget_check(doc: Document) -> BudgetCheck | None:
    proto = doc.q("prototype_cost") or doc.one("tag:prototype_cost")
    budget = doc.q("integration_budget") or doc.one("tag:integration_budget")
    if not (proto and budget and proto.answered and budget.answered):
        return None
    if not _number(proto.value) or _number(budget.value) is None:
        return None
    return BudgetCheck(float(budget.value) / float(proto.value), budget.text, proto.text)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def owners(doc: Document) -> list[QView]:
    """The people named for the roles after launch (a role not asked is left out)."""
    return doc.pick(*OWNER_PATTERNS)


def counted(reasons: Any) -> str:
    """How many reasons of each result, worst first: "7 no-go, 1 not ready"."""
    counts: dict[str, int] = {}
    for r in reasons:
        counts[r.result_label] = counts.get(r.result_label, 0) + 1
    return ", ".join(f"{n} {label.lower()}" for label, n in counts.items())


def shorten(text: object, limit: int = 160) -> str:
    """One line of at most `limit` characters, cut at a word, for the summary page."""
    s = " ".join(str(text or "").split())
    if len(s) <= limit:
        return s
    cut = s[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


def pairs(items: list[Any]) -> list[tuple[Any, Any]]:
    """Items two by two, so a short list takes half the lines in a table."""
    out = []
    for i in range(0, len(items), 2):
        out.append((items[i], items[i + 1] if i + 1 < len(items) else None))
    return out


def page_one_reasons(reasons: tuple[Any, ...]) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """(shown, folded): every hard stop (crossed kill thresholds included), then the
    other reasons up to PAGE_REASONS, in the verdict's order."""
    stops = [r for r in reasons if r.result == "no-go"]
    room = max(0, PAGE_REASONS - len(stops))
    others = [r for r in reasons if r.result != "no-go"]
    chosen = {id(r) for r in [*stops, *others[:room]]}
    shown = tuple(r for r in reasons if id(r) in chosen)
    return shown, tuple(r for r in reasons if id(r) not in chosen)


def role_of(ask: str) -> str:
    """A role from the question that asks for it: "Who owns the workflow?" ->
    "Owns the workflow"."""
    text = " ".join(ask.split()).rstrip("?").strip()
    if text.lower().startswith("who "):
        text = text[4:]
    return shorten(text[:1].upper() + text[1:], 26)


def people(doc: Document) -> list[PersonRow]:
    """The owners after launch, each with their sign-off when they signed, then
    the other people who signed this document."""
    signoffs = list(doc.signoffs_for(doc.kind))
    rows = []
    for q in owners(doc):
        person = q.text if q.answered else ""
        signed = ""
        for s in signoffs:
            if person and _same_person(s.name, person):
                signed = _signed(s.when)
                signoffs.remove(s)
                break
        rows.append(PersonRow(role_of(q.ask), person, q.state, signed))
    for s in signoffs:
        rows.append(PersonRow(s.role or "Signs", s.name, "signoff", _signed(s.when)))
    return rows


def _signed(when: str) -> str:
    return f"signed {when}" if when else "signed"


def _same_person(name: str, text: str) -> bool:
    # "Dev Patel" signs; the owner's answer may be "Dev Patel (team lead)".
    a, b = " ".join(name.split()).casefold(), " ".join(text.split()).casefold()
    return bool(a) and (a == b or b.startswith(a + " ") or b.startswith(a + ","))


def page_one_metrics(rows: tuple[MetricRow, ...]) -> tuple[MetricRow, ...]:
    """Every metric past its kill threshold, then the others up to PAGE_METRICS."""
    crossed = [m for m in rows if m.status == PAST_KILL]
    room = max(0, PAGE_METRICS - len(crossed))
    chosen = {id(m) for m in [*crossed, *[m for m in rows if m.status != PAST_KILL][:room]]}
    return tuple(m for m in rows if id(m) in chosen)
