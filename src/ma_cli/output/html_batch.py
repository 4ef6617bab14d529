"""`ma-cli batch eligible|renew --format html`: a roster report as one self-contained page.

Written as the roster is read, like every batch output: the page's head and the table's header
first, one `<tr>` per roster row as it is answered, and what needs the whole roster (the counts
chart, the renewal board's twelve months, the list of error rows) at the end, shown above the
table by the page's CSS (the one style of html_page). Memory stays flat but for the error rows.

A long roster must not cost the browser seconds, so the table is written to be cheap to lay out
(a 10,000-row report in Chromium: bench/html_report.py):
- the rows come in `<tbody>` chunks of CHUNK rows, each `content-visibility: auto` (html_page's
  CSS): the browser lays out and paints only the chunks near the screen. Containment does not
  apply to table parts, so on screen the table is blocks and each row a grid on the page's one
  column template (`_columns`): every row lines up with the header without a table's layout of all
  rows; printed, it is a table again;
- a row is short: no `</td>` (a cell ends at the next one, or at `</tr>`), unquoted class names
  (ours, never user text), no per-row attribute but a class where CSS or the filter needs one;
- sorting (click a column's header) and filtering (a search box, a choice of rows) are a little
  inline JavaScript that touches no row until first used, then moves the rows it shows into fresh
  chunks (the others into one hidden `<tbody>`) without reading any layout.
Without JavaScript the page is the whole table, in roster order, and reads the same.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import IO

from ma_cli.base.bounds import amount_of, amount_text
from ma_cli.output.html_page import FOOT, LABELS, PATTERNS, esc, fill, fit, head, key, text_width
from ma_cli.reasoning.batch import Job, RowResult, Tally

SOON_DAYS = 60  # an eligibility window ending within this many days is highlighted
# the day an eligibility ends: `eligible_until` when the answers carry it, else the route's deadline
UNTIL_FIELDS = ("eligible_until", "deadline")
# rows per <tbody>: the browser skips a chunk's layout while it is off screen. Two chunks cover a
# screen; smaller chunks add more boxes to watch for no layout saved (bench/html_report.py)
CHUNK = 100
# a row's height in px (13 px text, a line of details): a chunk's size until it is first drawn,
# so that the scrollbar is about right; the browser remembers the real size once it has drawn one
ROW_PX = {"eligible": 49, "renew": 26}

# every row is read only on the first sort or filter; no layout read
SCRIPT = """<script>(function(total,N){
var t=document.getElementById('rows'),tools=document.getElementById('tools');if(!t||!tools)return;
var q=document.getElementById('q'),f=document.getElementById('f'),n=document.getElementById('n'),
rows=null,order=null,timer=0,cmp=new Intl.Collator(undefined,{numeric:true}).compare;
tools.hidden=false;n.textContent=total+' rows';
function all(){if(!rows){rows=[];for(var i=0;i<t.tBodies.length;i++)rows.push.apply(rows,t.tBodies[i].rows);
order=rows.slice()}return rows}
function text(r){return r.__t||(r.__t=r.textContent.toLowerCase())}
function has(r,k){return k==='any'?!!r.querySelector('td.ok'):r.classList.contains(k)}
function place(){var s=q.value.toLowerCase(),k=f.value,shown=0,body,out=document.createDocumentFragment(),
rest=document.createElement('tbody');all();rest.hidden=true;
order.forEach(function(r){if((!k||has(r,k))&&(!s||text(r).indexOf(s)>=0)){
if(shown++%N===0){body=document.createElement('tbody');out.appendChild(body)}body.appendChild(r)}
else rest.appendChild(r)});
while(t.tBodies.length)t.removeChild(t.tBodies[0]);out.appendChild(rest);t.appendChild(out);
n.textContent=s||k?shown+' of '+rows.length+' rows shown':rows.length+' rows'}
q.addEventListener('input',function(){clearTimeout(timer);timer=setTimeout(place,150)});
f.addEventListener('change',place);
var heads=[].slice.call(t.tHead.rows[0].cells);heads.forEach(function(th,i){
var btn=document.createElement('button');btn.type='button';btn.textContent=th.textContent+' \\u2195';
btn.title='Sort by '+th.textContent;th.textContent='';th.appendChild(btn);
btn.addEventListener('click',function(){var up=th.getAttribute('aria-sort')!=='ascending';
heads.forEach(function(h){h.removeAttribute('aria-sort')});th.setAttribute('aria-sort',up?'ascending':'descending');
var keyed=all().map(function(r,j){var c=r.cells[i];return [c?c.textContent:'\\uffff',j,r]});
keyed.sort(function(x,y){return (up?1:-1)*cmp(x[0],y[0])||x[1]-y[1]});
order=keyed.map(function(k){return k[2]});place()})})})"""  # called with (total, CHUNK) by close


def _tools(choices: list[tuple[str, str]]) -> str:
    options = "".join(f'<option value="{v}">{w}</option>' for v, w in choices)
    return ('<div class="tools" id="tools" hidden><label>Find <input id="q" type="search" '
            'placeholder="id, name, answer, date"></label><label>Show <select id="f"><option value="">all rows</option>'
            f'{options}</select></label><span id="n" aria-live="polite"></span></div>')


def _columns(lead: int, rest: list[float], wide: float = 7) -> str:
    """The page's own CSS: the grid every row is drawn on (html_page's CSS makes the table blocks).

    The line number, then the roster's `lead` - 1 own columns (id, extras) at least `wide` em, then
    the `rest` at least their em each (an answer: room for "apply by YYYY-MM-DD" on one line in a
    wide sans-serif such as DejaVu Sans); what the page has beyond that shared out. On screen the
    table is at least as wide as its columns' minimums: a wide one scrolls sideways rather than
    break a date over two lines. An error row's message spans every column after the lead ones.
    """
    tracks = [(5.0, None), *((wide, 1.5),) * (lead - 1), *((em, 1) for em in rest)]
    runs: list[list] = []  # equal neighbours as one repeat()
    for track in (f"{em:g}em" if share is None else f"minmax({em:g}em,{share:g}fr)" for em, share in tracks):
        if runs and runs[-1][0] == track:
            runs[-1][1] += 1
        else:
            runs.append([track, 1])
    template = " ".join(t if n == 1 else f"repeat({n},{t})" for t, n in runs)
    # printed, the table is a table again, as wide as the paper (html_page's CSS)
    return (f"@media screen{{#rows{{min-width:{sum(em for em, _ in tracks):g}em}}}}"
            f"#rows tr{{grid-template-columns:{template}}}"
            f"#rows td[colspan]{{grid-column:span {len(rest)}}}")


def _cell(css: str, words: str, details: list[str], soon: str = "") -> str:
    # the details under the answer, one a line (CSS: pre-line), without a <br> or a box each
    small = f"<small>{chr(10).join(details)}</small>" if details else ""
    # no </td>: the next <td> or </tr> ends it
    return f"<td class={css}>{words}{soon}{small}" if css else f"<td>{words}{soon}{small}"


class HtmlRows:
    """One page for a batch run; `write` a row as it comes, `close` with the tally."""

    def __init__(self, out: IO[str], job: Job, extra_names: list[str], as_of: date, origin: str):
        from ma_cli.output.render_batch import extra_headers

        self._out, self._job, self._as_of, self._origin = out, job, as_of, origin
        self._creds, self._fields = job.credentials, job.fields
        self._renew = job.command == "renew"
        self._extra = extra_headers(job, extra_names)
        self._errors: list[tuple[int, str, str]] = []
        self._soon = 0
        self._rows = 0  # written so far: a new <tbody> every CHUNK
        self._until = next((self._fields.index(f) for f in UNTIL_FIELDS if f in self._fields), None)
        self._says = self._fields.index("deadline_says") if "deadline_says" in self._fields else None
        self._due: dict[str, list[int]] = {c: [0] * 14 for c in self._creds}  # renew: before, 12 months, after
        self._months = [_month(as_of, i) for i in range(13)]
        title = f"Renewals as of {as_of}" if self._renew else f"Eligibility as of {as_of}"
        if self._renew:
            heads = ["Line", "Id", *self._extra, "Credential", "Status", "Due", "Days left", "Grace ends", "CE missing"]
            choices = [("act", "needing action"), ("err", "error rows")]
        else:
            heads = ["Line", "Id", *self._extra, *(c.upper() for c in self._creds)]
            choices = [("soon", f"window ending within {SOON_DAYS} days"), ("any", "eligible for at least one"),
                       ("err", "error rows")]
        self._width = len(heads)
        # credential, status, due, days left, grace ends, CE missing; or an answer per credential
        rest = [6, 7, 8, 5.5, 8, 8] if self._renew else [10] * len(self._creds)
        chunk_px = CHUNK * ROW_PX["renew" if self._renew else "eligible"]
        style = _columns(2 + len(self._extra), rest) + f"#rows tbody{{contain-intrinsic-height:auto {chunk_px}px}}"
        if not self._renew:  # an answer cell without a class is "not eligible" (_eligible_row)
            style += f"#rows td:nth-child(n+{3 + len(self._extra)}):not([class]){{background:var(--no)}}"
        out.write(head(title, style) + f'<main class="report"><section class="top"><h1>{esc(title)}</h1>'
                  f'<p class="meta">ma-cli batch {job.command}, as of {as_of}. Rules: {esc(origin)}. '
                  "Dates are YYYY-MM-DD.</p></section>\n"
                  f'<section class="rows"><h2>One row per roster row</h2>{_tools(choices)}'
                  '<table id="rows"><thead><tr>' + "".join(f"<th>{esc(h)}</th>" for h in heads)
                  + "</tr></thead>\n<tbody>\n")

    def write(self, r: RowResult) -> None:
        if self._rows and not self._rows % CHUNK:
            self._out.write("</tbody><tbody>\n")
        self._rows += 1
        lead = f"<td>{r.line}<td>{esc(r.id)}" + "".join(f"<td>{esc(x)}" for x in r.extra)
        if r.error is not None:
            css, words = LABELS["skipped" if r.skipped else "error"]
            if not r.skipped:
                self._errors.append((r.line, r.id, r.error))
            self._out.write(f'<tr class={"skip" if r.skipped else "err"}>{lead}<td class={css} '
                            f"colspan={self._width - 2 - len(r.extra)}>{words}: {esc(r.error)}</tr>\n")
            return
        if self._renew:
            self._out.write(self._renew_row(r, lead))
        else:
            self._out.write(self._eligible_row(r, lead))

    def _eligible_row(self, r: RowResult, lead: str) -> str:
        cells, soon_row = [], False
        for c in self._creds:
            values = r.answers.get(c)
            if values is None:  # not asked: a blank of the skipped colour, not a grey that reads "not eligible"
                cells.append("<td class=sk>")
                continue
            answer, route, deadline, earliest = values[0], values[1], values[2], values[3]
            until = values[self._until] if self._until is not None else None
            css, words = LABELS[answer]
            if css == "no":  # the commonest cell: the page's CSS colours an answer cell without a class
                css = ""
            details = [esc(route)] if route else []
            if answer == "eligible":
                if self._until is not None and self._fields[self._until] == "eligible_until":
                    # the last day eligible by any route; a route's deadline is what it says it is
                    if until:
                        details.append(f"until {_iso(until)}")
                    if deadline and deadline != until:
                        says = values[self._says] if self._says is not None and values[self._says] else "apply by"
                        details.append(f"{esc(says)} {_iso(deadline)}")
                elif deadline:
                    details.append(f"until {_iso(deadline)}")
            elif deadline:
                details.append(f"until {_iso(deadline)}")
            if earliest:
                details.append(f"opens {_iso(earliest)}")
            soon = ""
            if answer == "eligible" and isinstance(until, date):
                left = (until - self._as_of).days
                if 0 <= left <= SOON_DAYS:
                    soon, soon_row = f" <b class=soon>ends in {left} day{'s' if left != 1 else ''}</b>", True
            cells.append(_cell(css, words, details, soon))
        self._soon += soon_row
        # "eligible for at least one" is the script's to find (a cell of class ok), not every row's to carry
        return f'{"<tr class=soon>" if soon_row else "<tr>"}{lead}{"".join(cells)}</tr>\n'

    def _renew_row(self, r: RowResult, lead: str) -> str:
        cred, values = next(iter(r.answers.items()))
        status, due, days_left, grace_end, required, counted, missing, unit = values
        css, words = LABELS[status]
        if isinstance(due, date):
            self._due[cred][_slot(self._as_of, due)] += 1
        ce = "" if missing is None else esc(f"{amount_text(missing)} of {amount_of(required, unit)}")
        act = status in self._job.hits
        return (f'{"<tr class=act>" if act else "<tr>"}{lead}<td>{esc(cred.upper())}<td class={css}>{words}'
                f"<td>{_iso(due)}<td>{'' if days_left is None else days_left}<td>{_iso(grace_end)}<td>{ce}</tr>\n")

    def close(self, tally: Tally) -> None:
        self._out.write("</tbody></table></section>\n<section class=\"counts\">")
        self._out.write(summary_body(tally, self._as_of, self._soon if not self._renew else None))
        if self._renew:
            self._out.write(self._board())
        self._out.write(error_list(self._errors))
        self._out.write(f"</section></main>\n{SCRIPT}({self._rows},{CHUNK});</script>{FOOT}")

    def _board(self) -> str:
        return "<h2>Due in the next 12 months</h2>" + due_board(self._as_of, self._due, self._months)


def _iso(value) -> str:
    return value.isoformat() if isinstance(value, date) else "" if value is None else esc(value)


def _month(as_of: date, i: int) -> date:
    y, m = divmod(as_of.month - 1 + i, 12)
    return date(as_of.year + y, m + 1, 1)


def _slot(as_of: date, due: date) -> int:
    """0: before the as-of date (overdue); 1..12 the month from as_of's month on; 13 later."""
    if due < as_of:
        return 0
    months = (due.year - as_of.year) * 12 + due.month - as_of.month
    return min(months + 1, 13)


def error_list(errors: list[tuple[int, str, str]]) -> str:
    if not errors:
        return ""
    items = "".join(f"<li>line {line}: <b>{esc(pid)}</b> {esc(message)}</li>" for line, pid, message in errors)
    return f'<h2>Rows that could not be answered ({len(errors)})</h2><ul class="errors">{items}</ul>'


def counts_svg(tally: Tally) -> str:
    """Per credential, one bar split by answer, each part with its count written on it or beside it."""
    answers = [a for a in tally.job.answers] + ["error"]
    W, LEFT, BAR, STEP = 1000, 90, 24, 40
    total = max(tally.rows - tally.skipped, 1)
    height = 10 + STEP * len(tally.counts)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {height}" width="{W}" height="{height}" '
           f'role="img" aria-labelledby="counts-title"><title id="counts-title">Counts per credential and answer'
           f"</title>{PATTERNS}"]
    for i, (cred, per) in enumerate(tally.counts.items()):
        y = 6 + i * STEP
        out.append(f'<g class="lane" data-credential="{esc(cred)}"><text class="lbl" x="4" y="{y + 16}" '
                   f'font-weight="700" font-size="12">{esc(fit(cred.upper(), LEFT - 10, 12))}</text>')
        x = LEFT
        for answer in answers:
            n = per.get(answer, 0)
            if not n:
                continue
            css, words = LABELS[answer]
            w = (W - LEFT - 10) * n / total
            out.append(f'<rect class="seg {css}" id="c-{esc(cred)}-{answer}" x="{x:.1f}" y="{y}" width="{max(w, 1):.1f}" '
                       f'height="{BAR}" {fill(css)} stroke="#4d4d4d" stroke-width="0.75">'
                       f"<title>{esc(cred.upper())}: {n} {words}</title></rect>")
            label = f"{n} {words}" if text_width(f"{n} {words}") <= w - 8 else f"{n}" if text_width(str(n)) <= w - 8 else ""
            if label:
                out.append(f'<text class="lbl" data-in="c-{esc(cred)}-{answer}" x="{x + 4:.1f}" y="{y + 16}">{label}</text>')
            x += w
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def counts_table(tally: Tally) -> str:
    answers = list(tally.job.answers) + ["error"]
    heads = "".join(f"<th>{LABELS[a][1]}</th>" for a in answers)
    rows = "".join(f"<tr><td>{esc(c.upper())}</td>" + "".join(f"<td>{per.get(a, 0)}</td>" for a in answers) + "</tr>"
                   for c, per in tally.counts.items())
    return f'<table class="count-table"><thead><tr><th>Credential</th>{heads}</tr></thead><tbody>{rows}</tbody></table>'


def summary_body(tally: Tally, as_of: date, soon: int | None) -> str:
    from ma_cli.output.render_batch import summary_line

    groups: dict[str, list[str]] = {}
    for a in (*tally.job.answers, "error"):
        groups.setdefault(LABELS[a][0], []).append(LABELS[a][1])
    classes = tuple((css, ", ".join(words)) for css, words in groups.items())
    extra = (f" {soon} row{'s' if soon != 1 else ''} with an eligibility window ending within {SOON_DAYS} days "
             f"(to {as_of + timedelta(days=SOON_DAYS)}), marked “ends in N days”." if soon else "")
    return (f"<h2>Counts</h2><p>{esc(summary_line(tally))}.{extra}</p>" + key(classes) + counts_svg(tally)
            + counts_table(tally))


def due_board(as_of: date, due: dict[str, list[int]], months: list[date]) -> str:
    """Twelve months from as_of's month, a lane per credential, the number of due dates in each month."""
    W, LEFT, BAR, STEP = 1000, 90, 26, 36
    cols = ["before " + as_of.isoformat(), *(m.isoformat()[:7] for m in months[:12]), "later"]
    cw = (W - LEFT - 4) / len(cols)
    height = 40 + STEP * len(due)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {height}" width="{W}" height="{height}" '
           f'role="img" aria-labelledby="due-title"><title id="due-title">Due dates per month, next 12 months from '
           f"{as_of}</title>{PATTERNS}"]
    for j, col in enumerate(cols):
        x = LEFT + j * cw + cw / 2
        words = col.split(" ")
        for k, part in enumerate(words if len(words) > 1 else [col]):
            out.append(f'<text class="lbl" x="{x:.1f}" y="{13 + k * 13}" text-anchor="middle">{esc(part)}</text>')
    for i, (cred, per) in enumerate(due.items()):
        y = 34 + i * STEP
        out.append(f'<g class="lane" data-credential="{esc(cred)}"><text class="lbl" x="4" y="{y + 17}" '
                   f'font-weight="700" font-size="12">{esc(fit(cred.upper(), LEFT - 10, 12))}</text>')
        for j, n in enumerate(per):
            css = "no" if j == 0 and n else "rv" if n else "sk"
            x = LEFT + j * cw
            cid = f"d-{esc(cred)}-{j}"
            out.append(f'<rect class="seg {css}" id="{cid}" x="{x + 1:.1f}" y="{y}" width="{cw - 2:.1f}" height="{BAR}" '
                       f'{fill(css)} stroke="#9a9a9a" stroke-width="0.75"><title>{esc(cred.upper())} {esc(cols[j])}: '
                       f"{n} due</title></rect>")
            if n:
                out.append(f'<text class="lbl" data-in="{cid}" x="{x + cw / 2:.1f}" y="{y + 17}" '
                           f'text-anchor="middle" font-weight="700">{n}</text>')
        out.append("</g>")
    out.append("</svg>")
    return ('<p>The number of due dates in each month (a month shown as YYYY-MM); "before" counts the due dates '
            "already passed (grace or lapsed).</p>" + "".join(out))


def summary_page(out: IO[str], tally: Tally, as_of: date, origin: str) -> None:
    """`--summary --format html`: the counts alone."""
    title = f"{'Renewals' if tally.job.command == 'renew' else 'Eligibility'} as of {as_of}: counts"
    out.write(head(title) + f"<h1>{esc(title)}</h1><p class=\"meta\">ma-cli batch {tally.job.command}, as of {as_of}. "
              f"Rules: {esc(origin)}.</p>" + summary_body(tally, as_of, None) + FOOT)
