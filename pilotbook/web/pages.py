"""The participants' pages: plain HTML made on the server, no script, phone-sized.

Everything that comes from a playbook or a participant goes through `esc`.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from pilotbook.textsafe import safe

if TYPE_CHECKING:
    from pilotbook.workshop.rounds import RoundInfo, Tally

STYLE = """
body{font-family:system-ui,sans-serif;margin:0;padding:1rem;max-width:34rem;
margin-inline:auto;line-height:1.4;color:#111;background:#fafafa}
h1{font-size:1.2rem}p.topic{font-size:1.1rem;font-weight:600}
label.opt{display:block;padding:.8rem;margin:.4rem 0;border:1px solid #bbb;
border-radius:.4rem;background:#fff}
textarea{width:100%;box-sizing:border-box;font:inherit;min-height:7rem}
button{font:inherit;padding:.8rem 1.4rem;margin-top:.8rem;width:100%}
.note{color:#444}.bar{background:#3a6;height:1rem;display:inline-block}
.err{color:#a00;font-weight:600}
fieldset{border:0;padding:0;margin:0}legend{font-weight:600;padding:0}
"""


def esc(text: object) -> str:
    # Controls and bidi overrides are shown as escapes (`\u202e`) first: a phone
    # would obey an override and show a participant's note in another order.
    return escape(safe(text), quote=True)


# While waiting for the result, the page reloads itself: the pages carry no script.
# A reload every few seconds moves a screen reader back to the top, so the page says
# so first and offers to stop (WCAG 2.2.1): `?still` is the same page, reloaded by hand.
REFRESH_SECONDS = 5


def waiting(here: str, still: bool) -> str:
    """The line a page waiting for the result starts with."""
    if still:
        return (
            f'<p class="note"><a href="{esc(here)}?still">Show the result</a> '
            "once the facilitator has shown it.</p>"
        )
    return (
        f'<p class="note">This page reloads itself every {REFRESH_SECONDS} seconds until '
        f'the result is shown. <a href="{esc(here)}?still">Stop reloading</a></p>'
    )


def page(title: str, body: str, status_line: str = "", refresh: bool = False) -> str:
    again = f'<meta http-equiv="refresh" content="{REFRESH_SECONDS}">' if refresh else ""
    return (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width,initial-scale=1">'
        f"{again}<title>{esc(title)}</title><style>{STYLE}</style></head><body><main>"
        f"<h1>{esc(title)}</h1>{status_line}{body}</main></body></html>\n"
    )


def join_form(error: str = "") -> str:
    """The page at `/`: type the code the facilitator shows."""
    parts = []
    if error:
        parts.append(f'<p class="err" role="alert">{esc(error)}</p>')
    parts.append(
        '<form method="get" action="/join">'
        '<label for="code">The 6-character code on the facilitator\'s screen</label>'
        '<input id="code" name="code" required minlength="6" maxlength="8" '
        'autocomplete="off" autocapitalize="characters" spellcheck="false" '
        'style="font:inherit;font-size:1.6rem;letter-spacing:.2em;width:100%;'
        'box-sizing:border-box;text-transform:uppercase">'
        '<button type="submit">Join</button></form>'
    )
    return page("Join a round", "".join(parts))


def not_found() -> str:
    return page(
        "Not found",
        '<p>There is nothing here. <a href="/">Type the round\'s code</a> instead.</p>',
    )


def ballot_form(
    r: RoundInfo, action: str, csrf: str, mine: str | None, error: str = "", still: bool = False
) -> str:
    # Once answered, the page waits for the result and reloads itself; before, a
    # reload would wipe a choice being made, and on a notes page, a note being typed.
    waits = mine is not None and r.kind != "notes"
    parts = [waiting(action, still)] if waits else []
    parts.append(f'<p class="topic">{esc(r.prompt)}</p>')
    if error:
        parts.append(f'<p class="err" role="alert">{esc(error)}</p>')
    if mine is not None:
        shown = dict(r.options).get(mine, mine)
        parts.append(
            f'<p class="note" id="mine">Your answer is in: <b>{esc(shown)}</b>. '
            "You can change it until the facilitator closes the round.</p>"
        )
    parts.append(f'<form method="post" action="{esc(action)}">')
    parts.append(f'<input type="hidden" name="csrf" value="{esc(csrf)}">')
    if r.kind == "notes":
        parts.append(
            '<label for="vote">Your note (anonymous, at most 500 characters)</label>'
            '<textarea id="vote" name="vote" maxlength="500" required></textarea>'
        )
    else:
        parts.append("<fieldset><legend>Your answer</legend>")
        for value, label in r.options:
            checked = " checked" if value == mine else ""
            shown = f"{value}: {label}" if r.kind == "confidence" else label
            parts.append(
                f'<label class="opt"><input type="radio" name="vote" value="{esc(value)}"'
                f" required{checked}> {esc(shown)}</label>"
            )
        parts.append("</fieldset>")
    parts.append('<button type="submit">Send</button></form>')
    parts.append('<p class="note">Nobody sees who answered what: no name is asked or kept.</p>')
    if mine is not None and not waits:
        parts.append('<p class="note">Reload this page to see the result once it is shown.</p>')
    return page("Your say", "".join(parts), refresh=waits and not still)


def closed(r: RoundInfo, result: Tally | None, here: str = "", still: bool = False) -> str:
    body = [waiting(here, still)] if result is None else []
    body += [f'<p class="topic">{esc(r.prompt)}</p>', "<p>This round is closed.</p>"]
    if result is not None:  # revealed by the facilitator
        body.append(f"<p>{esc(result.summary())}</p>")
        if result.counts:
            top = max(n for _v, _l, n in result.counts) or 1
            body.append("<ul>")
            for _value, label, n in result.counts:
                width = round(10 * n / top, 1)
                body.append(
                    f'<li>{esc(label)}: {n} <span class="bar" style="width:{width}rem"></span></li>'
                )
            body.append("</ul>")
        if result.notes:
            body.append("<ul>" + "".join(f"<li>{esc(n)}</li>" for n in result.notes) + "</ul>")
    # Closed but not yet shown: reload until the facilitator reveals the result.
    return page("Round closed", "".join(body), refresh=result is None and not still)


def message(title: str, text: str) -> str:
    return page(title, f"<p>{esc(text)}</p>")
