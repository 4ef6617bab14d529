"""HTML pages: `plan --html`, `batch eligible|renew --format html`.

Structure tests parse each page with html.parser (lanes, rows, escaping, no network); browser
tests load it in headless Chromium (a 1280 px screenshot, print to PDF on A4 and Letter, the DOM
after load: every lane present, no label overlapping another label or a neighbour's box, no script
error). Without Chromium the browser tests skip, saying why.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ma_cli.commands.cli import app

from html_check import Page, browse, needs_browser, print_pdf, screenshot, self_contained

# every bundled credential, in rule-set order: a page without --cert has a lane for each
ALL = ["ccma", "cet", "cma", "cmaa", "cmac", "cmas", "coa", "cpt", "ncet", "ncma", "ncpt", "pbt", "rma", "rpt"]

runner = CliRunner()
ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
HOSTILE = "<script>alert(1)</script>\"' & \x1b[31m\x07 <marquee>x</marquee>"


def run(*args):
    return runner.invoke(app, list(args), env={"COLUMNS": "250"})


def hostile_rules(folder: Path) -> Path:
    """A rule folder whose credential, route and source title are hostile text."""
    rules = folder / "rules"
    rules.mkdir()
    (rules / "zzz.yaml").write_text(
        'credential: zzz\nname: "ZZZ <script>alert(1)</script> \\e[2J"\n'
        'sources:\n  S1: {url: "https://example.org/zzz?a=1&b=\\"x", read: 2026-01-01, title: "T <i>it</i>"}\n'
        "eligibility:\n  routes:\n    - id: grad\n"
        '      name: "Graduate </text><script>alert(2)</script> \\" \' \\a"\n'
        "      over: program\n      source: S1\n      effective: unknown\n      when:\n"
        "        - {id: acc, test: one_of, field: program.accreditation, values: [caahep], says: CAAHEP}\n",
        encoding="utf-8")
    return rules


def no_raw_user_markup(text: str) -> None:
    page = Page(text)
    assert len(page.scripts) <= 1, "a script came from user text"
    assert not page.all("marquee") and not page.all("i"), "markup came from user text"
    assert "\x1b" not in text and "\x07" not in text


# --- plan --html ---------------------------------------------------------------------------------

PLAN_ARGS = ("plan", "--program", "caahep", "--expected", "2026-12-10", "--as-of", "2026-10-31")


@pytest.fixture(scope="module")
def plan_page(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("plan") / "plan.html"
    r = run(*PLAN_ARGS, "--html", str(out))
    assert r.exit_code == 3, r.output
    return out


def test_plan_page_has_a_lane_per_credential_and_the_key_dates(plan_page):
    text = plan_page.read_text(encoding="utf-8")
    page = Page(text)
    lanes = [a["data-credential"] for a in page.all("g") if a.get("class") == "lane"]
    assert lanes == ALL
    shown = " ".join(page.text)
    for words in ("today 2026-10-31", "horizon 2036-10-31", "from 2026-11-10", "from 2026-12-10",
                  "to 2031-12-10", "eligible: Category 2, nonrecent graduate", "not eligible", "review"):
        assert words in shown, words
    assert page.all("a"), "sources are links"
    assert "@media print" in text and "@page" in text
    self_contained(text)
    assert len(text.encode()) < 200_000


@pytest.mark.parametrize("person", [("--program", "caahep", "--expected", "2026-12-10"),
                                    ("--profile", str(EXAMPLES / "person.yaml"))], ids=["flags", "profile file"])
def test_plan_page_facts_are_the_persons_facts_only(person):
    """The facts the page lists are what was given: not where the profile was read from (an object's
    address, different at every run)."""
    r = run("plan", *person, "--as-of", "2026-10-31", "--html", "-")
    facts = r.stdout.split('<dl class="facts">', 1)[1].split("</dl>", 1)[0]
    names = re.findall(r"<dt>([^<]*)</dt>", facts)
    assert names and "read from" not in names and " at 0x" not in facts


def test_plan_html_to_stdout_is_the_page_only():
    r = run(*PLAN_ARGS, "--cert", "cma", "--html", "-")
    assert r.exit_code == 1  # not eligible today
    assert r.stdout.startswith("<!DOCTYPE html>") and r.stdout.rstrip().endswith("</html>")


def test_plan_html_and_ics_both_to_stdout_are_refused():
    r = run(*PLAN_ARGS, "--html", "-", "--ics", "-")
    assert r.exit_code == 2 and "--html -" in r.output


def test_plan_html_escapes_hostile_text(tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text('id: "%s"\nprograms:\n  - accreditation: caahep\n    completed: 2026-05-15\n'
                       % HOSTILE.replace("\\", "\\\\").replace('"', '\\"').replace("\x1b", "\\e").replace("\x07", "\\a"),
                       encoding="utf-8")
    out = tmp_path / "p.html"
    r = run("plan", "--profile", str(profile), "--as-of", "2026-11-23", "--rules", str(hostile_rules(tmp_path)),
            "--cert", "zzz", "--cert", "cma", "--html", str(out))
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    no_raw_user_markup(text)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "\\x1b[31m" in text
    shown = " ".join(Page(text).text)
    assert "ZZZ <script>alert(1)</script>" in shown and "Graduate </text><script>alert(2)</script>" in shown
    self_contained(text)


@needs_browser
def test_plan_page_in_a_browser(plan_page, tmp_path):
    seen = browse(plan_page, tmp_path)
    assert seen["lanes"] == ALL
    assert seen["labels"] > 20
    assert seen["overlaps"] == [] and seen["spills"] == []
    assert seen["errors"] == [] and seen["console_errors"] == []
    assert seen["width"] <= 1280, "no sideways scrolling at 1280 px"
    assert screenshot(plan_page, tmp_path, tmp_path / "plan.png")[0] == 1280
    for paper in ("A4", "letter"):
        pdf = print_pdf(plan_page, tmp_path, tmp_path / f"plan-{paper}.pdf", paper)
        box = {"A4": rb"59[45][.\d]* 84[12][.\d]*\]", "letter": rb"612 792\]"}[paper]
        assert re.search(rb"/MediaBox \[0 0 " + box, pdf), paper


@needs_browser
def test_hostile_plan_page_runs_no_script_in_a_browser(tmp_path):
    out = tmp_path / "p.html"
    r = run("plan", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", "2026-11-23",
            "--rules", str(hostile_rules(tmp_path)), "--html", str(out))
    assert r.exit_code == 0, r.output
    seen = browse(out, tmp_path)
    assert "zzz" in seen["lanes"] and seen["errors"] == [] and seen["overlaps"] == []
    assert "alert" not in "".join(seen["console_errors"])


# --- batch eligible --format html --------------------------------------------------------------

def roster_with_trouble(folder: Path) -> Path:
    """The example roster plus a hostile row and a row with an impossible date."""
    text = (EXAMPLES / "roster.csv").read_text(encoding="utf-8")
    header = text.splitlines()[0].split(",")
    hostile = dict.fromkeys(header, "")
    hostile.update(id="<script>alert(1)</script>", name='"Q\'s" & \x1b[31m<marquee>x</marquee>', program="caahep",
                   completed="2026-05-15")
    bad = dict.fromkeys(header, "")
    bad.update(id="s-bad", name="Bad Date", program="caahep", completed="2026-02-30")
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, header, lineterminator="\n")
    writer.writerow(hostile)
    writer.writerow(bad)
    path = folder / "roster.csv"
    path.write_text(text + buffer.getvalue(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def eligible_report(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    out = folder / "report.html"
    r = run("batch", "eligible", str(roster_with_trouble(folder)), "--as-of", "2026-11-23", "--format", "html",
            "-o", str(out))
    assert r.exit_code == 4, r.output  # a row with an error: the report is still whole
    return out


def test_eligible_report_has_a_row_per_roster_row_and_names_the_bad_row(eligible_report):
    text = eligible_report.read_text(encoding="utf-8")
    page = Page(text)
    assert text.rstrip().endswith("</html>")
    body_rows = [r for r in page.rows if r and r[0].isdigit()]
    assert [int(r[0]) for r in body_rows] == list(range(2, 12))  # lines 2..11, one <tr> each, in order
    bad = body_rows[-1]
    assert bad[1] == "s-bad" and "line 11, column completed" in bad[3] and "not a real calendar date" in bad[3]
    shown = " ".join(page.text)
    assert "Rows that could not be answered (1)" in shown and "line 11:" in shown
    lanes = [a["data-credential"] for a in page.all("g") if a.get("class") == "lane"]
    assert lanes == ALL
    # s-002's CMA window closes on 2026-12-10, but she stays eligible as a graduate: not an end; s-003's RMA
    # does end: her four graduate years close on 2027-01-08, and her 32-hour weeks make three years of work
    # only if AMT counts part-time years as full ones (a review, not eligible)
    assert re.findall(r"ends in \d+ day", shown) == ["ends in 46 day"] and "apply by 2026-12-10" in shown
    self_contained(text)


def test_eligible_report_marks_an_eligibility_that_ends_soon(tmp_path):
    roster = tmp_path / "r.csv"
    # RMA: a 2022-12-20 CAAHEP graduate is eligible through 2026-12-19 (4 years), then not at all
    roster.write_text("id,program,completed\ns-1,caahep,2022-12-20\n", encoding="utf-8")
    out = tmp_path / "report.html"
    r = run("batch", "eligible", str(roster), "--as-of", "2026-11-23", "--cert", "rma", "--format", "html",
            "-o", str(out))
    assert r.exit_code == 0, r.output
    page = Page(out.read_text(encoding="utf-8"))
    assert "ends in 26 days" in " ".join(page.text)
    assert [a for a in page.all("tr") if "soon" in a.get("class", "")]


def test_eligible_report_escapes_hostile_cells(eligible_report):
    text = eligible_report.read_text(encoding="utf-8")
    no_raw_user_markup(text)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    shown = " ".join(Page(text).text)
    assert "<script>alert(1)</script>" in shown and '"Q\'s" & \\x1b[31m<marquee>x</marquee>' in shown


def test_summary_html_is_the_counts_page(tmp_path):
    r = run("batch", "eligible", str(EXAMPLES / "roster.csv"), "--as-of", "2026-11-23", "--format", "html",
            "--summary")
    assert r.exit_code == 0
    page = Page(r.stdout)
    assert [a["data-credential"] for a in page.all("g") if a.get("class") == "lane"] == \
        ALL


@needs_browser
def test_eligible_report_in_a_browser(eligible_report, tmp_path):
    seen = browse(eligible_report, tmp_path)
    assert seen["lanes"] == ALL
    assert seen["rows"] >= 10 + 5  # the roster's rows and the counts table's
    assert seen["overlaps"] == [] and seen["spills"] == []
    assert seen["errors"] == [] and seen["console_errors"] == []
    assert screenshot(eligible_report, tmp_path, tmp_path / "report.png")[0] == 1280
    for paper in ("A4", "letter"):
        print_pdf(eligible_report, tmp_path, tmp_path / f"report-{paper}.pdf", paper)


# --- a long roster: chunks, lazy script ---------------------------------------------------------

LONG = 250  # rows: more than two chunks of html_batch.CHUNK
BAD = 150   # the row (1-based, line BAD + 1) with an impossible date


@pytest.fixture(scope="module")
def long_report(tmp_path_factory) -> Path:
    """The example roster's people over and over, ids r-0001.., one of them with an impossible date."""
    folder = tmp_path_factory.mktemp("long")
    lines = (EXAMPLES / "roster.csv").read_text(encoding="utf-8").splitlines()
    header, people = lines[0].split(","), lines[1:]
    rows = []
    for i in range(LONG):
        cells = people[i % len(people)].split(",")
        cells[header.index("id")] = f"r-{i + 1:04d}"
        if i + 1 == BAD:
            cells[header.index("completed")] = "2026-02-30"
        rows.append(",".join(cells))
    roster = folder / "long.csv"
    roster.write_text("\n".join([lines[0], *rows]) + "\n", encoding="utf-8")
    out = folder / "long.html"
    r = run("batch", "eligible", str(roster), "--as-of", "2026-11-23", "--format", "html", "-o", str(out))
    assert r.exit_code == 4, r.output
    return out


def test_a_long_report_is_chunks_of_rows_in_roster_order(long_report):
    from ma_cli.output.html_batch import CHUNK

    text = long_report.read_text(encoding="utf-8")
    table = text.split('<table id="rows">', 1)[1].split("</table>", 1)[0]
    sizes = [body.count("<tr") for body in re.findall(r"<tbody>(.*?)</tbody>", table, re.S)]
    assert len(sizes) > 1 and sum(sizes) == LONG
    assert all(n == CHUNK for n in sizes[:-1]) and 0 < sizes[-1] <= CHUNK
    body_rows = [r for r in Page(text).rows if r and r[0].isdigit()]
    assert [int(r[0]) for r in body_rows] == list(range(2, LONG + 2))  # one <tr> each, in roster order
    assert [r[1] for r in body_rows] == [f"r-{i:04d}" for i in range(1, LONG + 1)]
    assert "not a real calendar date" in body_rows[BAD - 1][3]
    assert f"line {BAD + 1}:" in " ".join(Page(text).text)  # listed again under the error rows
    assert "style=" not in table, "no per-row inline style"
    self_contained(text)


# after the page's own script: how the rows line up, then a sort and three filters as a user does them
LONG_ACT = """(function(){
var t=document.getElementById('rows'),f=document.getElementById('f'),q=document.getElementById('q'),
n=document.getElementById('n'),heads=t.tHead.rows[0].cells,seen={};
function shown(){var out=[];[].forEach.call(t.tBodies,function(b){if(!b.hidden)[].forEach.call(b.rows,
function(r){out.push(r.cells[1].textContent)})});return out}
function sizes(){return [].map.call(t.tBodies,function(b){return (b.hidden?'hidden ':'')+b.rows.length})}
function near(a,b){return Math.abs(a-b)<=0.5}
seen.visibility=[].map.call(t.tBodies,function(b){return getComputedStyle(b).contentVisibility});
seen.misaligned=[];seen.overflow=[];
[t.tBodies[0].rows[0],t.tBodies[t.tBodies.length-1].rows[0]].forEach(function(r){
for(var i=0;i<heads.length;i++){var a=heads[i].getBoundingClientRect(),b=r.cells[i].getBoundingClientRect();
if(!near(a.left,b.left)||!near(a.right,b.right))seen.misaligned.push(r.cells[0].textContent+' column '+i)}});
var err=t.querySelector('tr.err').cells,m=err[err.length-1].getBoundingClientRect();
seen.error_spans=near(m.left,heads[err.length-1].getBoundingClientRect().left)&&
near(m.right,heads[heads.length-1].getBoundingClientRect().right);
[].forEach.call(t.querySelectorAll('td'),function(c){if(c.scrollWidth>c.clientWidth+1)seen.overflow.push(c.textContent)});
var row=t.tBodies[0].rows[1],no=[].filter.call(row.cells,function(c){return c.textContent==='not eligible'})[0];
seen.colours=[no,row.cells[1]].map(function(c){return getComputedStyle(c).backgroundColor});
seen.loaded={sizes:sizes(),count:n.textContent};
var id=heads[1].querySelector('button');id.click();id.click();
seen.sorted={ids:shown(),sizes:sizes(),sort:heads[1].getAttribute('aria-sort')};
f.value='err';f.dispatchEvent(new Event('change'));
seen.errors={ids:shown(),sizes:sizes(),count:n.textContent};
f.value='';q.value='R-01';f.dispatchEvent(new Event('change'));
seen.found={ids:shown(),count:n.textContent};
f.value='any';q.value='';f.dispatchEvent(new Event('change'));
seen.any={ids:shown(),count:n.textContent};
f.value='';f.dispatchEvent(new Event('change'));
seen.all={ids:shown(),sizes:sizes(),count:n.textContent};
window.__seen=seen})();"""


@needs_browser
def test_a_long_report_lines_up_sorts_and_filters_in_a_browser(long_report, tmp_path):
    from ma_cli.output.html_batch import CHUNK

    seen = browse(long_report, tmp_path, act=LONG_ACT)
    assert seen["errors"] == [] and seen["console_errors"] == []
    acted = seen["seen"]
    assert set(acted["visibility"]) == {"auto"}  # off-screen chunks are not laid out
    assert acted["misaligned"] == [] and acted["error_spans"] and acted["overflow"] == []
    # "not eligible" is the one answer written without a class: the page's CSS still greys it, and only it
    assert acted["colours"] == ["rgb(220, 220, 220)", "rgba(0, 0, 0, 0)"]
    full = [str(CHUNK)] * (LONG // CHUNK) + [str(LONG % CHUNK)] * bool(LONG % CHUNK)
    assert acted["loaded"] == {"sizes": full, "count": f"{LONG} rows"}
    ids = [f"r-{i:04d}" for i in range(1, LONG + 1)]
    down = ids[::-1]
    assert acted["sorted"] == {"ids": down, "sizes": [*full, "hidden 0"], "sort": "descending"}
    assert acted["errors"] == {"ids": [f"r-{BAD:04d}"], "sizes": ["1", f"hidden {LONG - 1}"],
                               "count": f"1 of {LONG} rows shown"}
    rows = {r[1]: r for r in Page(long_report.read_text(encoding="utf-8")).rows if r and r[0].isdigit()}
    found = [i for i in down if "r-01" in "".join(rows[i]).lower()]  # as the page reads a row: its text
    assert len(found) >= 100 and acted["found"] == {"ids": found, "count": f"{len(found)} of {LONG} rows shown"}
    text = long_report.read_text(encoding="utf-8")
    eligible_somewhere = {m[1] for m in re.finditer(r"<tr[^>]*><td>\d+<td>([^<]*)(.*?)</tr>", text, re.S)
                          if "<td class=ok>eligible" in m[2]}
    headline = re.search(r"(\d+) eligible for at least one credential", text)
    assert acted["any"]["ids"] == [i for i in down if i in eligible_somewhere]
    assert acted["any"]["count"] == f"{headline[1]} of {LONG} rows shown"
    assert acted["all"] == {"ids": down, "sizes": [*full, "hidden 0"], "count": f"{LONG} rows"}


# --- batch renew --format html -----------------------------------------------------------------

@pytest.fixture(scope="module")
def renew_report(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("renew")
    text = (EXAMPLES / "renewals.csv").read_text(encoding="utf-8")
    (folder / "ce").mkdir()
    for f in (EXAMPLES / "ce").iterdir():
        (folder / "ce" / f.name).write_bytes(f.read_bytes())
    header = text.splitlines()[0].split(",")
    row = dict.fromkeys(header, "")
    row.update(id="<script>x</script>", name="\x1b]8;;x\x07'\"", credential="cma", since="2025-13-01")
    roster = folder / "renewals.csv"
    roster.write_text(text + ",".join('"%s"' % row[h].replace('"', '""') for h in header) + "\n", encoding="utf-8")
    out = folder / "renew.html"
    r = run("batch", "renew", str(roster), "--as-of", "2026-11-23", "--format", "html", "-o", str(out))
    assert r.exit_code == 4, r.output
    return out


def test_renew_report_has_the_board_and_a_row_per_roster_row(renew_report):
    text = renew_report.read_text(encoding="utf-8")
    page = Page(text)
    body_rows = [r for r in page.rows if r and r[0].isdigit()]
    assert [int(r[0]) for r in body_rows] == list(range(2, 9))
    assert body_rows[0][3:7] == ["CMA", "current", "2027-03-31", "128"] and body_rows[0][-1] == "4 of 60 points"
    assert "error" in body_rows[-1][3]
    shown = " ".join(page.text)
    assert "Due in the next 12 months" in shown and "2027-10" in shown
    assert "line 8:" in shown
    for iso in re.findall(r"\b\d{4}-\d{2}-\d{2}\b", shown):
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso)
    no_raw_user_markup(text)
    self_contained(text)


@needs_browser
def test_renew_report_in_a_browser(renew_report, tmp_path):
    seen = browse(renew_report, tmp_path)
    assert seen["lanes"] == ALL * 2  # counts, then the 12 months
    assert seen["overlaps"] == [] and seen["spills"] == []
    assert seen["errors"] == [] and seen["console_errors"] == []
    assert screenshot(renew_report, tmp_path, tmp_path / "renew.png")[0] == 1280
    for paper in ("A4", "letter"):
        print_pdf(renew_report, tmp_path, tmp_path / f"renew-{paper}.pdf", paper)


def test_eligible_until_is_used_when_the_answers_carry_it():
    """The hook for `eligible_until` (html_batch.UNTIL_FIELDS): shown, and it decides 'ends soon'."""
    import io
    from datetime import date

    from ma_cli.output.html_batch import HtmlRows
    from ma_cli.reasoning.batch import Job, RowResult, Tally

    job = Job("eligible", ("cma",), ("answer", "route", "deadline", "earliest", "eligible_until"),
              ("eligible", "review", "not_eligible"), ("eligible",), "eligible", "eligible_any", lambda row: None)
    out = io.StringIO()
    page = HtmlRows(out, job, [], date(2026, 11, 23), "bundled")
    row = RowResult(2, "s-1", None, {"cma": ("eligible", "cat1-graduate", date(2027, 5, 15), None,
                                             date(2026, 12, 31))}, ())
    page.write(row)
    tally = Tally(job)
    tally.add(row)
    page.close(tally)
    text = out.getvalue()
    assert "until 2026-12-31" in text and "apply by 2027-05-15" in text and "ends in 38 days" in text
