"""`ma-cli plan --html FILE`: the plan as one self-contained page with an SVG timeline.

One lane per credential from the as-of date (today) to the horizon; each stretch of days with one
answer is a box coloured and patterned by the answer, with the answer and the route written on it
when they fit (every stretch is also listed in words under the picture). The days that matter
(the earliest day, each change, the last day of an eligible stretch) are ticked and labelled
under the lane; labels that would touch go to a row below, so none overlaps another.
"""

from __future__ import annotations

from datetime import date, timedelta

from ma_cli.output.html_page import FOOT, LABELS, PATTERNS, esc, fill, fit, head, key, text_width
from ma_cli.reasoning.planner import ELIGIBLE, Plan

W, LEFT, RIGHT = 1000, 150, 24  # the picture's width and its margins, in CSS px at full size
BAR, ROW, GAP = 30, 15, 14       # a lane's box height, a row of date labels, the space between lanes
DAY = timedelta(days=1)


def _x(day: date, as_of: date, horizon: date) -> float:
    span = max((horizon - as_of).days + 1, 1)
    return round(LEFT + (day - as_of).days / span * (W - LEFT - RIGHT), 1)


def _place(labels: list[tuple[float, str]]) -> list[tuple[float, str, int]]:
    """Date labels centred on their tick (kept inside the picture), each in the first row where it
    does not touch the one before it; (x, text, row)."""
    ends: list[float] = []  # the right edge of the last label in each row
    placed = []
    for x, text in sorted(labels):
        half = text_width(text) / 2
        cx = min(max(x, LEFT + half), W - RIGHT - half)
        for row, end in enumerate(ends):
            if cx - half > end + 6:
                ends[row] = cx + half
                break
        else:
            row = len(ends)
            ends.append(cx + half)
        placed.append((cx, text, row))
    return placed


def _key_days(plan: Plan) -> list[tuple[date, str]]:
    """One label for each change: 'from' the first day of a new answer or route, or 'to' the last
    day of an eligible stretch that ends (the day after it is implied)."""
    days = []
    segs = plan.segments
    for prev, s in zip(segs, segs[1:]):
        if prev.status == ELIGIBLE and s.status != ELIGIBLE and prev.end:
            days.append((prev.end, f"to {prev.end}"))
        else:
            days.append((s.start, f"from {s.start}"))
    return days


def timeline_svg(as_of: date, plans: list[Plan]) -> str:
    horizon = plans[0].horizon if plans else as_of
    out, y = [], 48  # rows above: today and the horizon (y 14), the years (y 32)
    lanes = []
    for p in plans:
        placed = _place([(_x(d + DAY if t.startswith('to') else d, as_of, horizon), t) for d, t in _key_days(p)])
        rows = 1 + max((r for _, _, r in placed), default=-1)
        lanes.append((p, placed, y))
        y += BAR + 6 + rows * ROW + GAP
    height = y + 4
    out.append(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {height}" width="{W}" height="{height}" '
               f'role="img" aria-labelledby="tl-title"><title id="tl-title">Timeline from {as_of} to {horizon}: '
               f'one lane per credential</title>{PATTERNS}')
    x0, x1 = _x(as_of, as_of, horizon), W - RIGHT
    out.append(f'<text class="lbl" x="{x0}" y="14" font-weight="600">today {as_of}</text>'
               f'<text class="lbl" x="{x1}" y="14" text-anchor="end">horizon {horizon}</text>')
    last_end = x0 + text_width(f"today {as_of}") / 2  # the year labels start after 'today'
    for year in range(as_of.year + 1, horizon.year + 1):
        x = _x(date(year, 1, 1), as_of, horizon)
        half = text_width(str(year)) / 2
        if x - half > last_end + 4 and x + half < x1:
            out.append(f'<line x1="{x}" y1="36" x2="{x}" y2="{height - 4}" stroke="#e0e0e0"/>'
                       f'<text class="lbl" x="{x}" y="32" text-anchor="middle" fill="#4d4d4d">{year}</text>')
            last_end = x + half
    for p, placed, top in lanes:
        name = fit(p.name, LEFT - 12, 12) or "…"
        out.append(f'<g class="lane" data-credential="{esc(p.credential)}">'
                   f'<text class="lbl name" x="4" y="{top + BAR / 2 + 4}" font-size="12" font-weight="700">'
                   f'{esc(name)}<title>{esc(p.name)}</title></text>')
        for i, s in enumerate(p.segments):
            css, words = LABELS[s.status]
            a = _x(s.start, as_of, horizon)
            b = _x(s.end + DAY, as_of, horizon) if s.end else x1
            text = f"{words}: {s.route_name}" if s.route_name else words
            tip = f"{s.start} to {s.end or horizon}: {text}"
            out.append(f'<rect class="seg {css}" id="{esc(p.credential)}-s{i}" x="{a}" y="{top}" '
                       f'width="{max(b - a, 0.5)}" height="{BAR}" {fill(css)} stroke="#4d4d4d" stroke-width="0.75">'
                       f'<title>{esc(tip)}</title></rect>')
            room = b - a - 8
            shown = text if text_width(text) <= room else fit(words, room)
            if shown:
                out.append(f'<text class="lbl in" data-in="{esc(p.credential)}-s{i}" x="{a + 4}" '
                           f'y="{top + BAR / 2 + 4}">{esc(shown)}</text>')
        for x, text, row in placed:
            ly = top + BAR + 6 + row * ROW + 10
            out.append(f'<line x1="{x}" y1="{top + BAR}" x2="{x}" y2="{ly - 9}" stroke="#1a1a1a" stroke-width="0.75"/>'
                       f'<text class="lbl" x="{x}" y="{ly}" text-anchor="middle">{text}</text>')
        out.append("</g>")
    out.append(f'<line x1="{x0}" y1="18" x2="{x0}" y2="{height - 4}" stroke="#1a1a1a" stroke-width="2"/>'
               f'<line x1="{x1}" y1="18" x2="{x1}" y2="{height - 4}" stroke="#1a1a1a" stroke-dasharray="3 3"/>'
               "</svg>")
    return "".join(out)


def _fact(value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k.replace('_', ' ')} {_fact(v)}" for k, v in value.items()
                         if v not in (None, (), [], {}))
    if isinstance(value, (list, tuple)):
        return "; ".join(_fact(v) for v in value)
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return value.isoformat() if isinstance(value, date) else str(value)


def facts(person) -> str:
    rows = []
    for name, value in person.facts().items():
        if value in (None, (), [], {}) or (isinstance(value, dict) and all(v is None for v in value.values())):
            continue  # (a fact not given, or a group of them: skill counts none of which is given)
        if name == "work":
            value = [{**w, "end": w.get("end") or "present"} for w in value]
        rows.append(f"<dt>{esc(name.replace('_', ' '))}</dt><dd>{esc(_fact(value))}</dd>")
    return '<dl class="facts">' + "".join(rows) + "</dl>" if rows else "<p>No facts given.</p>"


def _link(url: str, title: str | None) -> str:
    shown = esc(title or url)
    if url.startswith(("https://", "http://")):
        return f'<a href="{esc(url)}">{shown}</a>'
    return shown  # not a web address: shown, never a link


def sources(plans: list[Plan]) -> str:
    from ma_cli.output.render import sources_detail

    parts = []
    for p in plans:
        seen: dict[str, dict] = {}
        for s in p.segments:
            if s.decision is not None:
                for item in sources_detail(s.decision):
                    seen.setdefault(item["url"], item)
        if seen:
            items = "".join(f"<li>{_link(i['url'], i['title'])}"
                            + (f" <small>({esc(i['quality'])})</small>" if i["quality"] not in (None, "official") else "")
                            + "</li>" for i in seen.values())
            parts.append(f"<h3>{esc(p.name)}</h3><ul>{items}</ul>")
    return "".join(parts) or "<p>No sources named.</p>"


def stretches(plans: list[Plan]) -> str:
    rows = []
    for p in plans:
        for s in p.segments:
            css, words = LABELS[s.status]
            rows.append(f"<tr><td>{esc(p.name)}</td><td>{s.start}</td><td>{s.end or 'horizon'}</td>"
                        f'<td class="{css}">{words}</td><td>{esc(s.route_name or "")}</td></tr>')
    return ('<table class="stretches"><thead><tr><th>Credential</th><th>From</th><th>To (last day)</th>'
            "<th>Answer</th><th>Route</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def plan_page(as_of: date, plans: list[Plan], rules_origin: str, person, assumed: list[str]) -> str:
    from ma_cli.output.plan_words import notes, summary

    who = f" for {person.id}" if person.id else ""
    horizon = plans[0].horizon if plans else as_of
    summaries = "".join(f'<li><b>{esc(p.name)}</b>: <span class="{LABELS[p.now.status][0]}">'
                        f"{LABELS[p.now.status][1]} now</span>; {esc(summary(p))}</li>" for p in plans)
    noted = "".join(f"<li>{esc(n)}</li>" for n in notes(as_of, plans, rules_origin, assumed))
    return "".join((
        head(f"Plan{who} as of {as_of}"),
        f"<h1>Plan{esc(who)} as of {as_of}</h1>",
        f'<p class="meta">Looks ahead to {horizon} (the horizon). Rules: {esc(rules_origin)}.</p>',
        "<section><h2>Facts</h2>", facts(person), "</section>",
        "<section><h2>Assumptions</h2><ul>", noted, "</ul></section>",
        "<section><h2>Timeline</h2>", key(), timeline_svg(as_of, plans), "</section>",
        "<section><h2>In words</h2><ul>", summaries, "</ul>", stretches(plans), "</section>",
        "<section><h2>Sources</h2>", sources(plans), "</section>",
        f"<footer>ma-cli plan, as of {as_of}. Check any date with: ma-cli eligible --as-of DATE.</footer>",
        FOOT))
