"""A plan in words: the sentence per credential, the notes under a plan, and its key dates.

Shared by every output of `ma-cli plan` (the table and the stacked layout, JSON, iCalendar and the
HTML page), which import it; it imports none of them.
"""

from __future__ import annotations

from datetime import date

from ma_cli.reasoning.planner import ELIGIBLE, NOT_ELIGIBLE, REVIEW, Plan, Segment

__all__ = ["NOT_ELIGIBLE", "key_dates", "notes", "summary"]


def _by(seg: Segment) -> str:
    because = f" ({'; '.join(seg.because)})" if seg.because else ""
    return f"by {seg.route_name}{because}"


def _review_of(seg: Segment) -> str:
    """What a review stretch rests on: its route, or (with none: the readings of a date given only to the
    month disagree, planner._plan_over_readings) that."""
    if seg.route_name:
        return f" ({seg.route_name})"
    return " (the answer turns on a date not given to the day)" if seg.because else ""


def _next(plan: Plan, seg: Segment) -> str:
    """What follows a segment, in words."""
    i = plan.segments.index(seg)
    if i + 1 >= len(plan.segments):
        return f"no change before {plan.horizon}"
    nxt = plan.segments[i + 1]
    if nxt.status == ELIGIBLE:
        return f"from {nxt.start} {_by(nxt)}"
    if nxt.status == REVIEW:
        return f"from {nxt.start} needs review{_review_of(nxt)}"
    return f"not eligible from {nxt.start}"


def _eligible_run(plan: Plan, i: int) -> str:
    """A run of eligible segments from segment i, route by route, and what ends it."""
    parts: list[str] = []
    while i < len(plan.segments) and plan.segments[i].status == ELIGIBLE:
        seg = plan.segments[i]
        since = f" from {seg.start}" if parts else ""
        to = f" to {seg.end}" if seg.end else ""
        parts.append(f"by {seg.route_name}{since}{to}")
        i += 1
    if i >= len(plan.segments):
        return ", then ".join(parts) + f"; no end before {plan.horizon}"
    nxt = plan.segments[i]
    end = (f"needs review from {nxt.start}{_review_of(nxt)}" if nxt.status == REVIEW
           else f"not eligible from {nxt.start}")
    return ", then ".join(parts) + f"; {end}"


def summary(plan: Plan) -> str:
    """The plan for one credential in one sentence."""
    now = plan.segments[0]
    if now.status == ELIGIBLE:
        return "eligible now " + _eligible_run(plan, 0)
    first = plan.first(ELIGIBLE)
    if now.status == REVIEW:
        # (no route: the answer turns on a date given only to the month; the plan's warning says which)
        text = "needs review now" + _review_of(now)
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
        # to the end of the reviews that follow each other from there (on another route, or on the day of
        # a date given only to the month), not of the first alone
        segments = plan.segments
        last = segments.index(review)
        while last + 1 < len(segments) and segments[last + 1].status == REVIEW:
            last += 1
        until = f" to {segments[last].end}" if segments[last].end else ""
        return f"not eligible now; needs review from {review.start}{until}{_review_of(review)}"
    missing = f": {plan.missing[0]}" if plan.missing else ""
    return f"never by waiting (looked ahead to {plan.horizon}){missing}"


def notes(as_of: date, plans: list[Plan], rules_origin: str, assumed: list[str]) -> list[str]:
    """The lines under a plan: how far it looks, what it assumes, its warnings, and which rules."""
    out = [_looked_ahead(as_of, plans[0].horizon) if plans else ""]
    out.append("Assumes nothing changes but time: work marked 'present' continues"
               + "".join(f"; {a}" for a in sorted({a for p in plans for a in p.assumptions})) + ".")
    if assumed:
        out.append("What-ifs: " + "; ".join(assumed) + ".")
    out += [w for p in plans for w in p.warnings]
    out.append(f"Rules: {rules_origin}. Check any date with: ma-cli eligible --as-of DATE.")
    return [n for n in out if n]

def _looked_ahead(as_of: date, horizon: date) -> str:
    years = horizon.year - as_of.year
    if (horizon.month, horizon.day) == (as_of.month, as_of.day) or (as_of.month, as_of.day) == (2, 29):
        return f"Looked ahead {years} years, to {horizon}."
    return f"Looked ahead to {horizon}, the last day ma-cli reads a date on."


def key_dates(plan: Plan) -> list[tuple[date, tuple[str, ...], str]]:
    """The days worth a calendar entry: the first day of each new answer, the last day of each eligibility;
    each with what it is (`what`) and its title.

    A route's window closing while another route takes over (Category 1 to Category 2) is a route
    change, not an end: only the last day of an eligible stretch is a "last day" event.
    """
    events = []
    segments = plan.segments
    for i, s in enumerate(segments):
        if i > 0:
            if s.status == ELIGIBLE:
                title = f"{plan.name}: eligible from today {_by(s)}"
            elif s.status == REVIEW:
                title = f"{plan.name}: needs review from today{_review_of(s)}"
            elif any(seg.status == ELIGIBLE for seg in segments[:i]):
                title = f"{plan.name}: no longer eligible"
            else:  # (after a stretch of review only: nothing was eligible to end)
                title = f"{plan.name}: not eligible from today"
            events.append((s.start, what("from", s), title))
        if s.status == ELIGIBLE and s.end and (i + 1 >= len(segments) or segments[i + 1].status != ELIGIBLE):
            says = s.decision.deadline_says if s.decision is not None and s.decision.deadline == s.end else None
            said = f" ({says} this day)" if says else ""
            events.append((s.end, what("last", s), f"{plan.name}: last day eligible, by {s.route_name}{said}"))
    return events


def what(edge: str, seg: Segment) -> tuple[str, ...]:
    """What a key date is, in words that hold however far ahead it lies or whether its date moved: its
    edge (`from`, `last`), the answer and the route (`from`, `eligible`, `cat2-nonrecent`; the routes of the
    readings, joined by `or`, where the route turns on the day of a date given only to the month).
    A calendar's UID is made of them (ics.uid), never of the date or the event's place in the plan."""
    words = [edge, seg.status.replace("_", "-")]
    if seg.route is not None:
        words.append(seg.route)
    for n, route in enumerate(seg.routes):
        words += ["or", route] if n else [route]
    return tuple(words)
