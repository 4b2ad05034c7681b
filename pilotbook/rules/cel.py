"""CEL conditions: compiled once at load, evaluated safely, never with `eval`.

celpy is imported on first use: it costs about 100 ms, which start-up and
`--version` must not pay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

_STRING = re.compile(r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""")
_MEMBER = re.compile(r"\banswers\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)")
_INDEX = re.compile(r"""\banswers\s*\[\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*\]""")


class CelError(Exception):
    """A condition that does not parse, or that fails when evaluated."""

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.column = column  # 1-based, within the expression text, when known


@cache
def _env() -> Any:
    import celpy

    return celpy.Environment()


def referenced_answers(text: str) -> tuple[str, ...]:
    """The question ids a condition reads through `answers.x` or `answers["x"]`."""
    names = list(_INDEX.findall(text))
    names += _MEMBER.findall(_STRING.sub('""', text))
    return tuple(dict.fromkeys(names))


def string_literals(text: str) -> tuple[str, ...]:
    return tuple(m.group(0)[1:-1] for m in _STRING.finditer(text))


@dataclass(frozen=True)
class Condition:
    text: str
    answers: tuple[str, ...] = field(default=())
    _program: Any = field(default=None, repr=False, compare=False)

    def evaluate(self, activation: dict[str, Any]) -> Any:
        """The value of the condition, as plain Python; CelError if it fails."""
        import celpy
        from celpy.evaluation import CELEvalError

        try:
            result = self._program.evaluate(
                {k: celpy.json_to_cel(v) for k, v in activation.items()}
            )
        except CELEvalError as e:
            raise CelError(_eval_message(e)) from None
        except (TypeError, ValueError, KeyError, ZeroDivisionError) as e:
            raise CelError(str(e)) from None
        if isinstance(result, CELEvalError):
            raise CelError(_eval_message(result))
        return _to_python(result)

    def holds(self, activation: dict[str, Any]) -> bool:
        value = self.evaluate(activation)
        if not isinstance(value, bool):
            raise CelError(f"expected true or false, got {type(value).__name__} {value!r}")
        return value


def compile_condition(text: str) -> Condition:
    """Parse and check a CEL expression; CelError with the column on a syntax error."""
    from celpy.celparser import CELParseError

    env = _env()
    try:
        ast = env.compile(text)
        program = env.program(ast, functions=_null_safe_equality())
    except CELParseError as e:
        column = getattr(e, "column", None)
        first = str(e).strip().splitlines()[0] if str(e).strip() else "syntax error"
        raise CelError(f"CEL syntax error: {first}", column) from None
    except Exception as e:  # celpy raises a few kinds on odd input
        raise CelError(f"CEL error: {e}") from None
    return Condition(text=text, answers=referenced_answers(text), _program=program)


@cache
def _null_safe_equality() -> dict[str, Any]:
    """`==` and `!=` that compare anything with null, as the CEL spec says.

    celpy 0.5 fails with "no matching overload" on `2.0 != null` or
    `[] != null`, so the guard `answers.x != null && answers.x < 3.0` that
    playbooks rely on would itself error once the question is answered.
    """
    import celpy.celtypes as ct
    from celpy.evaluation import CELEvalError, bool_eq, bool_ne

    def is_null(v: Any) -> bool:
        return v is None or isinstance(v, ct.NullType)

    def eq(a: Any, b: Any) -> Any:
        if isinstance(a, CELEvalError) or isinstance(b, CELEvalError):
            return bool_eq(a, b)
        if is_null(a) or is_null(b):
            return ct.BoolType(is_null(a) and is_null(b))
        return bool_eq(a, b)

    def ne(a: Any, b: Any) -> Any:
        if isinstance(a, CELEvalError) or isinstance(b, CELEvalError):
            return bool_ne(a, b)
        if is_null(a) or is_null(b):
            return ct.BoolType(not (is_null(a) and is_null(b)))
        return bool_ne(a, b)

    return {"_==_": eq, "_!=_": ne}


def _eval_message(err: Any) -> str:
    args = getattr(err, "args", ())
    return str(args[0]) if args else str(err)


def _to_python(value: Any) -> Any:
    import celpy.celtypes as ct

    if isinstance(value, ct.BoolType):
        return bool(value)
    if isinstance(value, (ct.IntType, ct.UintType)):
        return int(value)
    if isinstance(value, ct.DoubleType):
        return float(value)
    if isinstance(value, ct.StringType):
        return str(value)
    if isinstance(value, ct.ListType):
        return [_to_python(v) for v in value]
    if isinstance(value, ct.MapType):
        return {_to_python(k): _to_python(v) for k, v in value.items()}
    if value is None or isinstance(value, ct.NullType):
        return None
    return value
