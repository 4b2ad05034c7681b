"""Today's session: the sections picked by default and timeboxes fitted to its length."""

from __future__ import annotations

from pilotbook.workshop.session_plan import SHORTEST, default_sections, fit


def test_fit_scales_down_and_up_in_whole_minutes_that_add_up() -> None:
    boxes = [("a", 3600), ("b", 1800), ("c", None), ("d", 900)]
    for minutes in (90, 61, 400):
        got = fit(boxes, minutes * 60)
        assert sum(got.values()) == minutes * 60
        assert all(v % 60 == 0 and v >= SHORTEST for v in got.values())
        assert got["a"] > got["b"] > got["d"]


def test_the_default_is_the_current_phases_open_sections() -> None:
    sections = [("s1", "before"), ("s2", "before"), ("s3", "during")]
    assert default_sections(sections, "before", {"s2", "s3"}) == ["s2"]
    assert default_sections(sections, "before", set()) == ["s1", "s2"]  # nothing open: all
