"""Output for `ma-cli plan`: a table, the JSON contract, and iCalendar; the words they share (one
sentence per credential, the notes, the key dates) are in plan_words.py.

Rich is imported only when a table is drawn.
"""

from __future__ import annotations

from datetime import date

from ma_cli.base.jsonout import dumps
from ma_cli.output.plan_words import key_dates, notes, summary
from ma_cli.output.render_shared import STYLE, iso
from ma_cli.reasoning.planner import ELIGIBLE, NOT_ELIGIBLE, REVIEW, Plan, Segment


def _segment_dict(seg: Segment, explain: bool = False, plan: Plan | None = None) -> dict:
    out = {"from": iso(seg.start), "to": iso(seg.end), "status": seg.status, "route": seg.route,
           "route_name": seg.route_name, "because": list(seg.because)}
    if explain and seg.decision is not None:
        from ma_cli.output.render import decision_dict

        until = plan.until_from(seg) if plan is not None else None
        out["answer"] = decision_dict(seg.decision, explain=True, until=until)  # as `eligible --explain` on `from`
    return out


def _moment(seg: Segment | None) -> dict | None:
    if seg is None:
        return None
    return {"date": iso(seg.start), "route": seg.route, "route_name": seg.route_name, "because": list(seg.because)}


def plan_dict(plan: Plan, explain: bool = False) -> dict:
    return {
        "credential": plan.credential,
        "name": plan.name,
        "now": {"status": plan.now.status, "route": plan.now.route, "route_name": plan.now.route_name,
                "deadline": iso(plan.now.deadline)},
        "eligible_until": iso(plan.eligible_until),
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
    return dumps(plan_doc(as_of, plans, rules_origin, profile_id, assumed, explain), indent=2)


def plan_doc(as_of: date, plans: list[Plan], rules_origin: str, profile_id: str | None,
             assumed: list[str], explain: bool = False) -> dict:
    """What `plan --json` prints (and `ma_cli.plan` returns), as Python values."""
    horizon = plans[0].horizon if plans else None
    projected = sorted({a for p in plans for a in p.assumptions})
    doc = {
        "as_of": as_of.isoformat(),
        "horizon": iso(horizon),
        "profile_id": profile_id,
        "rules": rules_origin,
        "assumptions": {"given": list(assumed), "projected": projected},
        "plans": [plan_dict(p, explain) for p in plans],
    }
    return doc


def plan_table(as_of: date, plans: list[Plan], rules_origin: str, profile_id: str | None,
               assumed: list[str], explain: bool = False, grouping: tuple | None = None) -> None:
    import ma_cli.output.render_plain as render_plain
    from ma_cli.output.render import console

    if render_plain.stacked():  # a pipe or file, or a narrow terminal: no table
        render_plain.plan(render_plain.lines_for(console), as_of, plans, rules_origin, profile_id, assumed,
                          explain, notes(as_of, plans, rules_origin, assumed), grouping)
        return
    from rich.table import Table

    from ma_cli.base.literal import styled

    out = console()
    who = f" for {profile_id}" if profile_id else ""
    table = Table(title=f"Plan{who} as of {as_of}", title_justify="left")
    table.add_column("Credential", no_wrap=True)
    table.add_column("Now", no_wrap=True)
    table.add_column("Plan")
    from ma_cli.output.render_shared import grouped

    shown = []
    for p, folded, first in grouped(plans, grouping, lambda p: p.credential,
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
        from ma_cli.output.render import explain_decision

        for p in plans:
            for s in p.segments:
                out.print()
                out.print(styled((f"{p.name} from {s.start}", "bold"),
                                 f" (as `eligible --as-of {s.start} --explain`):"))
                explain_decision(out, s.decision)
    for n in notes(as_of, plans, rules_origin, assumed):
        out.print(styled((n, "dim")))


# --- iCalendar ------------------------------------------------------------------------------

def plan_ics(as_of: date, plans: list[Plan], person: str | None = None) -> str:
    """An iCalendar file (RFC 5545) with one all-day event per key date; stable UIDs (ics.uid: the person's
    id, the credential and what the event is, `from-eligible-cat2-nonrecent`, not the date nor its place
    among the key dates) so re-imports update."""
    import ma_cli.output.ics as ics

    stamp = ics.stamp(as_of)
    lines = []
    for p in plans:
        seen: dict[tuple[str, ...], int] = {}
        for day, what, title in key_dates(p):
            # counted only among events that are the same thing (a second review stretch): a count by
            # place would renumber every event when a later as-of day drops the first one
            seen[what] = seen.get(what, 0) + 1
            lines += ics.event(ics.uid(person, p.credential, *what, nth=seen[what]), stamp, day, title,
                               summary(p), 0)
    return ics.document("plan", lines)


def ics_left_empty(plans: list[Plan]) -> str | None:
    """Why the plan's calendar holds no event (None: it holds some): said beside it, as an empty
    calendar written without a word looks like a failed export."""
    if any(key_dates(p) for p in plans):
        return None
    horizon = max((p.horizon for p in plans), default=None)
    return f"no answer changes before {horizon}, so the calendar holds no events"


# --- the outputs of `plan`: one formatter each ----------------------------------------------
# Each takes (as_of, plans, rules_origin, person, assumed, explain) and returns the whole text.
# A module only one output needs (the HTML page) is imported when that output is asked for.

def _json_text(as_of, plans, rules_origin, person, assumed, explain):
    return plan_json(as_of, plans, rules_origin, person.id, assumed, explain) + "\n"


def _ics_text(as_of, plans, rules_origin, person, assumed, explain):
    return plan_ics(as_of, plans, person.id)


def _html_text(as_of, plans, rules_origin, person, assumed, explain):
    from ma_cli.output.html_plan import plan_page

    return plan_page(as_of, plans, rules_origin, person, assumed)


FORMATTERS = {"json": _json_text, "ics": _ics_text, "html": _html_text}
