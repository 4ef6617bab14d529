"""The stacked, plain layout of the `eligible`, `plan` and `renew` answers, and the width they are laid out in.

Used when standard output is not a terminal (a pipe, a file, a pager: no box drawing, no colour,
and Rich is not even loaded) and on a terminal narrower than a table needs (below `STACK_BELOW`
columns): each credential is a block of lines, every column's meaning is kept (as a label), the
person's id and the as-of date head the output, and a long line wraps under its own text, never
inside a word (a URL or a quote id stays whole even when it is longer than the line).

The `--explain` trace is written through the same `Lines` writer in both layouts, so its
continuation lines are indented in a table run too.
"""

from __future__ import annotations

import os
import sys
import textwrap
from typing import Callable, Iterable, Optional, Union

from ma_cli.base.bounds import amount_of, amount_text
from ma_cli.output.render_shared import STYLE

MIN_WIDTH, MAX_WIDTH = 40, 300
STACK_BELOW = 70  # narrower than this, a terminal gets the stacked layout too

Part = Union[str, tuple[str, Optional[str]]]  # text, or (text, Rich style)


def width() -> int:
    """The width to lay out in: COLUMNS, else the terminal's, else 80; kept within 40..300.

    COLUMNS=0, a negative or non-numeric COLUMNS, or a terminal that reports no size give the
    terminal's size or 80; a tiny or huge value is taken as 40 or 300 (readable either way).
    """
    try:
        columns = int(os.environ.get("COLUMNS", "").strip() or 0)
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, OSError, ValueError):
            columns = 0
    if columns <= 0:
        columns = 80
    return max(MIN_WIDTH, min(columns, MAX_WIDTH))


def is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def stacked() -> bool:
    """The plain layout: not a terminal, or a terminal too narrow for a table."""
    return not is_terminal() or width() < STACK_BELOW


def clean(text: object) -> str:
    """User text on one line, shown literally: control characters as escapes (a newline as \\n)."""
    from ma_cli.base.literal import visible

    return visible(str(text))


class Lines:
    """Writes lines; `styled` says whether parts keep their Rich style (a terminal) or are plain text."""

    def __init__(self, write: Callable[[list[Part]], None], width: int):
        self._write, self.width = write, width

    def line(self, *parts: Part) -> None:
        self._write(list(parts))

    def para(self, lead: Iterable[Part], text: str, indent: Optional[int] = None) -> None:
        """`lead` then `text`, wrapped at the width; continuation lines start at `indent` (default: under
        the text). Words are never broken: a URL longer than the line stays whole on a line of its own."""
        lead = list(lead)
        lead_len = sum(len(p if isinstance(p, str) else p[0]) for p in lead)
        hang = lead_len if indent is None else indent
        room = max(self.width - 1, 20)
        wrapped = textwrap.wrap(clean(text), width=room, initial_indent=" " * lead_len,
                                subsequent_indent=" " * hang, break_long_words=False, break_on_hyphens=False)
        if not wrapped:
            self.line(*lead)
            return
        self.line(*lead, wrapped[0][lead_len:])
        for rest in wrapped[1:]:
            self.line(rest)


def plain_lines() -> Lines:
    out = sys.stdout

    def write(parts: list[Part]) -> None:
        out.write(clean("".join(p if isinstance(p, str) else p[0] for p in parts).rstrip()) + "\n")

    return Lines(write, width())


def _rstripped(parts: list[Part]) -> list[Part]:
    """The parts without the spaces that end the line, as plain_lines writes it (Rich 13 dropped them,
    Rich 15 keeps them: a terminal's copy-and-paste, and a test's comparison, differed with the version)."""
    parts = list(parts)
    while parts:
        last = parts[-1]
        text = last if isinstance(last, str) else last[0]
        kept = text.rstrip()
        if kept:
            parts[-1] = kept if isinstance(last, str) else (kept, *last[1:])
            break
        parts.pop()
    return parts


def rich_lines(console) -> Lines:
    """Lines through a Rich console: styles kept, no markup read from the text, no wrapping by Rich."""
    from ma_cli.base.literal import styled

    def write(parts: list[Part]) -> None:
        console.print(styled(*_rstripped(parts)), soft_wrap=True)

    return Lines(write, console.width)


def lines_for(make_console) -> Lines:
    """Plain lines for a pipe or file (Rich not even loaded); a styled console on a narrow terminal."""
    return rich_lines(make_console()) if is_terminal() else plain_lines()


# --- eligible ----------------------------------------------------------------------------------

def _status(status: str) -> tuple[str, Optional[str]]:
    return status.replace("_", " "), STYLE.get(status)


def title(what: str, profile_id: Optional[str], as_of) -> str:
    who = f" for {clean(profile_id)}" if profile_id else ""
    return f"{what}{who} as of {as_of}"


def _folded(out: Lines, folded) -> None:
    """A field the person gives no facts for, as one entry (fields.py)."""
    label, why = folded
    out.line("")
    out.para([clean(label), ": ", _status("not_eligible")], "", 2)
    out.para(["  - "], why)


def eligibility(out: Lines, as_of, decisions, rules_origin: str, profile_id: Optional[str], explain: bool,
                untils: Optional[dict] = None, grouping=None) -> None:
    from ma_cli.output.render_shared import grouped, when

    out.line(title("Eligibility", profile_id, as_of))
    for d, folded, _ in grouped(decisions, grouping, lambda d: d.credential, lambda d: d.status):
        if folded is not None:
            _folded(out, folded)
            continue
        out.line("")
        dates = "; ".join(when(d, untils))
        out.para([clean(d.name), ": ", _status(d.status)], f" ({dates})" if dates else "", 2)
        if d.route_name:
            out.para(["  route: "], d.route_name, 4)
        shown = d.reasons[1:] if d.route_name else d.reasons
        limit = None if d.status == "review" else 3
        for reason in list(shown)[:limit]:
            out.para(["  - "], reason)
    if explain:
        for d in decisions:
            explain_decision(out, d)
    out.line("")
    out.para([], f"Rules: {rules_origin}." + ("" if explain else " Add --explain for every route and its sources."))


def explain_decision(out: Lines, d) -> None:
    from ma_cli.ruleset.rules import quality_mark

    # wide: statuses in aligned columns; narrow (below 60 columns): small indents, so text has room
    wide = out.width >= 60
    marks = {s.url: quality_mark(s.quality) for s in getattr(d, "source_info", ())}
    out.line("")
    out.line((clean(d.name), "bold"), ": ", _status(d.status))
    if d.requires:
        out.line("  required for every route:")
        _conditions(out, d.requires, None, wide, marks)
    under = 16 if wide else 4
    for r in d.routes:
        item = f" — looked at: {r.looked_at}" if r.looked_at else ""
        word = r.status.replace("_", " ")
        out.para(["  ", (f"{word:>12}" if wide else word, STYLE.get(r.status)), "  " if wide else ": "],
                 f"{r.name} ({r.id}){item}", under)
        if r.source:
            out.para([" " * under + "source: "], r.source + marks.get(r.source, ""), under + 8)
        if not r.conditions:
            for reason in r.reasons:
                out.para([" " * under], reason)
        _conditions(out, r.conditions, r.source, wide, marks)


def _conditions(out: Lines, conditions, route_source, wide: bool = True, marks=None) -> None:
    under = 15 if wide else 6
    for c in conditions:
        conf = "" if c.confidence == "high" else f" ({c.confidence} confidence)"
        lead = ["      ", (f"{c.status:>7}", STYLE.get(c.status)), "  "] if wide else \
            ["    ", (c.status, STYLE.get(c.status)), ": "]
        out.para(lead, f"{c.says}{conf}", under)
        out.para([" " * under + "saw: "], c.observed, under + (5 if wide else 2))
        if c.source and c.source != route_source:
            out.para([" " * under + "source: "], c.source + (f" ({c.quote})" if c.quote else "")
                     + (marks or {}).get(c.source, ""),
                     under + (8 if wide else 2))
        if c.note:
            out.para([" " * under + "note: "], c.note, under + (6 if wide else 2))


# --- plan --------------------------------------------------------------------------------------

def plan(out: Lines, as_of, plans, rules_origin: str, profile_id: Optional[str], assumed: list[str],
         explain: bool, notes: list[str], grouping=None) -> None:
    from ma_cli.output.plan_words import NOT_ELIGIBLE, summary
    from ma_cli.output.render_shared import grouped

    out.line(title("Plan", profile_id, as_of))
    for p, folded, _ in grouped(plans, grouping, lambda p: p.credential,
                                 lambda p: "not_eligible" if all(s.status == NOT_ELIGIBLE for s in p.segments)
                                 else p.now.status):
        if folded is not None:
            _folded(out, folded)
            continue
        out.line("")
        out.para([clean(p.name), ": ", _status(p.now.status)], " now", 2)
        out.para(["  plan: "], summary(p), 4)
        if len(p.segments) > 1:
            out.line("  timeline:")
            leads = [(f"    {s.start} to {s.end or '…'}", _status(s.status), s.route_name or "") for s in p.segments]
            # narrow (the days, the answer and a word or two do not fit): the days on a line of their own, for
            # every stretch alike (with the answer they reached past 40 columns)
            narrow = any(len(days) + len(status[0]) + 16 > out.width - 1 for days, status, _ in leads)
            for days, status, route in leads:
                if narrow:
                    out.line(days)
                    out.para(["      ", status, "  "], route, 8)
                else:
                    out.para([f"{days}  ", status, "  "], route, 8)
    if explain:
        for p in plans:
            for s in p.segments:
                out.line("")
                out.para([(f"{clean(p.name)} from {s.start}", "bold")], f" (as `eligible --as-of {s.start} --explain`):")
                explain_decision(out, s.decision)
    out.line("")
    for n in notes:
        out.para([], n)


# --- renew -------------------------------------------------------------------------------------

def renewal(out: Lines, as_of, statuses, rules_origin: str, profile_id: Optional[str]) -> None:

    out.line(title("Renewal", profile_id, as_of))
    for s in statuses:
        due = "?" if s.due is None else " ".join(
            [str(s.due)] + ([f"(up to {s.due_range[1]})"] if s.due_range and s.due_range[1] != s.due else [])
            + ([f"grace to {s.grace_end}"] if s.grace_end else []))
        ce = s.ce
        ce_text = ("-" if ce is None else f"{amount_of(ce.required, ce.unit)} needed" if ce.counted is None
                   else f"{amount_text(ce.counted)} of {amount_of(ce.required, ce.unit)}; {amount_text(ce.missing)} missing")
        out.line("")
        out.para([clean(s.name), ": ", _status(s.status)], "", 2)
        out.para(["  since: "], clean(s.since), 4)
        out.para(["  due: "], due, 4)
        out.para(["  CE: "], ce_text, 4)
        renewal_details(out, s, headed=False)
    out.line("")
    out.para([], f"Rules: {rules_origin}.")


def renewal_details(out: Lines, s, headed: bool = True) -> None:
    from ma_cli.ruleset.rules import quality_mark

    if headed:
        out.line("")
        out.line((clean(s.name), "bold"), ": ", _status(s.status),
                 *([f", period {s.period_start} to {s.due}"] if s.due else []))
    elif s.due:
        out.line(f"  period: {s.period_start} to {s.due}")
    ce = s.ce
    if ce is not None and ce.counted is not None:
        for r in ce.by_requirement:
            need = f"at most {amount_text(r.maximum)}" if r.maximum is not None else f"{amount_text(r.required)} required"
            missing = "" if r.required is None else f", {amount_text(r.missing)} missing"
            out.para(["  - "], f"{r.says}: {need}, {amount_text(r.counted)} counted{missing}")
        for n in ce.not_counted:
            desc = f" {n.entry.description}" if n.entry.description else ""
            out.para(["  not counted: "], f"{n.entry.where} ({amount_text(n.credits)}{desc}): {n.reason}", 4)
    for action in s.actions:
        out.para(["  • "], action)
    for note in s.notes:
        out.para(["  ", ("note:", "yellow"), " "], note, 4)
    for c in s.citations:
        conf = "" if c.confidence == "high" else f", {c.confidence} confidence"
        quote = f" {c.quote}" if c.quote else ""
        out.para([(f"  source for {clean(c.param)}: ", "dim")],
                 f"{c.url or c.source or '?'}{quote}{conf}{quality_mark(getattr(c, 'quality', None))}", 4)
