"""CEL conditions: compiled once at load, evaluated safely, never with `eval`.

celpy is imported on first use: it costs about 100 ms, which start-up and
`--version` must not pay.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeGuard

_STRING = re.compile(r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""")
STRING_LITERAL = _STRING  # for the loader's checks of literals in conditions
_MEMBER = re.compile(r"\banswers\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)")
_INDEX = re.compile(r"""\banswers\s*\[\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*\]""")

# Budgets (docs/playbooks.md, "Budgets"). A condition is checked against the
# static ones when a playbook is loaded (`rules/celcheck.py`); every
# evaluation stops at the run-time ones, so no playbook can hang pilotbook.
MAX_LENGTH = 4000  # characters of one condition
MAX_NESTING = 24  # brackets and parentheses inside one another
# The run-time budgets grow with the largest answer the store accepts
# (`steps_budget`), so a verdict never gives up on data that was saved: a
# condition reading a table at its maximum rows still gets an answer.
BASE_STEPS = 100_000  # syntax-tree nodes one evaluation may visit, small answers
STEPS_PER_ITEM = 400  # and this many more for each row or item the store allows
SECONDS_PER_STEP = 50e-6  # CPU time of one evaluation, per step of its budget
MIN_SECONDS = 2.0
# A macro (`all`, `exists`, ...) binds its variable in a copy of the whole
# context for each item: it costs as much as this many plain steps.
MACRO_ITEM_STEPS = 10


class CelError(Exception):
    """A condition that does not parse, or that fails when evaluated."""

    def __init__(self, message: str, column: int | None = None, timed_out: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.column = column  # 1-based, within the expression text, when known
        # Past the time budget: the same answers may pass on a quieter machine,
        # so this failure, unlike the others, is not remembered.
        self.timed_out = timed_out


class OverBudget(Exception):
    """An evaluation that went past its step or time budget."""

    def __init__(self, message: str, timed_out: bool = False) -> None:
        super().__init__(message)
        self.timed_out = timed_out


@cache
def steps_budget() -> int:
    """Steps one evaluation may take: enough to read the largest answer allowed."""
    from pilotbook.playbook.kinds.base import MAX_ITEMS, MAX_ROWS

    return BASE_STEPS + STEPS_PER_ITEM * max(MAX_ROWS, MAX_ITEMS)


def seconds_budget() -> float:
    """CPU seconds of this thread, not wall time: a busy machine must not turn a
    verdict into a playbook problem; the step budget is what bounds the work."""
    return max(MIN_SECONDS, steps_budget() * SECONDS_PER_STEP)


@cache
def _env() -> Any:
    import logging

    import celpy

    # celpy logs the arguments of a failed function at error level: that can
    # be every answer of a pilot, on one line of stderr.
    logging.getLogger("celpy").setLevel(logging.CRITICAL)
    from celpy.celparser import CELParser

    if CELParser.CEL_PARSER is None:
        # celpy builds its parser when an Environment is made; a process whose
        # conditions all come from the compile cache never needs it.
        CELParser.CEL_PARSER = _LazyParser()  # type: ignore[assignment]  # only .parse is used
    return celpy.Environment(runner_class=_budget_runner())


class _LazyParser:
    """Stands in for celpy's Lark parser until a condition must really be parsed."""

    def parse(self, text: str) -> Any:
        import lark
        from celpy.celparser import CELParser

        CELParser.CEL_PARSER = None
        CELParser(tree_class=lark.Tree)  # builds the real parser, as celpy does
        real: Any = CELParser.CEL_PARSER
        return real.parse(text)


@cache
def _budget_runner() -> Any:
    """celpy's tree-walking runner, counting the nodes it visits."""
    import celpy
    from celpy.evaluation import Evaluator

    class Budget:
        __slots__ = ("deadline", "steps")

        def __init__(self) -> None:
            self.steps = steps_budget()
            self.deadline = time.thread_time() + seconds_budget()

        def spend(self, n: int = 1) -> None:
            self.steps -= n
            if self.steps < 0:
                raise OverBudget(f"more than {steps_budget():,} steps")
            if self.steps % 64 == 0 and time.thread_time() > self.deadline:
                raise OverBudget(f"more than {seconds_budget():g} s", timed_out=True)

    class Counting(Evaluator):
        budget: Budget

        def _visit_tree(self, tree: Any) -> Any:
            self.budget.spend()
            return super()._visit_tree(tree)

        def sub_evaluator(self, ast: Any) -> Any:
            nested = Counting(ast, activation=self.activation)
            nested.budget = self.budget
            return nested

        def set_activation(self, values: Any) -> Any:
            self.budget.spend(MACRO_ITEM_STEPS)
            return super().set_activation(values)

    class Runner(celpy.InterpretedRunner):
        def evaluate(self, context: Any) -> Any:
            evaluator = Counting(ast=self.ast, activation=self.new_activation())
            evaluator.budget = Budget()
            return evaluator.evaluate(context)

    return Runner


def referenced_answers(text: str) -> tuple[str, ...]:
    """The question ids a condition reads through `answers.x` or `answers["x"]`."""
    names = list(_INDEX.findall(text))
    names += _MEMBER.findall(_STRING.sub('""', text))
    return tuple(dict.fromkeys(names))


def string_literals(text: str) -> tuple[str, ...]:
    return tuple(m.group(0)[1:-1] for m in _STRING.finditer(text))


class CelActivation(dict[str, Any]):
    """Variables already converted to CEL values: `evaluate` uses them as they are.

    Converting a pilot's answers costs as much as evaluating a condition, and
    the rules engine evaluates a hundred conditions on the same answers.
    """


def prepare(variables: dict[str, Any], base: CelActivation | None = None) -> CelActivation:
    """Convert plain variables once, on top of an already prepared `base`."""
    from celpy.adapter import json_to_cel

    out = CelActivation(base or {})
    for k, v in variables.items():
        out[k] = json_to_cel(v)
    return out


@dataclass(frozen=True)
class Condition:
    text: str
    answers: tuple[str, ...] = field(default=())
    _program: Any = field(default=None, repr=False, compare=False)
    _ast: Any = field(default=None, repr=False, compare=False)

    def evaluate(self, activation: dict[str, Any]) -> Any:
        """The value of the condition, as plain Python; CelError if it fails."""
        from celpy.adapter import json_to_cel
        from celpy.evaluation import CELEvalError

        if not isinstance(activation, CelActivation):
            activation = {k: json_to_cel(v) for k, v in activation.items()}
        try:
            result = self._program.evaluate(activation)
        except CELEvalError as e:
            raise CelError(_eval_message(e)) from None
        except OverBudget as e:
            raise CelError(
                f"the condition needs {e} to evaluate (its budget); make it simpler",
                timed_out=e.timed_out,
            ) from None
        except RecursionError:
            raise CelError("the condition is nested too deeply to evaluate") from None
        except (TypeError, ValueError, KeyError, ZeroDivisionError, OverflowError) as e:
            raise CelError(_short(str(e))) from None
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
    too_big = _size_problem(text)
    if too_big is not None:
        raise CelError(*too_big)
    try:
        ast = env.compile(text)
        program = env.program(ast, functions=_functions())
    except CELParseError as e:
        raise CelError(_syntax_message(e, text), _syntax_column(e, text)) from None
    except RecursionError:
        raise CelError("the condition is nested too deeply") from None
    except Exception as e:  # celpy raises a few kinds on odd input
        raise CelError(f"CEL error: {_short(str(e))}") from None
    return Condition(text=text, answers=referenced_answers(text), _program=program, _ast=ast)


def _size_problem(text: str) -> tuple[str, int] | None:
    """Too long, or brackets nested too deep to parse safely: (message, column)."""
    if len(text) > MAX_LENGTH:
        return f"the condition has {len(text):,} characters (at most {MAX_LENGTH:,})", 1
    depth = 0
    blank = _STRING.sub(lambda m: '"' + " " * (len(m.group(0)) - 2) + '"', text)
    for i, ch in enumerate(blank):
        if ch in "([{":
            depth += 1
            if depth > MAX_NESTING:
                return f"brackets nested more than {MAX_NESTING} deep", i + 1
        elif ch in ")]}":
            depth -= 1
    return None


MAX_COMPILED = 4096
_compiled: dict[str, Condition] = {}
_warmed: set[str] = set()  # compile-cache keys this process has dealt with


def compiled(text: str) -> Condition:
    """The compiled condition for `text`, compiled once per process.

    The loader compiles every condition of a playbook through here, so the
    rules engine gets them back for free; a CelError is raised again each time.
    """
    found = _compiled.get(text)
    if found is None:
        found = compile_condition(text)
        _keep(found)
    return found


def _keep(condition: Condition) -> None:
    if len(_compiled) >= MAX_COMPILED:
        _compiled.clear()
        _warmed.clear()
    _compiled[condition.text] = condition


def warm(texts: Iterable[str]) -> None:
    """Compile a playbook version's conditions, from the disk cache when it has them.

    The first process to see a playbook version parses its conditions and
    keeps their syntax trees (`compile_cache`); every later one builds them
    from there, without celpy's parser. A text that does not compile is left
    to `compiled`, which raises its error where it is used.
    """
    from pilotbook.rules import compile_cache

    texts = list(dict.fromkeys(texts))
    key = compile_cache.content_key(texts)
    if key in _warmed:
        return
    _warmed.add(key)
    if all(t in _compiled for t in texts):
        if not compile_cache.exists(key):
            compile_cache.save(key, {t: _compiled[t]._ast for t in texts})
        return
    trees = compile_cache.load(key)
    if trees is not None:
        env = _env()
        for text in texts:
            tree = trees.get(text)
            if tree is not None and text not in _compiled:
                program = env.program(tree, functions=_functions())
                _keep(Condition(text, referenced_answers(text), program, tree))
        return
    kept: dict[str, Any] = {}
    for text in texts:
        try:
            kept[text] = compiled(text)._ast
        except CelError:
            continue
    compile_cache.save(key, kept)


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

    def is_number(v: Any) -> TypeGuard[ct.IntType | ct.UintType | ct.DoubleType | float]:
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


_ACTIVATION = re.compile(r"\s*\(in activation .*", re.DOTALL)


def _eval_message(err: Any) -> str:
    """celpy's message without the evaluation context it may quote (every answer)."""
    args = getattr(err, "args", ())
    return _short(_ACTIVATION.sub("", str(args[0]) if args else str(err)))


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


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
