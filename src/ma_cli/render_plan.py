"""Output for `ma-cli plan`: one sentence per credential, a table, the JSON contract, and iCalendar.

Rich is imported only when a table is drawn.
"""

from __future__ import annotations

from datetime import date

from ma_cli import jsonout
from ma_cli.planner import ELIGIBLE, NOT_ELIGIBLE, REVIEW, Plan, Segment

STYLE = {ELIGIBLE: "green", NOT_ELIGIBLE: "red", REVIEW: "yellow"}


def _by(seg: Segment) -> str:
    because = f" ({'; '.join(seg.because)})" if seg.because else ""
    return f"by {seg.route_name}{because}"


def _next(plan: Plan, seg: Segment) -> str:
    """What follows a segment, in words."""
    i = plan.segments.index(seg)
    if i + 1 >= len(plan.segments):
        return f"no change before {plan.horizon}"
    nxt = plan.segments[i + 1]
    if nxt.status == ELIGIBLE:
        return f"from {nxt.start} {_by(nxt)}"
    if nxt.status == REVIEW:
        return f"from {nxt.start} needs review ({nxt.route_name})"
    return f"not eligible from {nxt.start}"


def _eligible_run(plan: Plan, i: int) -> str:
    """A run of eligible segments from segment i, route by route, and what ends it."""
    parts = []
    while i < len(plan.segments) and plan.segments[i].status == ELIGIBLE:
        seg = plan.segments[i]
        since = f" from {seg.start}" if parts else ""
        to = f" to {seg.end}" if seg.end else ""
        parts.append(f"by {seg.route_name}{since}{to}")
        i += 1
    if i >= len(plan.segments):
        return ", then ".join(parts) + f"; no end before {plan.horizon}"
    nxt = plan.segments[i]
    end = (f"needs review from {nxt.start} ({nxt.route_name})" if nxt.status == REVIEW
           else f"not eligible from {nxt.start}")
    return ", then ".join(parts) + f"; {end}"


def summary(plan: Plan) -> str:
    """The plan for one credential in one sentence."""
    now = plan.segments[0]
    if now.status == ELIGIBLE:
        return "eligible now " + _eligible_run(plan, 0)
    first = plan.first(ELIGIBLE)
    if now.status == REVIEW:
        text = f"needs review now ({now.route_name})"
        if first:
            text += f"; eligible on {first.start} {_by(first)}"
        elif now.end:
            text += f" to {now.end}; {_next(plan, now)}"
        return text
    if first:
        text = f"eligible on {first.start} {_by(first)}"
        if plan.relies_on_work:
            text += ", if your current work continues"
        if first.end:
            text += f"; {_next(plan, first)}"
        return text
    review = plan.first(REVIEW)
    if review:
        until = f" to {review.end}" if review.end else ""
        return f"not eligible now; needs review from {review.start}{until} ({review.route_name})"
    missing = f": {plan.missing[0]}" if plan.missing else ""
    return f"never by waiting (looked ahead to {plan.horizon}){missing}"


def _iso(value):
    return value.isoformat() if isinstance(value, date) else value


def _segment_dict(seg: Segment, explain: bool = False, plan: Plan | None = None) -> dict:
    out = {"from": _iso(seg.start), "to": _iso(seg.end), "status": seg.status, "route": seg.route,
           "route_name": seg.route_name, "because": list(seg.because)}
    if explain and seg.decision is not None:
        from ma_cli.render import decision_dict

        until = plan.until_from(seg) if plan is not None else None
        out["answer"] = decision_dict(seg.decision, explain=True, until=until)  # as `eligible --explain` on `from`
    return out


def _moment(seg: Segment | None) -> dict | None:
    if seg is None:
        return None
    return {"date": _iso(seg.start), "route": seg.route, "route_name": seg.route_name, "because": list(seg.because)}


def plan_dict(plan: Plan, explain: bool = False) -> dict:
    return {
        "credential": plan.credential,
        "name": plan.name,
        "now": {"status": plan.now.status, "route": plan.now.route, "route_name": plan.now.route_name,
                "deadline": _iso(plan.now.deadline)},
        "eligible_until": _iso(plan.eligible_until),
        "earliest": _moment(plan.first(ELIGIBLE)),
        "earliest_review": _moment(plan.first(REVIEW)),
        "never_by_waiting": all(s.status == NOT_ELIGIBLE for s in plan.segments),
        "missing": list(plan.missing),
        "relies_on_ongoing_work": plan.relies_on_work,
        "summary": summary(plan),
        "timeline": [_segment_dict(s, explain, plan) for s in plan.segments],
        "warnings": list(plan.warnings),
    }


def plan_json(as_of: date, plans: list[Plan], rules_origin: str, profile_id: str | None,
              assumed: list[str], explain: bool = False) -> str:
    return jsonout.dumps(plan_doc(as_of, plans, rules_origin, profile_id, assumed, explain), indent=2)


def plan_doc(as_of: date, plans: list[Plan], rules_origin: str, profile_id: str | None,
             assumed: list[str], explain: bool = False) -> dict:
    """What `plan --json` prints (and `ma_cli.plan` returns), as Python values."""
    horizon = plans[0].horizon if plans else None
    projected = sorted({a for p in plans for a in p.assumptions})
    doc = {
        "as_of": as_of.isoformat(),
        "horizon": _iso(horizon),
        "profile_id": profile_id,
        "rules": rules_origin,
        "assumptions": {"given": list(assumed), "projected": projected},
        "plans": [plan_dict(p, explain) for p in plans],
    }
    return doc


def plan_table(as_of: date, plans: list[Plan], rules_origin: str, profile_id: str | None,
               assumed: list[str], explain: bool = False, grouping: tuple | None = None) -> None:
    from ma_cli import render_plain
    from ma_cli.render import console

    if render_plain.stacked():  # a pipe or file, or a narrow terminal: no table
        render_plain.plan(render_plain.lines_for(console), as_of, plans, rules_origin, profile_id, assumed,
                          explain, _notes(as_of, plans, rules_origin, assumed), grouping)
        return
    from rich.table import Table

    from ma_cli.literal import styled

    out = console()
    who = f" for {profile_id}" if profile_id else ""
    table = Table(title=f"Plan{who} as of {as_of}", title_justify="left")
    table.add_column("Credential", no_wrap=True)
    table.add_column("Now", no_wrap=True)
    table.add_column("Plan")
    from ma_cli.render import _grouped

    shown = []
    for p, folded, first in _grouped(plans, grouping, lambda p: p.credential,
                                     lambda p: "not_eligible" if all(s.status == NOT_ELIGIBLE for s in p.segments)
                                     else p.now.status):
        if first is not None:
            table.add_section()
        if folded is not None:
            names, text = folded
            table.add_row(names, styled(("not eligible", STYLE[NOT_ELIGIBLE])), text)
            continue
        shown.append(p)
        table.add_row(p.name, styled((p.now.status.replace('_', ' '), STYLE[p.now.status])), summary(p))
    out.print(table)
    for p in shown:
        if len(p.segments) > 1:
            out.print(styled((p.name, "bold"), " timeline:"))
            for s in p.segments:
                span = f"{s.start} to {s.end or '…'}"
                route = f"  {s.route_name}" if s.route_name else ""
                out.print(styled(f"  {span:<26} ", (f"{s.status.replace('_', ' '):<12}", STYLE[s.status]), route))
    if explain:
        from ma_cli.render import explain_decision

        for p in plans:
            for s in p.segments:
                out.print()
                out.print(styled((f"{p.name} from {s.start}", "bold"),
                                 f" (as `eligible --as-of {s.start} --explain`):"))
                explain_decision(out, s.decision)
    for n in _notes(as_of, plans, rules_origin, assumed):
        out.print(styled((n, "dim")))


def _notes(as_of: date, plans: list[Plan], rules_origin: str, assumed: list[str]) -> list[str]:
    notes = [f"Looked ahead {plans[0].horizon.year - as_of.year} years, to {plans[0].horizon}." if plans else ""]
    notes.append("Assumes nothing changes but time: work marked 'present' continues"
                 + "".join(f"; {a}" for a in sorted({a for p in plans for a in p.assumptions})) + ".")
    if assumed:
        notes.append("What-ifs: " + "; ".join(assumed) + ".")
    notes += [w for p in plans for w in p.warnings]
    notes.append(f"Rules: {rules_origin}. Check any date with: ma-cli eligible --as-of DATE.")
    return [n for n in notes if n]


# --- iCalendar ------------------------------------------------------------------------------

def key_dates(plan: Plan) -> list[tuple[date, str, str]]:
    """The days worth a calendar entry: the first day of each new answer, the last day of each eligibility.

    A route's window closing while another route takes over (Category 1 to Category 2) is a route
    change, not an end: only the last day of an eligible stretch is a "last day" event.
    """
    events = []
    segments = plan.segments
    for i, s in enumerate(segments):
        if i > 0:
            if s.status == ELIGIBLE:
                events.append((s.start, "from", f"{plan.name}: eligible from today {_by(s)}"))
            elif s.status == REVIEW:
                events.append((s.start, "from", f"{plan.name}: needs review from today ({s.route_name})"))
            else:
                events.append((s.start, "from", f"{plan.name}: no longer eligible"))
        if s.status == ELIGIBLE and s.end and (i + 1 >= len(segments) or segments[i + 1].status != ELIGIBLE):
            says = s.decision.deadline_says if s.decision is not None and s.decision.deadline == s.end else None
            what = f" ({says} this day)" if says else ""
            events.append((s.end, "last", f"{plan.name}: last day eligible, by {s.route_name}{what}"))
    return events


def plan_ics(as_of: date, plans: list[Plan]) -> str:
    """An iCalendar file (RFC 5545) with one all-day event per key date; stable UIDs so re-imports update."""
    from ma_cli import ics

    stamp = as_of.strftime("%Y%m%dT000000Z")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//ma-cli//plan//EN", "CALSCALE:GREGORIAN"]
    for p in plans:
        for day, kind, title in key_dates(p):
            lines += ics.event(f"{p.credential}-plan-{kind}-{day:%Y%m%d}", stamp, day, title, summary(p), 0)
    lines.append("END:VCALENDAR")
    return "".join(ics.fold(line) + "\r\n" for line in lines)


# --- the outputs of `plan`: one formatter each ----------------------------------------------
# Each takes (as_of, plans, rules_origin, person, assumed, explain) and returns the whole text.
# A module only one output needs (the HTML page) is imported when that output is asked for.

def _json_text(as_of, plans, rules_origin, person, assumed, explain):
    return plan_json(as_of, plans, rules_origin, person.id, assumed, explain) + "\n"


def _ics_text(as_of, plans, rules_origin, person, assumed, explain):
    return plan_ics(as_of, plans)


def _html_text(as_of, plans, rules_origin, person, assumed, explain):
    from ma_cli.html_plan import plan_page

    return plan_page(as_of, plans, rules_origin, person, assumed)


FORMATTERS = {"json": _json_text, "ics": _ics_text, "html": _html_text}
