"""The playbook language: immutable pydantic models loaded from YAML.

A playbook is data. These models are the contract between the YAML files,
the loader (which reports errors with file, line and column), the rules
engine, the store and both front ends.

Answer values, as stored (JSON) and as seen by CEL conditions:

| type        | value                                                    |
| ----------- | -------------------------------------------------------- |
| text        | string                                                   |
| longtext    | string (Markdown allowed, shown literally)               |
| choice      | option id (string)                                       |
| multichoice | list of option ids                                       |
| yesno       | bool                                                     |
| number      | number (a double in CEL)                                 |
| money       | number, in the question's `unit` (a currency code)       |
| percent     | number, 0 to 100                                         |
| date        | ISO date string, YYYY-MM-DD                              |
| person      | string (a name, optionally "Name (role)")                |
| list        | list of strings                                          |
| table       | list of rows; a row maps column id to a cell value       |
| checklist   | map of item id to "pass", "fail" or "unknown"            |

In CEL, `answers` maps every question id to its value, or null when it is
unanswered or not applicable; `na` is the list of question ids marked not
applicable; a question's own risk rules also see its value as `answer`.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
SLUG_PATTERN = r"^[a-z][a-z0-9-]*$"

Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=64)]
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=64)]

QuestionType = Literal[
    "text",
    "longtext",
    "choice",
    "multichoice",
    "yesno",
    "number",
    "money",
    "percent",
    "date",
    "person",
    "list",
    "table",
    "checklist",
]
CellType = Literal["text", "number", "money", "percent", "date", "person", "choice", "yesno"]
Risk = Literal["high", "medium", "none"]
GateResult = Literal["not-ready", "no-go", "conditional"]

NUMERIC_TYPES = frozenset({"number", "money", "percent"})
OPTION_TYPES = frozenset({"choice", "multichoice"})

# A timebox: hours, minutes and seconds, each optional but at least one ("15m",
# "1h30m", "90s"). One pattern for the loader and the JSON Schema: ASCII digits
# and spaces only, a lookahead for "at least one", and `(?![\s\S])` for the very
# end (Python's `$` also matches before a final newline), so Python's `re` and an
# editor's ECMA-262 engine accept the same strings.
TIMEBOX_PATTERN = r"^ *(?=[0-9])(?:([0-9]+) *h)? *(?:([0-9]+) *m)? *(?:([0-9]+) *s)? *(?![\s\S])"
_TIMEBOX = re.compile(TIMEBOX_PATTERN)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _mapping_to_list(value: Any, key: str, label: str) -> Any:
    """Accept `{id: label}` as shorthand for `[{id: ..., label: ...}]`.

    The order of entries is kept, so the loader can map an error at list
    index i back to the i-th key of the YAML mapping.
    """
    if isinstance(value, dict):
        items = []
        for k, v in value.items():
            if isinstance(v, dict):
                items.append({key: k, **v})
            else:
                items.append({key: k, label: v})
        return items
    return value


class Option(_Model):
    id: Id
    label: str = Field(min_length=1)
    help: str | None = None
    # Only on multichoice: choosing it means none of the others ("None of these").
    exclusive: bool = False
    # A suggested action, offered when this option is not chosen and its
    # question is at risk (an imported lens's improvement plan).
    improve: str | None = None
    # The option's id in the questionnaire it was imported from (a lens choice id).
    source: str | None = None


class Column(_Model):
    id: Id
    title: str = Field(min_length=1)
    type: CellType = "text"
    options: tuple[Option, ...] = ()
    unit: str | None = None
    required: bool = False

    @field_validator("options", mode="before")
    @classmethod
    def _options(cls, v: Any) -> Any:
        return _mapping_to_list(v, "id", "label")


class ChecklistItem(_Model):
    id: Id
    label: str = Field(min_length=1)
    help: str | None = None

    # Checklist items are written either as `{id: label}` pairs or full objects.


class RiskRule(_Model):
    """One rule of a question's risk: the first rule whose `if` holds wins.

    `verdict` says what this risk does to the verdict while nobody has dealt
    with it: a high risk caps it at `conditional` unless told otherwise, and
    `no-go` makes it a hard stop that cannot be accepted, only fixed.
    """

    if_: str | None = Field(default=None, alias="if")
    then: Risk
    because: str | None = None
    verdict: Literal["no-go", "conditional"] | None = None

    @property
    def cap(self) -> Literal["no-go", "conditional"] | None:
        if self.verdict is not None:
            return self.verdict
        return "conditional" if self.then == "high" else None


class Question(_Model):
    id: Id
    ask: str = Field(min_length=1)
    type: QuestionType
    help: str | None = None
    placeholder: str | None = None
    why: str | None = None
    required: bool = False
    show_if: str | None = None
    options: tuple[Option, ...] = ()
    columns: tuple[Column, ...] = ()
    items: tuple[ChecklistItem, ...] = ()
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    risk: tuple[RiskRule, ...] = ()
    tags: tuple[str, ...] = ()
    # The question's id in the questionnaire it was imported from (a lens question id).
    source: str | None = None

    @field_validator("options", mode="before")
    @classmethod
    def _options(cls, v: Any) -> Any:
        return _mapping_to_list(v, "id", "label")

    @field_validator("items", mode="before")
    @classmethod
    def _items(cls, v: Any) -> Any:
        return _mapping_to_list(v, "id", "label")

    @field_validator("min", "max")
    @classmethod
    def _bounds(cls, v: float | None, info: ValidationInfo) -> float | None:
        return _check_bound(str(info.field_name), v, info)

    @model_validator(mode="after")
    def _shape(self) -> Question:
        if self.type in OPTION_TYPES and not self.options:
            raise ValueError(f"a {self.type} question needs `options`")
        if self.type not in OPTION_TYPES and self.options:
            raise ValueError(f"`options` only belong to choice and multichoice, not {self.type}")
        if self.type != "multichoice" and any(o.exclusive for o in self.options):
            raise ValueError("`exclusive` options only belong to multichoice questions")
        if self.type == "table" and not self.columns:
            raise ValueError("a table question needs `columns`")
        if self.type != "table" and self.columns:
            raise ValueError(f"`columns` only belong to table questions, not {self.type}")
        if self.type == "checklist" and not self.items:
            raise ValueError("a checklist question needs `items`")
        if self.type != "checklist" and self.items:
            raise ValueError(f"`items` only belong to checklist questions, not {self.type}")
        if (self.min is not None or self.max is not None) and self.type not in NUMERIC_TYPES:
            raise ValueError(f"`min` and `max` only belong to numeric questions, not {self.type}")
        for rule in self.risk[:-1]:
            if rule.if_ is None:
                raise ValueError("only the last risk rule may leave out `if`")
        return self

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options)

    def option_label(self, option_id: str) -> str:
        for o in self.options:
            if o.id == option_id:
                return o.label
        return option_id


def _check_bound(name: str, bound: float | None, info: ValidationInfo) -> float | None:
    """`min` and `max` must be numbers an answer can reach, `min` first; the error
    points at the key that is wrong."""
    from pilotbook.playbook.kinds.base import MAX_NUMBER

    if bound is None:
        return None
    if not math.isfinite(bound) or abs(bound) > MAX_NUMBER:
        raise ValueError(f"`{name}` must be a finite number of at most {MAX_NUMBER:,} in size")
    if info.data.get("type") == "percent" and not 0 <= bound <= 100:
        raise ValueError(f"`{name}` of a percent question must be from 0 to 100")
    low = info.data.get("min")
    if name == "max" and low is not None and low > bound:
        raise ValueError(f"`min` ({low:g}) is more than `max` ({bound:g})")
    return bound


class Phase(_Model):
    id: Id
    title: str = Field(min_length=1)
    description: str | None = None
    # The decision this phase's verdict answers, e.g. "Should this pilot start?"
    decides: str | None = None


class Section(_Model):
    id: Id
    phase: Id
    title: str = Field(min_length=1)
    timebox: str | None = None
    guide: str | None = None
    questions: tuple[Question, ...] = Field(min_length=1)

    @field_validator("timebox")
    @classmethod
    def _timebox(cls, v: str | None) -> str | None:
        if v is not None and _TIMEBOX.fullmatch(v) is None:
            raise ValueError("a timebox looks like 15m, 1h30m or 90s")
        return v

    @property
    def timebox_seconds(self) -> int | None:
        if self.timebox is None:
            return None
        m = _TIMEBOX.fullmatch(self.timebox)
        assert m is not None
        h, mi, s = (int(g or 0) for g in m.groups())
        return h * 3600 + mi * 60 + s


class VerdictRule(_Model):
    """A gate: when `if` holds, the verdict is at most `then`, for `because`."""

    id: Id
    if_: str = Field(alias="if")
    then: GateResult
    because: str = Field(min_length=1)
    fix: str | None = None
    questions: tuple[Id, ...] = ()
    # The first phase whose decision this gate takes part in; it counts in
    # every later phase too. Left out: the latest phase of the questions it reads.
    phase: Id | None = None


class Templates(_Model):
    """Export templates a playbook ships itself, relative to the playbook file."""

    brief: str | None = None
    charter: str | None = None


ScaleLabel = Annotated[str, Field(min_length=1, max_length=80)]


class Rounds(_Model):
    """How a playbook words the rounds the room answers on their own devices."""

    # The confidence vote's five points, from 1 (lowest) to 5; left out, the
    # default wording (rounds.CONFIDENCE in the service).
    confidence_scale: tuple[ScaleLabel, ...] | None = Field(
        default=None,
        description="The confidence vote's five points, worded from 1 (lowest) to 5.",
        json_schema_extra={"minItems": 5, "maxItems": 5},
    )

    @field_validator("confidence_scale")
    @classmethod
    def _five_points(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if value is not None and len(value) != 5:
            raise ValueError(
                "`confidence_scale` has five points, from 1 (lowest) to 5; "
                f"this one has {len(value)}"
            )
        return value


class Playbook(_Model):
    id: Slug
    # Stored in a 32-bit column on PostgreSQL (and SQLite's 64-bit one).
    version: int = Field(ge=1, le=2**31 - 1)
    title: str = Field(min_length=1)
    description: str | None = None
    phases: tuple[Phase, ...] = Field(min_length=1)
    sections: tuple[Section, ...] = Field(min_length=1)
    verdict: tuple[VerdictRule, ...] = ()
    templates: Templates | None = None
    rounds: Rounds | None = None

    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)

    def question(self, question_id: str) -> Question:
        for s in self.sections:
            for q in s.questions:
                if q.id == question_id:
                    return q
        raise KeyError(question_id)

    def section_of(self, question_id: str) -> Section:
        for s in self.sections:
            if any(q.id == question_id for q in s.questions):
                return s
        raise KeyError(question_id)

    def sections_in(self, phase_id: str) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.phase == phase_id)

    def phase_index(self, phase_id: str | None) -> int:
        """Where a phase stands in the playbook; an unknown or missing phase is the last,
        so a pilot whose phase cannot be told is held to every rule."""
        for i, p in enumerate(self.phases):
            if p.id == phase_id:
                return i
        return len(self.phases) - 1

    def gate_phase(self, gate: VerdictRule, reads: tuple[str, ...] = ()) -> int:
        """The index of the first phase whose verdict `gate` counts in."""
        if gate.phase is not None:
            return self.phase_index(gate.phase)
        where = {q.id: self.phase_index(s.phase) for s in self.sections for q in s.questions}
        found = [where[q] for q in (gate.questions or reads) if q in where]
        return max(found) if found else 0
