"""CEL conditions: compiled once at load, evaluated safely, never with `eval`.

celpy is imported on first use: it costs about 100 ms, which start-up and
`--version` must not pay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

_STRING = re.compile(r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""")
STRING_LITERAL = _STRING  # for the loader's checks of literals in conditions
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


class CelActivation(dict):  # type: ignore[type-arg]
    """Variables already converted to CEL values: `evaluate` uses them as they are.

    Converting a pilot's answers costs as much as evaluating a condition, and
    the rules engine evaluates a hundred conditions on the same answers.
    """


def prepare(variables: dict[str, Any], base: CelActivation | None = None) -> CelActivation:
    """Convert plain variables once, on top of an already prepared `base`."""
    import celpy

    out = CelActivation(base or {})
    for k, v in variables.items():
        out[k] = celpy.json_to_cel(v)
    return out


@dataclass(frozen=True)
class Condition:
    text: str
    answers: tuple[str, ...] = field(default=())
    _program: Any = field(default=None, repr=False, compare=False)

    def evaluate(self, activation: dict[str, Any]) -> Any:
        """The value of the condition, as plain Python; CelError if it fails."""
        import celpy
        from celpy.evaluation import CELEvalError

        if not isinstance(activation, CelActivation):
            activation = {k: celpy.json_to_cel(v) for k, v in activation.items()}
        try:
            result = self._program.evaluate(activation)
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
        program = env.program(ast, functions=_functions())
    except CELParseError as e:
        raise CelError(_syntax_message(e, text), _syntax_column(e, text)) from None
    except Exception as e:  # celpy raises a few kinds on odd input
        raise CelError(f"CEL error: {e}") from None
    return Condition(text=text, answers=referenced_answers(text), _program=program)


@lru_cache(maxsize=4096)
def compiled(text: str) -> Condition:
    """The compiled condition for `text`, compiled once per process.

    The loader compiles every condition of a playbook through here, so the
    rules engine gets them back for free; a CelError is raised again each time.
    """
    return compile_condition(text)


def _syntax_column(err: Any, text: str) -> int | None:
    """1-based column in the expression, counted through all its lines."""
    line, column = getattr(err, "line", None), getattr(err, "column", None)
    if not isinstance(column, int) or column < 1:
        token = _lark_cause(err, "token")
        pos = getattr(token, "start_pos", None)
        if isinstance(pos, int) and pos >= 0:
            return pos + 1
        if getattr(token, "type", "") == "BOOL_LIT":
            # celpy re-creates true/false tokens without a position.
            found = re.search(rf"\b{re.escape(str(token))}\b", text)
            return found.start() + 1 if found else None
        return None
    if isinstance(line, int) and line > 1:
        return sum(len(x) + 1 for x in text.split("\n")[: line - 1]) + column
    return column


def _lark_cause(err: BaseException, attr: str) -> Any:
    cause = err.__cause__ or err.__context__
    return getattr(cause, attr, None)


def _syntax_message(err: Any, text: str) -> str:
    """What went wrong, in words: celpy only echoes the line with a caret."""
    if not text.strip():
        return "CEL syntax error: the condition is empty"
    char = _lark_cause(err, "char")
    if isinstance(char, str) and char:
        if char == "=":
            return "CEL syntax error: unexpected `=`; compare with `==`"
        if char in "\"'":
            return "CEL syntax error: a string is not closed"
        return f"CEL syntax error: unexpected character `{char}`"
    token = _lark_cause(err, "token")
    if token is not None:
        if getattr(token, "type", "") == "$END":
            return "CEL syntax error: the condition ends too early"
        return f"CEL syntax error: unexpected `{token}`"
    return "CEL syntax error"


@cache
def _functions() -> dict[str, Any]:
    """Operators that behave as the CEL spec says, where celpy 0.5 does not.

    - `==` and `!=` compare anything with null: celpy fails with "no matching
      overload" on `2.0 != null` or `[] != null`, so the guard
      `answers.x != null && answers.x < 3.0` would itself error once answered.
    - Numbers compare across int and double: answers reach CEL as doubles and
      authors write `answers.n > 3` or `answers.n == 4`; celpy only compares
      a double with a double (`4.0 == 4` is an error there).
    """
    import operator

    import celpy.celtypes as ct
    from celpy.evaluation import CELEvalError, boolean, operator_in

    def is_null(v: Any) -> bool:
        return v is None or isinstance(v, ct.NullType)

    def is_number(v: Any) -> bool:
        return isinstance(v, (ct.IntType, ct.UintType, ct.DoubleType, float)) and not isinstance(
            v, ct.BoolType
        )

    def widen(a: Any, b: Any) -> tuple[Any, Any]:
        # Only a mixed pair is widened, so int == int keeps exact semantics.
        if is_number(a) and is_number(b) and type(a) is not type(b):
            return ct.DoubleType(float(a)), ct.DoubleType(float(b))
        return a, b

    def relation(op: Any) -> Any:
        compare = boolean(op)

        def apply(a: Any, b: Any) -> Any:
            return compare(*widen(a, b))

        return apply

    def equality(negate: bool) -> Any:
        compare = boolean(operator.ne if negate else operator.eq)

        def apply(a: Any, b: Any) -> Any:
            if isinstance(a, CELEvalError) or isinstance(b, CELEvalError):
                return compare(a, b)
            if is_null(a) or is_null(b):
                return ct.BoolType((is_null(a) and is_null(b)) != negate)
            return compare(*widen(a, b))

        return apply

    def contains(item: Any, container: Any) -> Any:
        if is_number(item) and isinstance(container, ct.ListType):
            # `answers.n in [1, 2]` with a double answer.
            return ct.BoolType(any(is_number(v) and float(v) == float(item) for v in container))
        return operator_in(item, container)

    return {
        "_==_": equality(False),
        "_!=_": equality(True),
        "_<_": relation(operator.lt),
        "_<=_": relation(operator.le),
        "_>_": relation(operator.gt),
        "_>=_": relation(operator.ge),
        "_in_": contains,
    }


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
