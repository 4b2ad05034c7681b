"""Number, money and percent: one parser for what people type, one range check."""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

from pilotbook.playbook.kinds.base import MAX_NUMBER, Kind, ValueProblem

# `1,200.50`, `1 200`, `1_200`, `.5`, `2.5e3`; groups of three only, so that
# `1,5` (a decimal comma) is refused rather than read as fifteen.
_NUMBER = r"(?:\d{1,3}(?:[,_ ]\d{3})+|\d+)(?:\.\d*)?(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?"
_TYPED = re.compile(
    rf"(?P<sign>[+-])?\s*(?P<pre>[^\d\s.+-]+)?\s*(?P<sign2>[+-])?\s*(?P<num>{_NUMBER})\s*(?P<post>.*)",
    re.IGNORECASE,
)
_MAGNITUDE = {"k": 10**3, "m": 10**6, "mn": 10**6, "mm": 10**6, "bn": 10**9}
_SIGNS = {"$": None, "€": "EUR", "£": "GBP", "¥": None, "us$": "USD"}
_NOT_FINITE = {"nan", "inf", "-inf", "+inf", "infinity", "-infinity", "+infinity", "∞"}
_PERCENT = {"", "%", "percent", "pct"}
# Durations that convert exactly; months and years only into each other.
_SECONDS = {
    "second": 1,
    "sec": 1,
    "s": 1,
    "minute": 60,
    "min": 60,
    "hour": 3600,
    "hr": 3600,
    "h": 3600,
    "day": 86400,
    "d": 86400,
    "week": 604800,
    "wk": 604800,
    "w": 604800,
}
_MONTHS = {"month": 1, "mo": 1, "year": 12, "yr": 12, "y": 12}
_WORD = re.compile(r"[a-z]+")


def _singular(word: str) -> str:
    word = word.strip().lower().rstrip(".")
    return word[:-1] if len(word) > 2 and word.endswith("s") else word


def _duration_factor(typed: str, unit: str) -> Decimal | None:
    """How many `unit` one `typed` is (`week` in days: 7), or None if they do not convert."""
    a, b = _singular(typed), _singular(unit)
    for table in (_SECONDS, _MONTHS):
        if a in table and b in table:
            return Decimal(table[a]) / Decimal(table[b])
    return None


def is_duration(unit: str | None) -> bool:
    return unit is not None and (_singular(unit) in _SECONDS or _singular(unit) in _MONTHS)


def _bad(q: Any, raw: str) -> ValueProblem:
    if q.type == "money" and q.unit:
        return ValueProblem(q.id, f"an amount in {q.unit}", raw)
    if q.type == "number" and q.unit:
        return ValueProblem(q.id, f"a number of {q.unit}", raw)
    return ValueProblem(q.id, "a number", raw)


def parse_number(q: Any, text: str) -> int | float | None:
    """What people type: `$40,000`, `40k`, `1.2m`, `40000 eur`, `12.5%`, `3 weeks`."""
    raw = " ".join(text.split())
    if not raw:
        return None
    if raw.lower() in _NOT_FINITE:
        raise ValueProblem(q.id, "a finite number", raw)
    m = _TYPED.fullmatch(raw.replace("\u2212", "-"))
    if m is None or (m.group("sign") and m.group("sign2")):
        raise _bad(q, raw)
    number = Decimal(re.sub(r"[,_ ]", "", m.group("num")))
    if (m.group("sign") or m.group("sign2")) == "-":
        number = -number
    pre = (m.group("pre") or "").lower()
    post = m.group("post").strip().lower()
    if q.type == "percent":
        if pre or post not in _PERCENT:
            raise _bad(q, raw)
        return check_number(q, number)
    factor = Decimal(1)
    magnitude = re.match(r"(k|mn|mm|m|bn)\b\s*", post)
    allowed = q.type == "money" or not is_duration(q.unit)
    if magnitude and allowed:
        factor = Decimal(_MAGNITUDE[magnitude.group(1)])
        post = post[magnitude.end() :]
    if q.type == "money":
        _currency(q, raw, pre, post)
    else:
        if pre:
            raise _bad(q, raw)
        factor *= _number_unit(q, raw, post)
    try:
        scaled = number * factor
    except ArithmeticError:  # past what a Decimal holds: "1e1000000 k"
        raise ValueProblem(q.id, "a finite number", raw) from None
    return check_number(q, scaled)


def _currency(q: Any, raw: str, *marks: str) -> None:
    """Signs and codes typed around an amount must agree with the question's currency."""
    unit = (q.unit or "").lower()
    for mark in marks:
        if not mark or mark == unit:
            continue
        if mark in _SIGNS:
            code = _SIGNS[mark]
            if code is None or not unit or code.lower() == unit:
                continue
        elif not re.fullmatch(r"[a-z]{3}", mark):
            raise _bad(q, raw)
        elif not unit:
            continue
        raise ValueProblem(q.id, f"an amount in {q.unit}", raw)


def _number_unit(q: Any, raw: str, post: str) -> Decimal:
    if not post:
        return Decimal(1)
    unit = q.unit or ""
    if unit and _singular(post) == _singular(unit):
        return Decimal(1)
    if post == "%" and (not unit or unit.lower() in _PERCENT):
        # "6%" where no unit is named (a baseline cell, a measurement): the number 6,
        # as a percent field reads it.
        return Decimal(1)
    factor = _duration_factor(post, unit) if is_duration(unit) else None
    if factor is None:
        raise _bad(q, raw)
    return factor


def _limits(q: Any) -> tuple[float | None, float | None]:
    low, high = q.min, q.max
    if q.type == "percent":
        low = 0 if low is None else low
        high = 100 if high is None else high
    return low, high


def check_number(q: Any, v: Any) -> int | float:
    """A finite number within the type's range and the question's `min`/`max`."""
    if isinstance(v, bool) or not isinstance(v, int | float | Decimal):
        raise ValueProblem(q.id, "a number", v)
    if not (v.is_finite() if isinstance(v, Decimal) else _finite_or_int(v)):
        raise ValueProblem(q.id, "a finite number", str(v))
    if not -MAX_NUMBER <= v <= MAX_NUMBER:
        raise ValueProblem.say(q.id, f"numbers are at most {MAX_NUMBER:,} in size")
    n: int | float
    if isinstance(v, Decimal):
        n = int(v) if v == v.to_integral_value() else float(v)
    elif isinstance(v, float) and v.is_integer():
        n = int(v)
    else:
        n = v
    low, high = _limits(q)
    if low is not None and n < low:
        raise ValueProblem.say(q.id, f"must be at least {number_text(low)}")
    if high is not None and n > high:
        raise ValueProblem.say(q.id, f"must be at most {number_text(high)}")
    return n


def _finite_or_int(v: int | float) -> bool:
    return isinstance(v, int) or math.isfinite(v)


def finite(v: Any) -> float | None:
    """A stored number as a double, or None when it is not one that fits (old or loaded data)."""
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    if isinstance(v, int):
        return float(v) if abs(v) <= MAX_NUMBER else None
    return v if math.isfinite(v) and abs(v) <= MAX_NUMBER else None


def number_text(v: Any, decimals: int = 6) -> str:
    """`1,234,567`, `2.25`; never raises on a huge or odd number."""
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**63:
        v = int(v)
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    return f"{v:,.{decimals}f}".rstrip("0").rstrip(".")


class NumberKind(Kind):
    name = "number"
    widget = "NumberInput"
    summary = "a number, in `unit` if given"

    def check(self, q: Any, v: Any) -> int | float:
        return check_number(q, v)

    def parse(self, q: Any, text: str) -> Any:
        return parse_number(q, text)

    def display(self, q: Any, v: Any) -> str:
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise TypeError
        return number_text(v)

    def export(self, q: Any, v: Any) -> str:
        if isinstance(v, bool) or not isinstance(v, int | float):
            return str(v)
        shown = number_text(v, 2)
        return f"{shown} {q.unit}" if q.unit else shown

    def edit_text(self, q: Any, v: Any) -> str:
        if isinstance(v, bool) or not isinstance(v, int | float):
            return str(v)
        if isinstance(v, float) and v.is_integer() and abs(v) < 2**63:
            v = int(v)
        return repr(v)

    def cel(self, q: Any, v: Any) -> Any:
        return finite(v)

    def counts(self, q: Any, v: Any) -> bool:
        return finite(v) is not None

    def schema(self, q: Any) -> dict[str, Any]:
        low, high = _limits(q)
        return {
            "type": "number",
            "minimum": -MAX_NUMBER if low is None else low,
            "maximum": MAX_NUMBER if high is None else high,
        }


class MoneyKind(NumberKind):
    name = "money"
    summary = "an amount in `unit` (a currency code)"

    def display(self, q: Any, v: Any) -> str:
        text = super().display(q, v)
        return f"{text} {q.unit}" if q.unit else text


class PercentKind(NumberKind):
    name = "percent"
    summary = "a share, 0 to 100"

    def display(self, q: Any, v: Any) -> str:
        return super().display(q, v) + "%"

    def export(self, q: Any, v: Any) -> str:
        if isinstance(v, bool) or not isinstance(v, int | float):
            return str(v)
        return number_text(v, 2) + "%"
