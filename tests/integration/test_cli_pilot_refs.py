"""A pilot named on the command line by the start of its slug or name; typos get a hint."""

from __future__ import annotations


def test_a_unique_start_names_the_pilot(pb):
    pb("new", "Support bot")
    pb("new", "Claims triage")
    _, full, _ = pb("show", "support-bot")
    _, out, _ = pb("show", "supp")
    assert out == full
    pb("rename", "claims", "Claims triage v2")
    assert "Claims triage v2" in pb("list")[1]


def test_an_ambiguous_start_is_one_line(pb):
    pb("new", "Claims triage")
    pb("new", "Claims routing")
    got, out, err = pb("show", "claims", code=None)
    assert got != 0 and out == ""
    assert err == "error: 'claims' matches 2 pilots: claims-routing, claims-triage\n"


def test_a_typo_gets_did_you_mean(pb):
    pb("new", "Support bot")
    got, out, err = pb("show", "suport-bot", code=None)
    assert got != 0 and out == ""
    assert err == "error: no pilot 'suport-bot' (did you mean support-bot?)\n"
