"""A playbook's template cannot hang pilotbook or take its memory: each probe
is a one-line TemplateProblem, stopped by a budget before the damage, and
`include`/`import` never leave the playbook's folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from ai_pilot_answers import good_answers, load_playbook
from export_helpers import export

from pilotbook.export import TemplateProblem, sandbox

PB = load_playbook()


def _render(tmp_path: Path, body: str) -> str:
    folder = tmp_path / "book"
    folder.mkdir(exist_ok=True)
    path = folder / "brief.md.j2"
    path.write_text(body, encoding="utf-8")
    return export("brief", PB, good_answers(), template=path)


def _problem(tmp_path: Path, body: str) -> str:
    with pytest.raises(TemplateProblem) as e:
        _render(tmp_path, body)
    text = str(e.value)
    assert "\n" not in text and len(text) < 300
    assert "brief.md.j2" in text
    return text


@pytest.mark.parametrize(
    "body",
    [
        "{{ 'x' * 1000000000 }}",
        "{{ ['x'] * 1000000000 }}",
        "{{ 'x'|center(1000000000) }}",
        "{{ 'x'.ljust(1000000000) }}",
        "{{ '%1000000000s' % 'x' }}",
        "{{ '{:>1000000000}'.format('x') }}",
        "{{ 2 ** 1000000000 }}",
        "{{ range(100000)|join('x' * 100) }}",
        "{{ ('x' * 100000)|replace('x', 'y' * 1000) }}",
        "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}",
        "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}"
        "{% endfor %}",
    ],
)
def test_a_value_over_the_size_budget_is_refused_before_it_is_made(tmp_path, body):
    assert "budget" in _problem(tmp_path, body)


@pytest.mark.parametrize(
    "body",
    [
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "{% for i in range(100000) %}{% for j in range(100000) %}{{ j }}{% endfor %}{% endfor %}",
        "{% macro m(items) %}{% for a in items %}{% for b in items %}{{ a }}{% endfor %}"
        "{% endfor %}{% endmacro %}{{ m(range(3000)|list) }}",
        "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
    ],
)
def test_loops_and_macros_stop_at_the_step_or_output_budget(tmp_path, body):
    _problem(tmp_path, body)


def test_the_time_budget_stops_a_rendering(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.0)
    text = _problem(tmp_path, "{% for i in range(5000) %}{{ i }}{% endfor %}")
    assert "s (the budget)" in text


def test_include_and_import_never_follow_a_link_or_a_path_out(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "link.j2").symlink_to(secret)
    (folder / "ok.j2").write_text("fine", encoding="utf-8")
    os.mkfifo(folder / "pipe.j2")
    assert "fine" in _render(tmp_path, "{% include 'ok.j2' %}")
    for body in [
        "{% include 'link.j2' %}",
        "{% import 'link.j2' as m %}",
        "{% include '../secret.txt' %}",
        "{% include '" + str(secret) + "' %}",
        "{% include 'pipe.j2' %}",  # would block forever if opened
    ]:
        assert "SECRET" not in _problem(tmp_path, body)


def test_the_shipped_templates_render_inside_the_budgets():
    for kind in ("brief", "charter"):
        assert export(kind, PB, good_answers())


@pytest.mark.parametrize(
    "body",
    [
        "{{ lipsum(1000000) }}",
        "{{ range(4000000)|list|length }}",
        "{{ range(0, 10 ** 12, 1)|length }}",
        "{{ lipsum(5, true, 100000000, 100000000) }}",
        "{{ '%.1000000000f'|format(1.0) }}",
        "{{ '%1000000000d'|format(1) }}",
        "{{ '{:.1000000000f}'.format(1.0) }}",
        "{{ ('x\n' * 100000)|indent(1000) }}",
        "{{ [1, 2]|random }}",
        "{{ 'x'|urlize }}",
        "{{ {'a': 1}|pprint }}",
    ],
)
def test_only_allowed_globals_and_filters_and_refused_quickly(tmp_path, body):
    import time

    start = time.monotonic()
    text = _problem(tmp_path, body)
    # Refused before the work: well under the time budget, whatever the machine.
    assert time.monotonic() - start < sandbox.MAX_SECONDS / 4, text


def test_the_allowed_globals_and_filters_still_work(tmp_path):
    body = (
        "{% set ns = namespace(n=0) %}{% set c = cycler('a', 'b') %}"
        "{% for i in range(3) %}{% set ns.n = ns.n + i %}{{ c.next() }}{% endfor %} "
        "{{ ns.n }} {{ '%.2f'|format(1.5) }} {{ dict(a=1)|tojson }} {{ 'ab\ncd'|indent(2) }}"
    )
    assert _render(tmp_path, body).strip() == 'aba 3 1.50 {"a": 1} ab\n  cd'


def test_the_time_budget_is_checked_while_rendering(tmp_path, monkeypatch):
    # A deadline already past stops the first loop at once, not after 1,024 steps.
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.0)
    text = _problem(tmp_path, "{% for i in range(10) %}{{ i }}{% endfor %}")
    assert "s (the budget)" in text


def test_output_kept_in_a_macro_is_counted_as_it_is_made(tmp_path):
    import tracemalloc

    # Sixty values of 4,000,000 characters inside a macro: never yielded until
    # the macro returns, so the output budget alone saw them only once joined.
    body = (
        "{% macro m() %}{% for i in range(60) %}{{ 'x' * 4000000 }}{% endfor %}{% endmacro %}"
        "{{ m()|length }}"
    )
    tracemalloc.start()
    try:
        text = _problem(tmp_path, body)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "budget" in text
    assert peak < 150_000_000, peak  # stopped after a few values, not all sixty


def test_the_same_text_repeated_in_a_macro_is_refused_before_the_join(tmp_path):
    body = (
        "{% macro m() %}{% for i in range(100) %}{% for j in range(100) %}"
        + "0123456789" * 100
        + "{% endfor %}{% endfor %}{% endmacro %}{{ m()|length }}"
    )
    assert "budget" in _problem(tmp_path, body)
