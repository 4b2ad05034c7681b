"""The Jinja2 sandbox that export templates run in, with budgets.

Jinja2's sandbox keeps a template away from Python's internals, but not from
the machine: `{{ 'x' * 1000000000 }}` asks for a gigabyte, two nested
`range(100000)` loops run ten billion times. A playbook's own template is
code from a file, so here it gets budgets (docs/playbooks.md, "Budgets"):

- steps: every loop iteration and every call counts one; past `MAX_STEPS`,
  or past `MAX_SECONDS` of wall time, rendering stops;
- size: no value the template makes (by `*`, `+`, `%`, `~`, a call or a
  filter) and not the whole output may pass `MAX_CHARS` characters; where
  the size can be told before the work is done (`*`, a width, `join`,
  `replace`), it is refused before the memory is taken;
- files: `{% include %}` and `{% import %}` read only files inside the
  playbook's folder, never through a symbolic link;
- names: the globals and filters a template gets are an allow-list of
  Jinja's (no `lipsum`, `random`, `urlize`, `pprint` ...), each held to the
  budgets before it runs: `format` and `%` with a width or precision of a
  million or more are refused, not computed.

The deadline and the output size are checked while rendering (every few
steps, and at every chunk of output), so a rendering stops when it passes
them, not when it ends.

Each is a `BudgetExceeded`, which the renderer reports as a one-line
TemplateProblem with the template's file and line.
"""

from __future__ import annotations

import os
import re
import stat
import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any

from jinja2 import BaseLoader, TemplateNotFound, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

MAX_STEPS = 1_000_000  # loop iterations and calls in one rendering
MAX_SECONDS = 10.0  # wall time of one rendering
MAX_CHARS = 5_000_000  # characters of any one value, and of the whole output
MAX_MADE = 5 * MAX_CHARS  # characters of output made in all (macros' output is made twice)
# A width or precision of a million or more in a `%` or `{:...}` format: the
# digits within a few characters after `%` or `:`.
_WIDE = re.compile(r"[%:][^%{}]{0,20}?\d{7,}")
# What a template may call by name (Jinja's others are not there at all):
# `range` is the sandbox's own, capped; `lipsum` is left out (a million
# paragraphs on request).
GLOBALS = frozenset({"range", "dict", "namespace", "cycler", "joiner"})
# Jinja's filters a template may use. Left out: `random` (an export is the
# same each time), `pprint`, `urlize`, `xmlattr`, `striptags`, `urlencode`,
# `safe` and `forceescape` (HTML matters, not Markdown, and some are slow on
# long text).
FILTERS = frozenset(
    {
        "abs",
        "attr",
        "batch",
        "capitalize",
        "center",
        "count",
        "d",
        "default",
        "dictsort",
        "e",
        "escape",
        "filesizeformat",
        "first",
        "float",
        "format",
        "groupby",
        "indent",
        "int",
        "items",
        "join",
        "last",
        "length",
        "list",
        "lower",
        "map",
        "max",
        "min",
        "reject",
        "rejectattr",
        "replace",
        "reverse",
        "round",
        "select",
        "selectattr",
        "slice",
        "sort",
        "string",
        "sum",
        "title",
        "tojson",
        "trim",
        "truncate",
        "unique",
        "upper",
        "wordcount",
        "wordwrap",
    }
)
_CHECK_EVERY = 64  # steps between two looks at the clock
_SIZED = (str, bytes, list, tuple)


class BudgetExceeded(Exception):
    """A template that went past one of its budgets."""


class _Budget:
    def __init__(self) -> None:
        self.steps = MAX_STEPS
        self.deadline = time.monotonic() + MAX_SECONDS
        self.made = 0  # characters of output made so far, macros' and blocks' too

    def output(self, value: str) -> str:
        self.made += len(value)
        if self.made > MAX_MADE:
            raise BudgetExceeded(f"more than {MAX_MADE:,} characters of output made (the budget)")
        return value

    def spend(self) -> None:
        self.steps -= 1
        if self.steps < 0:
            raise BudgetExceeded(f"more than {MAX_STEPS:,} loop steps and calls (the budget)")
        if self.steps % _CHECK_EVERY == 0:
            self.check_time()

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise BudgetExceeded(f"rendering took more than {MAX_SECONDS:g} s (the budget)")


class _Generator(CodeGenerator):
    # Every `{{ ... }}` goes through `environment.budget_out`, so output kept
    # in a macro's or a block's buffer (never yielded until it returns) is
    # counted as it is made, not when the buffer is joined.
    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        self.write("environment.budget_out(")
        super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        super()._output_child_post(node, frame, finalize)
        self.write(")")

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        # The iterable becomes `environment.budget_iter(iterable)`: each item spends a step.
        wrap = nodes.EnvironmentAttribute("budget_iter", lineno=node.lineno)
        node = nodes.For(
            node.target,
            nodes.Call(wrap, [node.iter], [], None, None, lineno=node.lineno),
            node.body,
            node.else_,
            node.test,
            node.recursive,
            lineno=node.lineno,
        )
        super().visit_For(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.budget_value(")
        super().visit_Concat(node, frame)
        self.write(")")


def _too_big() -> BudgetExceeded:
    return BudgetExceeded(f"a value of more than {MAX_CHARS:,} characters (the budget)")


def _sized(value: Any) -> Any:
    if isinstance(value, _SIZED) and len(value) > MAX_CHARS:
        raise _too_big()
    return value


def _check_args(args: Iterable[Any]) -> None:
    for a in args:
        if isinstance(a, int) and not isinstance(a, bool) and abs(a) > MAX_CHARS:
            raise BudgetExceeded(f"a size of {a:,} is over the budget of {MAX_CHARS:,}")
        if isinstance(a, str) and "{" in a and _WIDE.search(a):
            raise BudgetExceeded("a format width over the size budget")


class BudgetedEnvironment(SandboxedEnvironment):
    code_generator_class = _Generator
    intercepted_binops = frozenset({"*", "**", "+", "%", "//"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._local = threading.local()  # one budget per rendering thread
        # Allow-lists: what is not named is not there (added ones come after).
        self.globals = {k: v for k, v in self.globals.items() if k in GLOBALS}
        self.filters = {k: v for k, v in self.filters.items() if k in FILTERS}
        self.budget_filters()

    @property
    def _budget(self) -> _Budget:
        budget = getattr(self._local, "budget", None)
        if budget is None:
            budget = self._local.budget = _Budget()
        return budget

    def new_budget(self) -> None:
        self._local.budget = _Budget()

    def budget_filters(self) -> None:
        """Hold every filter to the budgets; call it again after adding filters."""
        for name, f in list(self.filters.items()):
            if not getattr(f, "_budgeted", False):
                self.filters[name] = self._budgeted(f)

    # --- what templates run through -------------------------------------

    def budget_iter(self, iterable: Any) -> Iterator[Any]:
        spend = self._budget.spend
        self._budget.check_time()  # a loop begun past the deadline does not start
        for item in iterable:
            spend()
            yield item

    def budget_value(self, value: Any) -> Any:
        return _sized(value)

    def budget_out(self, value: str) -> str:
        return self._budget.output(value)

    def concat(self, parts: Iterable[str]) -> str:
        """A macro's or a block's buffer joined, refused before the join when too long
        (the same text output a million times in a loop takes no memory until then)."""
        items = list(parts)
        if sum(map(len, items)) > MAX_CHARS:
            raise _too_big()
        return "".join(items)

    def wrap_str_format(self, value: Any) -> Any:
        """`'{:.1000000000f}'.format(x)`: the format string is the method's own."""
        wrapped = super().wrap_str_format(value)
        if wrapped is not None and _WIDE.search(value.__self__):

            def refuse(*args: Any, **kwargs: Any) -> str:
                raise BudgetExceeded("a format width or precision over the size budget")

            return refuse
        return wrapped

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        __self._budget.spend()
        _check_args(args)
        _check_args(kwargs.values())
        return _sized(SandboxedEnvironment.call(__self, __context, __obj, *args, **kwargs))

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, _SIZED) and isinstance(n, int) and len(seq) * n > MAX_CHARS:
                    raise _too_big()
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > 1000:
            raise BudgetExceeded(f"an exponent of {right} is over the budget (1000)")
        if operator == "%" and isinstance(left, str) and _WIDE.search(left):
            raise BudgetExceeded("a format width over the size budget")
        ints = isinstance(left, int) and isinstance(right, int)
        if ints and operator == "*" and left.bit_length() + right.bit_length() > 100_000:
            raise BudgetExceeded("a number too large for the size budget")
        return _sized(super().call_binop(context, operator, left, right))

    def _budgeted(self, f: Any) -> Any:
        budget = self

        passed = hasattr(f, "jinja_pass_arg")  # a context or environment comes first
        skip = 2 if passed else 1

        def run(*args: Any, **kwargs: Any) -> Any:
            budget._budget.spend()
            _check_args(args[skip:])  # the filtered value itself may be any size
            _check_args(kwargs.values())
            _estimate(f, args[skip - 1 :], kwargs)
            return _sized(f(*args, **kwargs))

        if passed:  # Jinja passes the same first argument to the wrapper
            run.jinja_pass_arg = f.jinja_pass_arg  # type: ignore[attr-defined]  # Jinja reads this mark off the function
        run.__name__ = getattr(f, "__name__", "filter")
        run._budgeted = True  # type: ignore[attr-defined]  # our mark: never wrapped twice
        return run


def _estimate(f: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse `join` and `replace` whose result would pass the budget, before making it."""
    name = getattr(f, "__name__", "")
    values = list(args)
    if (
        name.endswith("format")
        and values
        and isinstance(values[0], str)
        and _WIDE.search(values[0])
    ):
        raise BudgetExceeded("a format width or precision over the size budget")
    if name.endswith("indent") and values and isinstance(values[0], str):
        width = values[1] if len(values) > 1 else kwargs.get("width", 4)
        pad = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
        if (values[0].count("\n") + 1) * pad + len(values[0]) > MAX_CHARS:
            raise _too_big()
    if name.endswith("join") and len(values) >= 2 and isinstance(values[1], str):
        items = values[0]
        if isinstance(items, (list, tuple, range)) and len(items) * len(values[1]) > MAX_CHARS:
            raise _too_big()
    if name.endswith("replace") and len(values) >= 3:
        s, old, new = values[0], values[1], values[2]
        if isinstance(s, str) and isinstance(old, str) and isinstance(new, str):
            count = len(s) + 1 if old == "" else s.count(old)
            if count * len(new) > MAX_CHARS:
                raise _too_big()


class FolderLoader(BaseLoader):
    """Templates from one folder only: no path out of it, no symbolic link, no
    special file (a FIFO or a device would hang or never end), nothing over
    the size budget. Checked before the file is opened for reading."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.root = os.path.realpath(folder)

    def get_source(self, environment: Any, template: str) -> Any:
        pieces = split_template_path(template)  # refuses `..`
        path = os.path.join(self.root, *pieces)
        try:
            info = os.lstat(path)
        except OSError:
            raise TemplateNotFound(template) from None
        if os.path.realpath(path) != path or not stat.S_ISREG(info.st_mode):
            raise TemplateNotFound(template, f"{template}: not a plain file inside {self.root}")
        if info.st_size > MAX_CHARS:
            raise TemplateNotFound(template, f"{template}: larger than the budget")
        with open(path, encoding="utf-8") as f:
            contents = f.read()
        mtime = info.st_mtime

        def uptodate() -> bool:
            try:
                return os.path.getmtime(path) == mtime
            except OSError:
                return False

        return contents, path, uptodate


def render(template: Any, **context: Any) -> str:
    """The template's output, held to the budgets."""
    env = template.environment
    if isinstance(env, BudgetedEnvironment):
        env.new_budget()
    parts, size = [], 0
    for chunk in template.generate(**context):
        if isinstance(env, BudgetedEnvironment):
            env._budget.check_time()
        size += len(chunk)
        if size > MAX_CHARS:
            raise BudgetExceeded(f"the output passed {MAX_CHARS:,} characters (the budget)")
        parts.append(chunk)
    return "".join(parts)
